// SPDX-License-Identifier: GPL-3.0-or-later
#include "blockdevice.h"
#include "boardconnection.h"
#include "cardpreparation.h"
#include "cardpreparationjob.h"
#include "cli.h"
#include "credentialstore.h"
#include "firstbootcard.h"
#include "firstbootplan.h"
#include "interruptguard.h"
#include "keyloginsetup.h"
#include "sshkeysetup.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include <utility>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

} // namespace

std::optional<QString> cardPublicKey(const QString &requestedKey)
{
    const QString path =
        KeyLoginSetup::chooseKey(requestedKey, BoardConnection::defaultIdentityFiles());
    if (requestedKey.isEmpty() && !path.isEmpty() && !QFileInfo::exists(path)) {
        // No key at all yet: make the one `hivelab keys` would make.
        printErr(tr("No SSH key yet: creating %1 (ed25519, no passphrase).").arg(path));
        SshKeySetup keygen;
        SshErrorInfo result;
        QEventLoop loop;
        QObject::connect(&keygen, &SshKeySetup::finished, &loop,
                         [&loop, &result](const SshErrorInfo &error) {
                             result = error;
                             loop.quit();
                         });
        keygen.generate(path, QStringLiteral("hivelab@%1").arg(QSysInfo::machineHostName()));
        loop.exec();
        if (result.isError()) {
            printErr(tr("Could not create the key: %1").arg(result.message));
            return std::nullopt;
        }
    }
    if (!QFileInfo(path + QStringLiteral(".pub")).isFile()) {
        printErr(tr("No SSH public key %1.pub: make one with `ssh-keygen -t ed25519`, or pass "
                    "--key.")
                     .arg(path));
        return std::nullopt;
    }
    QString error;
    const QByteArray line = SshKeySetup::publicKeyLine(path, &error);
    if (line.isEmpty()) {
        printErr(tr("Cannot read %1.pub: %2").arg(path, error));
        return std::nullopt;
    }
    return QString::fromUtf8(line).trimmed();
}

std::optional<QString> checkCardTarget(const QString &path, bool isImage)
{
    if (isImage) {
        if (!QFileInfo(path).isFile()) {
            printErr(tr("No image file %1.").arg(path));
            return std::nullopt;
        }
        return path;
    }
    const BlockDevice::Target t = BlockDevice::inspect(path);
    if (!t.refusal.isEmpty() || !t.isBlock) {
        printErr(tr("Refusing to prepare %1: %2.")
                     .arg(path, t.isBlock ? t.refusal : tr("not a block device (use --image)")));
        return std::nullopt;
    }
    if (!t.drive.mountpoints.isEmpty()) {
        printErr(tr("%1 is mounted at %2: unmount it first (a FAT written behind a mount's back "
                    "gets corrupted).")
                     .arg(path, t.drive.mountpoints.first()));
        return std::nullopt;
    }
    return t.path;
}

namespace {

int refuseForKeychain(const CardPreparationJob &job)
{
    printErr(tr("No keychain to keep the DietPi console password in (%1); nothing was "
                "written. Pass --no-console-password to write a random password nobody is "
                "told (login by key only).")
                 .arg(job.keychainMessage()));
    for (const QString &e : job.result().errors)
        printErr(e);
    return ExitFindings;
}

} // namespace

