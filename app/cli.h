// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QStringList>

#include <memory>
#include <optional>

class QCommandLineOption;
class QJsonObject;
class QCommandLineParser;

namespace Hivelab {
struct ConnectionSettings;
struct Lab;
class LabIndex;
} // namespace Hivelab

#include <cstdio>

namespace Hivelab::Cli {

/// Exit codes shared by every subcommand.
enum ExitCode {
    ExitOk = 0,
    ExitFindings = 1, // the command ran and found an error-level problem
    ExitUsage = 2,    // bad arguments, unreadable input
    ExitNoFaultTolerance = 3, // swarm formed, but too few managers to survive a manager failure
    ExitRemote = 255, // connection/auth/host-key failure (like ssh)
};

/// Upper bound of every --connect-timeout (seconds).
constexpr int MaxConnectTimeoutSeconds = 600;

using CommandFn = int (*)(const QStringList &args);

struct Command
{
    const char *name;
    const char *summary;
    CommandFn run;
};

/// All subcommands (new, check, exec, discover, …). Each lives in app/cmd_NAME.cpp.
const QList<Command> &commands();
const Command *findCommand(const QString &name);

/// The organisation and application names and version QSettings and the keychain go by; after
/// the (Core) application object exists, for commands and the window alike.
void setIdentity();

/// Runs `hivelab SUBCOMMAND ARGS…` with a QCoreApplication already constructed.
/// args[0] is the subcommand name. Returns the process exit code.
int run(const QStringList &args);

/// A size as the CLI prints it ("1.5 GB"-style, binary units, C locale).
QString dataSize(qint64 bytes);

/// The parser's help with its usage line naming `hivelab COMMAND` instead of the binary's path.
QString commandHelp(const QCommandLineParser &parser, const QString &command);

/// Parses args; on a parse error prints it (ExitUsage), on --help prints the help (ExitOk).
/// Returns the exit code when the command is done, nothing when it should go on.
std::optional<int> parseOrFinish(QCommandLineParser &parser, const QStringList &args);

/// The option's value when it is a whole number from min to max; else prints
/// "--NAME must be a whole number from MIN to MAX (not "X")." and returns nothing. Help texts
/// name the same range (rangeText()).
std::optional<int> intOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                             int min, int max);
/// "1-600" for help texts.
QString rangeText(int min, int max);

/// Reads --connect-timeout (1 to MaxConnectTimeoutSeconds), --known-hosts (its folder must
/// exist: only Hivelab's own default folder is created on first use; unset: the default file)
/// and -i (each a readable file) into `settings`. Prints what is wrong and returns false.
bool readConnectionOptions(const QCommandLineParser &parser, const QCommandLineOption &timeout,
                           const QCommandLineOption &knownHosts,
                           const QCommandLineOption &identity, ConnectionSettings *settings);
/// Private key files named by the user (-i): each must be a readable file. Prints the first that
/// is not, and why, and returns false.
bool identityFilesReadable(const QStringList &files);

/// Board IDs, without repeats, for words naming boards by ID, name or hostname (names
/// case-insensitively). On a word that names no board: prints which one (and `file`) and
/// returns nothing.
std::optional<QStringList> resolveBoards(const Lab &lab, const QStringList &words,
                                         const QString &file);
/// Display names of lab objects (boards, racks, PSUs, switches), comma separated. Takes an
/// index so a report's thousands of findings cost one lookup per name.
QString objectNames(const LabIndex &index, const QStringList &ids);

/// One line from fd 0 (no line end), read byte by byte so nothing after it is consumed. For
/// --password-stdin: callers wipe the bytes once used.
QByteArray readStdinLine();

/// The lab in `file`, or nothing after printing why it cannot be read.
std::optional<Lab> loadLab(const QString &file);
/// Saves atomically (LabFile::save); prints why and returns false when that fails.
bool saveLab(const Lab &lab, const QString &file);

