// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cardpreparation.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace Hivelab {

class CredentialStore;

/// One card's first-boot identity (CardPreparation::prepare, on a worker thread) with DietPi's
/// console password kept in the OS keychain: `hivelab card prepare`, `hivelab flash --lab` and
/// the GUI's CardWriting all run this job, so a DietPi card ends the same way from each.
///
/// ConsolePassword::Keychain (the default): a DietPi card gets a new random password for root
/// and dietpi, stored under CredentialStore::secretKey(lab name, board, "root") **before**
/// dietpi.txt is written; when the card is then not written, the entry that was there before
/// is put back (or removed when there was none). With no keychain that keeps it (no Secret
/// Service, a locked keyring: the memory store does not count) the card is refused
/// (Error::NoKeychain) and nothing is written. ConsolePassword::Random: a random password
/// nobody is told, the keychain is not touched. Other cards never touch the keychain.
///
/// Whether a card is DietPi shows only once it is read: unless the request names the flavour,
/// the worker reads the card first and stops before writing when it finds dietpi.txt; the
/// keychain steps run in between. Async; the keychain steps run on the thread that owns the
/// job (and `store`, which must live there), the card steps on a worker thread, and nothing
/// waits on the owning thread. Ends in exactly one finished(), never from within start().
///
/// cancel() (any thread) stops at the next step: a decompression at its next MiB, a keychain
/// call once it answered (at most KeychainTimeoutMs); whatever the job wrote to the keychain
/// is put back first, then finished(false) with Error::Cancelled. A card being written when
/// cancel() comes is finished as usual (those steps are short and bounded).
class CardPreparationJob : public QObject
{
    Q_OBJECT
public:
    enum class ConsolePassword { Keychain, Random };
    Q_ENUM(ConsolePassword)
    enum class Error { None, Preparation, NoKeychain, Cancelled };
    Q_ENUM(Error)

    struct Request
    {
        Lab lab;
        QString boardId;
        QString target; // device or image file holding the OS image
        QString publicKey;
        CardPreparation::Access access = CardPreparation::Access::Auto;
        std::optional<FirstBootCard::Flavour> flavour; // from the image's catalog entry
        ConsolePassword console = ConsolePassword::Keychain;
    };

    /// `store` answers the keychain steps (service and account as above); not owned.
    explicit CardPreparationJob(CredentialStore *store, QObject *parent = nullptr);
    ~CardPreparationJob() override;
    Q_DISABLE_COPY_MOVE(CardPreparationJob)

    void start(const Request &request);
    /// Before the OS image `image` (a file; empty for a download not fetched yet) is written to
    /// the request's card: with ConsolePassword::Keychain and an image that is DietPi the
    /// keychain must keep an entry in its service (a locked keyring shows only on a write).
    /// The probe writes a random secret under a throwaway account (ProbeAccountPrefix and 16
    /// random hex digits) and removes it: the card's own account is never read or written, so
    /// an interrupted check cannot leave it changed. The flavour is the request's (catalog),
    /// else a raw image file is read in place
    /// (CardPreparation::imageFlavour on a worker thread); a compressed one is decompressed for
    /// it only when the keychain turned out unusable. Ends in one finished(): error()
    /// NoKeychain refuses the card before anything is erased; otherwise flavour() is what
    /// start() should be told, so the card is read once when it is known.
    void check(const Request &request, const QString &image);
    /// Thread-safe; see the class comment. Nothing when the job is not running.
    void cancel();
    /// After check(): the image's flavour as known before writing (catalog or image file).
    std::optional<FirstBootCard::Flavour> flavour() const { return m_request.flavour; }
    bool isRunning() const { return m_running; }

    /// What prepare() gave (errors as sentences; on NoKeychain nothing was written).
    const CardPreparation::Result &result() const { return m_result; }
    Error error() const { return m_error; }
    /// NoKeychain: why the keychain could not keep the password (the keychain's own words).
    QString keychainMessage() const { return m_keychainMessage; }
    /// A DietPi card's console password is in the keychain under service()/account().
    bool consolePasswordKept() const { return m_kept; }
    QString keychainService() const { return m_service; }
    QString keychainAccount() const { return m_account; }

    /// How long one keychain call may take before it counts as no keychain.
    static constexpr int KeychainTimeoutMs = 30000;
    /// The account name of check()'s keychain probe starts with this.
    static constexpr const char *ProbeAccountPrefix = "hivelab-probe-";

Q_SIGNALS:
    void finished(bool ok);

private:
    struct Answer
    {
        bool ok = false;
        bool persistent = false;
        bool found = false;
        QString secret;
        QString message;
        bool timedOut = false;
    };
    enum class Call { Read, Store, Remove };

    void begin(const Request &request);
    void detectFlavour(const QString &image, bool rawOnly,
                       const std::function<void(bool known)> &then);
    void probeKeychain(const std::function<void(bool usable)> &then);
    void finishCheck(bool keychainUsable);
    bool stopIfCancelled();
    void runCard(bool withPassword);
    void keepPassword();
    void restorePrevious(const std::function<void()> &then);
    void callKeychain(Call call, const QString &key, const QString &secret,
                      const std::function<void(Answer)> &then);
    void finish(Error error);

    QPointer<CredentialStore> m_store;
    Request m_request;
    QString m_service;
    QString m_account;
    QString m_password;
    std::optional<Answer> m_previous; // set once the new password is in the store
    CardPreparation::Result m_result;
    Error m_error = Error::None;
    QString m_keychainMessage;
    QObject *m_call = nullptr; // the keychain call in flight: its connections and timer
    // Shared with the worker thread, which may outlive the job.
    std::shared_ptr<std::atomic_bool> m_cancelled;
    bool m_kept = false;
    bool m_running = false;
};

} // namespace Hivelab