int checkCardImage(const Lab &lab, const QString &boardId, const QString &target,
                   const QString &source, const QString &imageFile, bool keepConsolePassword,
                   bool *imageIsDietPi)
{
    *imageIsDietPi = false;
    CredentialStore store;
    CardPreparationJob job(&store);
    QEventLoop loop;
    QObject::connect(&job, &CardPreparationJob::finished, &loop, &QEventLoop::quit);
    CardPreparationJob::Request request;
    request.lab = lab;
    request.boardId = boardId;
    request.target = target;
    request.flavour = CardPreparation::catalogFlavour(source);
    request.console = keepConsolePassword ? CardPreparationJob::ConsolePassword::Keychain
                                          : CardPreparationJob::ConsolePassword::Random;
    // Ctrl-C stops the check (a decompression at its next MiB, the keychain probe once its
    // throwaway entry is removed) before anything is erased; a second one too: ending the
    // process would leave the decompression's scratch file behind.
    InterruptGuard guard([&job] { job.cancel(); }, InterruptGuard::Again::Interrupts);
    job.check(request, imageFile);
    if (job.isRunning())
        loop.exec();
    if (job.error() == CardPreparationJob::Error::Cancelled) {
        printErr(tr("Interrupted before writing: nothing was erased."));
        return ExitInterrupted;
    }
    if (job.error() == CardPreparationJob::Error::NoKeychain)
        return refuseForKeychain(job);
    if (job.error() != CardPreparationJob::Error::None) {
        for (const QString &e : job.result().errors)
            printErr(e);
        return ExitFindings;
    }
    *imageIsDietPi = job.flavour() == FirstBootCard::Flavour::DietPi;
    return ExitOk;
}

int prepareCard(Lab *lab, const QString &boardId, const QString &target, const QString &publicKey,
                QJsonObject *report, const QString &source, bool keepConsolePassword,
                bool imageIsDietPi)
{
    // DietPi's image sets the well-known password "dietpi" for root and dietpi: every card gets
    // its own, kept in the keychain before anything is written so the card never holds a
    // password nobody can find, and put back as it was when the card is not written. The GUI's
    // card writer runs the same job.
    CredentialStore store;
    CardPreparationJob job(&store);
    QEventLoop loop;
    QObject::connect(&job, &CardPreparationJob::finished, &loop, &QEventLoop::quit);
    CardPreparationJob::Request request;
    request.lab = *lab;
    request.boardId = boardId;
    request.target = target;
    request.publicKey = publicKey;
    request.flavour = imageIsDietPi ? std::optional(FirstBootCard::Flavour::DietPi)
                                    : CardPreparation::catalogFlavour(source);
    request.console = keepConsolePassword ? CardPreparationJob::ConsolePassword::Keychain
                                          : CardPreparationJob::ConsolePassword::Random;
    // Ctrl-C stops at the next step (a keychain call once it answered; the card's own step is
    // finished, a card is never left half written), and a second one as well: ending the
    // process would leave the card's scratch copy behind, or a keychain entry changed.
    bool told = false;
    InterruptGuard guard(
        [&job, &told] {
            job.cancel();
            printErr(std::exchange(told, true)
                         ? tr("Still stopping: the step running now ends on its own.")
                         : tr("Interrupted: stopping after the step running now (a card is "
                              "never left half written)."));
        },
        InterruptGuard::Again::Interrupts);
    job.start(request);
    if (job.isRunning())
        loop.exec();
    const CardPreparation::Result &r = job.result();
    if (job.error() == CardPreparationJob::Error::Cancelled) {
        printErr(tr("Interrupted before writing: nothing was written."));
        return ExitInterrupted;
    }
    if (job.error() == CardPreparationJob::Error::NoKeychain)
        return refuseForKeychain(job);
    if (!r.ok) {
        for (const QString &e : r.errors)
            printErr(e);
        // A card that could not be written is a finding; a plan that cannot be, a usage error.
        return r.identity.hostname.isEmpty() ? ExitUsage : ExitFindings;
    }
    *lab = r.lab;
    *report = QJsonObject{{QStringLiteral("board"), boardId},
                          {QStringLiteral("target"), target},
                          {QStringLiteral("flavour"), r.flavourName()},
                          {QStringLiteral("hostname"), r.identity.hostname},
                          {QStringLiteral("user"), r.identity.user},
                          {QStringLiteral("address"), r.addressText()},
                          {QStringLiteral("instanceId"), r.identity.instanceId},
                          {QStringLiteral("files"), QJsonArray::fromStringList(r.files)}};
    if (r.flavour == FirstBootCard::Flavour::DietPi) {
        QJsonObject password{
            {QStringLiteral("users"), QJsonArray{QStringLiteral("root"), QStringLiteral("dietpi")}},
            {QStringLiteral("kept"), job.consolePasswordKept()}};
        if (job.consolePasswordKept()) {
            password.insert(QStringLiteral("keychainService"), job.keychainService());
            password.insert(QStringLiteral("keychainAccount"), job.keychainAccount());
        }
        report->insert(QStringLiteral("consolePassword"), password);
    }
    return ExitOk;
}