/// An OS image downloaded (or found) in the image cache, for `flash` and `image fetch`.
struct FetchedImage
{
    QString path;
    QString sha256;
    bool verified = false;  // a checksum was known and matched
    bool fromCache = false;
    QString label;          // catalog name and version, or the URL
    /// Keeps other Hivelab processes from evicting the file while it is used.
    std::shared_ptr<void> inUse;
};
/// Whether SOURCE names a download: an http(s):// URL or a catalog image ID (when no file of
/// that name exists).
bool isImageDownload(const QString &source);
/// Why SOURCE cannot be downloaded (not http(s), no such catalog image), in words; empty when
/// it can. Checks names only: no network.
QString imageDownloadProblem(const QString &source);
/// Downloads SOURCE (URL or catalog image ID) into the image cache with progress on stderr
/// (none when `quiet`); Ctrl-C cancels. `sha256` (hex, may be empty) overrides the catalog's.
/// Prints why and sets *exitCode on failure.
std::optional<FetchedImage> fetchImage(const QString &source, const QByteArray &sha256,
                                       int stallSeconds, bool quiet, int *exitCode);

void printOut(const QString &text);
void printErr(const QString &text);

// Subcommand entry points (one per cmd_*.cpp).
int cmdNew(const QStringList &args);
int cmdDiscover(const QStringList &args);
int cmdCheck(const QStringList &args);
int cmdExec(const QStringList &args);
int cmdProvision(const QStringList &args);
int cmdKeys(const QStringList &args);
int cmdPush(const QStringList &args);
int cmdSwarm(const QStringList &args);
int cmdJoin(const QStringList &args);
int cmdRoles(const QStringList &args);
int cmdPlace(const QStringList &args);
int cmdRack(const QStringList &args);
int cmdPsu(const QStringList &args);
int cmdSwitch(const QStringList &args);
int cmdCircuit(const QStringList &args);
int cmdFlash(const QStringList &args);
int cmdImage(const QStringList &args);
int cmdRemote(const QStringList &args);
int cmdStack(const QStringList &args);
int cmdContext(const QStringList &args);
int cmdCard(const QStringList &args);
int cmdNetwork(const QStringList &args);

// First-boot identity onto written cards (cmd_card.cpp), shared by `card prepare` and `flash`.
/// The public key line to authorize (`requestedKey` or the default key); prints why not.
std::optional<QString> cardPublicKey(const QString &requestedKey);
/// The card (block device: not the system's, not mounted) or image file; prints why not.
std::optional<QString> checkCardTarget(const QString &path, bool isImage);
/// Writes the board's identity onto `target` (allocating its address if needed, a new
/// instance ID); on success updates `lab` (caller saves) and fills `report`. Prints problems.
/// `source`: the image written, when known (a catalog image names what its first boot reads);
/// `imageIsDietPi`: checkCardImage() found it DietPi (the card is then read once).
/// A DietPi card gets a random console password for root and dietpi, kept in the keychain
/// before the card is written (refused when there is no keychain), or with
/// `keepConsolePassword` false one nobody is told.
int prepareCard(Lab *lab, const QString &boardId, const QString &target, const QString &publicKey,
                QJsonObject *report, const QString &source = QString(),
                bool keepConsolePassword = true, bool imageIsDietPi = false);
/// `flash --lab`, before anything is erased: a DietPi image (`source`'s catalog entry, else
/// the file `imageFile`, empty before a download) with no keychain to keep the console
/// password is refused, as `card prepare` refuses the card (ExitFindings, printed why).
/// Ctrl-C stops the check (ExitInterrupted). ExitOk otherwise, with `*imageIsDietPi` for
/// prepareCard().
int checkCardImage(const Lab &lab, const QString &boardId, const QString &target,
                   const QString &source, const QString &imageFile, bool keepConsolePassword,
                   bool *imageIsDietPi);
/// Where a prepared card's console password is, for a person (empty for cards without one).
QString consolePasswordText(const QJsonObject &report);

} // namespace Hivelab::Cli