QString consolePasswordText(const QJsonObject &report)
{
    const QJsonObject p = report.value(QLatin1String("consolePassword")).toObject();
    if (p.isEmpty())
        return {};
    if (!p.value(QLatin1String("kept")).toBool())
        return tr(
            "Console password for root and dietpi: random and not kept; log in with the key.");
    return tr("Console password for root and dietpi: in the keychain, service %1, account %2.")
        .arg(p.value(QLatin1String("keychainService")).toString(),
             p.value(QLatin1String("keychainAccount")).toString());
}

int cmdCard(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Write a board's first-boot identity onto a card that already holds its OS image: "
           "hostname, static address or DHCP, login user with your SSH key and passwordless "
           "sudo, time zone and locale, from the lab file. Written to the card's FAT boot "
           "partition without mounting it (mtools): cloud-init NoCloud files, or dietpi.txt "
           "edited in place on DietPi. The lab file records the card's instance ID (and an "
           "address allocated for a static board that had none)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("prepare"), tr("The action."));
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    parser.addPositionalArgument(QStringLiteral("BOARD"), tr("Board ID, name or hostname."));
    const QCommandLineOption device(QStringLiteral("device"), tr("The card (block device)."),
                                    QStringLiteral("DEV"));
    const QCommandLineOption image(QStringLiteral("image"), tr("An image file instead of a card."),
                                   QStringLiteral("IMG"));
    const QCommandLineOption key(QStringLiteral("key"),
                                 tr("Private key whose .pub to authorize (default: as `hivelab "
                                    "keys`)."),
                                 QStringLiteral("PATH"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Machine-readable output."));
    const QCommandLineOption noConsolePassword(
        QStringLiteral("no-console-password"),
        tr("DietPi: write a random root/dietpi password that is not kept in the keychain (login "
           "by key only)."));
    parser.addOptions({device, image, key, json, noConsolePassword});
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 3 || positional.first() != QLatin1String("prepare") ||
        parser.isSet(device) == parser.isSet(image)) {
        printErr(tr("Usage: hivelab card prepare FILE BOARD --device DEV|--image IMG [--key PATH] "
                    "[--no-console-password] [--json]"));
        return ExitUsage;
    }
    const QString file = positional.at(1);
    std::optional<Lab> lab = loadLab(file);
    if (!lab)
        return ExitUsage;
    const auto boards = resolveBoards(*lab, {positional.at(2)}, file);
    if (!boards)
        return ExitUsage;
    const auto target = checkCardTarget(parser.value(parser.isSet(device) ? device : image),
                                        parser.isSet(image));
    if (!target)
        return ExitUsage;
    const auto publicKey = cardPublicKey(parser.value(key));
    if (!publicKey)
        return ExitUsage;
    QJsonObject report;
    const int rc = prepareCard(&*lab, boards->first(), *target, *publicKey, &report, QString(),
                               !parser.isSet(noConsolePassword));
    if (rc != ExitOk)
        return rc;
    if (!saveLab(*lab, file))
        return ExitUsage;
    if (parser.isSet(json)) {
        printOut(QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        printOut(tr("%1: %2 written to %3 (%4): %5 %6, user %7, instance %8.")
                     .arg(report.value(QLatin1String("board")).toString(),
                          report.value(QLatin1String("files")).toVariant().toStringList().join(
                              QStringLiteral(", ")),
                          *target, report.value(QLatin1String("flavour")).toString(),
                          report.value(QLatin1String("hostname")).toString(),
                          report.value(QLatin1String("address")).toString(),
                          report.value(QLatin1String("user")).toString(),
                          report.value(QLatin1String("instanceId")).toString()));
        if (const QString password = consolePasswordText(report); !password.isEmpty())
            printOut(password);
    }
    return ExitOk;
}

} // namespace Hivelab::Cli
