// SPDX-License-Identifier: GPL-3.0-or-later
#include "cardpreparationjob.h"

#include "credentialstore.h"
#include "dietpiconfig.h"

#include <QFutureWatcher>
#include <QRandomGenerator>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>

namespace Hivelab {

CardPreparationJob::CardPreparationJob(CredentialStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_cancelled(std::make_shared<std::atomic_bool>(false))
{}

CardPreparationJob::~CardPreparationJob()
{
    // A card step still running finishes on its own (a decompression stops at its next MiB);
    // nothing reports to this job any more.
    m_cancelled->store(true);
    m_password.clear();
}

void CardPreparationJob::cancel()
{
    m_cancelled->store(true);
}

// At a step boundary on the owning thread: ends the job when cancel() came.
bool CardPreparationJob::stopIfCancelled()
{
    if (!m_cancelled->load())
        return false;
    finish(Error::Cancelled);
    return true;
}

void CardPreparationJob::begin(const Request &request)
{
    Q_ASSERT(!m_running);
    m_running = true;
    m_request = request;
    m_service = m_store ? m_store->service() : QString();
    m_account =
        CredentialStore::secretKey(request.lab.name, request.boardId, QStringLiteral("root"));
    m_result = {};
    m_error = Error::None;
    m_keychainMessage.clear();
    m_kept = false;
    m_previous.reset();
    m_cancelled->store(false);
}

void CardPreparationJob::start(const Request &request)
{
    begin(request);
    // Queued: finished() never comes from within start(), whatever the first step finds.
    QMetaObject::invokeMethod(
        this,
        [this]() {
            if (stopIfCancelled())
                return;
            if (m_request.console == ConsolePassword::Keychain &&
                m_request.flavour == FirstBootCard::Flavour::DietPi)
                keepPassword();
            else
                runCard(false);
        },
        Qt::QueuedConnection);
}

void CardPreparationJob::check(const Request &request, const QString &image)
{
    begin(request);
    QMetaObject::invokeMethod(
        this,
        [this, image]() {
            if (stopIfCancelled())
                return;
            if (m_request.console != ConsolePassword::Keychain) {
                finish(Error::None);
                return;
            }
            auto checkKnownFlavour = [this]() {
                if (m_request.flavour == FirstBootCard::Flavour::DietPi)
                    probeKeychain([this](bool usable) { finishCheck(usable); });
                else
                    finish(Error::None);
            };
            if (m_request.flavour || image.isEmpty()) {
                checkKnownFlavour();
                return;
            }
            // A raw image is read in place (cheap, and start() then reads the card once); a
            // compressed one only matters when the keychain cannot keep the password, so it is
            // decompressed only then. Both off this thread: blocking reads.
            detectFlavour(image, true, [this, image, checkKnownFlavour](bool known) {
                if (stopIfCancelled())
                    return;
                if (known && m_request.flavour) { // a raw image that could be read
                    checkKnownFlavour();
                    return;
                }
                probeKeychain([this, image](bool usable) {
                    if (stopIfCancelled())
                        return;
                    if (usable) {
                        finishCheck(true);
                        return;
                    }
                    detectFlavour(image, false, [this](bool) {
                        if (stopIfCancelled())
                            return;
                        finishCheck(m_request.flavour != FirstBootCard::Flavour::DietPi);
                    });
                });
            });
        },
        Qt::QueuedConnection);
}

void CardPreparationJob::detectFlavour(const QString &image, bool rawOnly,
                                       const std::function<void(bool known)> &then)
{
    struct Found
    {
        bool looked = false;
        std::optional<FirstBootCard::Flavour> flavour;
    };
    auto *watcher = new QFutureWatcher<Found>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, then]() {
        watcher->deleteLater();
        const Found found = watcher->result();
        if (found.looked && !m_cancelled->load())
            m_request.flavour = found.flavour;
        then(found.looked);
    });
    watcher->setFuture(QtConcurrent::run([image, rawOnly, cancelled = m_cancelled]() {
        QString unknown; // not told: the card is then read before it is written
        if (rawOnly && !CardPreparation::isRawImage(image))
            return Found{};
        return Found{true, CardPreparation::imageFlavour(image, &unknown, cancelled.get())};
    }));
}

void CardPreparationJob::finishCheck(bool keychainUsable)
{
    if (stopIfCancelled())
        return;
    finish(!keychainUsable             ? Error::NoKeychain
           : m_result.errors.isEmpty() ? Error::None
                                       : Error::Preparation);
}

// The keychain is usable when a write lands in it persistently. The write goes to a throwaway
// account of the same service, removed at once, so the card's own entry is never touched: an
// interruption between the two steps leaves at most a probe entry, never a changed password.
void CardPreparationJob::probeKeychain(const std::function<void(bool usable)> &then)
{
    const QString key = QLatin1String(ProbeAccountPrefix) +
                        QStringLiteral("%1").arg(QRandomGenerator::system()->generate64(), 16, 16,
                                                 QLatin1Char('0'));
    callKeychain(
        Call::Store, key, DietPiConfig::randomPassword(), [this, then, key](const Answer &kept) {
            const bool usable = kept.ok && kept.persistent;
            if (!usable)
                m_keychainMessage = kept.ok && m_store ? m_store->backendMessage() : kept.message;
            // A refused write changed nothing; one that did not answer in time may
            // still land (QtKeychain runs calls in order: the removal comes after it).
            if (!kept.ok && !kept.timedOut) {
                then(usable);
                return;
            }
            callKeychain(Call::Remove, key, QString(),
                         [this, then, key, usable](const Answer &removed) {
                             if (!removed.ok)
                                 m_result.errors << tr("The keychain's probe entry %1 (service %2) "
                                                       "could not be removed: %3")
                                                        .arg(key, m_service, removed.message);
                             then(usable);
                         });
        });
}

// The card step on a worker thread. Without the password yet and a keychain to keep it in, a
// DietPi card stops before anything is written (FirstBootCard calls `keep` once it knows).
void CardPreparationJob::runCard(bool withPassword)
{
    const Request request = m_request;
    FirstBootCard::ConsolePassword console;
    auto foundDietPi = std::make_shared<std::atomic_bool>(false);
    if (withPassword) {
        console.password = m_password;
    } else if (request.console == ConsolePassword::Keychain) {
        console.keep = [foundDietPi](QString *error) {
            foundDietPi->store(true);
            error->clear();
            return false;
        };
    }
    auto *watcher = new QFutureWatcher<CardPreparation::Result>(this);
    connect(
        watcher, &QFutureWatcherBase::finished, this, [this, watcher, withPassword, foundDietPi]() {
            watcher->deleteLater();
            m_result = watcher->result();
            if (!withPassword) {
                // A DietPi card stopped before writing; any other card was written (or failed)
                // whatever cancel() said meanwhile: its outcome stands, the lab must record it.
                if (foundDietPi->load()) {
                    if (stopIfCancelled()) // nothing was written
                        return;
                    m_result.errors.clear();
                    keepPassword();
                    return;
                }
                finish(m_result.ok ? Error::None : Error::Preparation);
                return;
            }
            if (m_result.ok && m_result.flavour == FirstBootCard::Flavour::DietPi) {
                m_kept = true;
                finish(Error::None);
                return;
            }
            // Not written (or, named DietPi by its catalog entry, not a DietPi card after
            // all): the keychain holds no password of this card.
            restorePrevious([this]() { finish(m_result.ok ? Error::None : Error::Preparation); });
        });
    watcher->setFuture(QtConcurrent::run([request, console]() {
        return CardPreparation::prepare(request.lab, request.boardId, request.target,
                                        request.publicKey, request.access, request.flavour,
                                        console);
    }));
}

// Read what the keychain holds (to put it back if the card fails), store the new password,
// then write the card with it.
void CardPreparationJob::keepPassword()
{
    m_password = DietPiConfig::randomPassword();
    callKeychain(Call::Read, m_account, QString(), [this](const Answer &old) {
        if (stopIfCancelled())
            return;
        if (!old.ok) {
            m_keychainMessage = old.message;
            finish(Error::NoKeychain);
            return;
        }
        // From here on the entry may have changed: put back what was there unless the card
        // gets this password.
        m_previous = old;
        callKeychain(Call::Store, m_account, m_password, [this](const Answer &kept) {
            if (m_cancelled->load()) {
                // Not written: what was there comes back (a refused write changed nothing).
                if (!kept.ok && !kept.timedOut)
                    m_previous.reset();
                restorePrevious([this]() { finish(Error::Cancelled); });
                return;
            }
            if (kept.ok && kept.persistent) {
                runCard(true);
                return;
            }
            // A refused write changed nothing; one that did not answer in time may still land.
            if (!kept.ok && !kept.timedOut)
                m_previous.reset();
            // The memory store does not count: the password would be gone when this ends.
            m_keychainMessage = kept.ok && m_store ? m_store->backendMessage() : kept.message;
            restorePrevious([this]() { finish(Error::NoKeychain); });
        });
    });
}

void CardPreparationJob::restorePrevious(const std::function<void()> &then)
{
    if (!m_previous) {
        then();
        return;
    }
    const Answer old = *m_previous;
    m_previous.reset();
    auto done = [this, then](const Answer &answer) {
        if (!answer.ok)
            m_result.errors << tr("The keychain entry %1 (service %2) could not be put back as "
                                  "it was: %3")
                                   .arg(m_account, m_service, answer.message);
        then();
    };
    if (old.found)
        callKeychain(Call::Store, m_account, old.secret, done);
    else
        callKeychain(Call::Remove, m_account, QString(), done);
}

// One store call for `key`: its answer (or a timeout) goes to `then` once; the connections and
// the timer live in a context object deleted with the answer.
void CardPreparationJob::callKeychain(Call call, const QString &key, const QString &secret,
                                      const std::function<void(Answer)> &then)
{
    auto *context = new QObject(this);
    m_call = context;
    auto answer = [this, context, then](const Answer &a) {
        if (m_call != context)
            return;
        m_call = nullptr;
        context->deleteLater();
        then(a);
    };
    if (!m_store) {
        QMetaObject::invokeMethod(
            context,
            [answer]() {
                answer({false, false, false, {}, tr("no keychain store")});
            },
            Qt::QueuedConnection);
        return;
    }
    connect(m_store, &CredentialStore::stored, context,
            [key, answer](const QString &k, bool persistent) {
                if (k == key)
                    answer({true, persistent, false, {}, {}});
            });
    connect(m_store, &CredentialStore::secretRead, context,
            [key, answer](const QString &k, const QString &secret) {
                if (k == key)
                    answer({true, true, true, secret, {}});
            });
    connect(m_store, &CredentialStore::removed, context, [key, answer](const QString &k) {
        if (k == key)
            answer({true, true, false, {}, {}});
    });
    connect(m_store, &CredentialStore::failed, context,
            [key, answer](const QString &k, CredentialStore::Error error, const QString &message) {
                if (k == key)
                    answer({error == CredentialStore::Error::NotFound, false, false, {}, message});
            });
    QTimer::singleShot(KeychainTimeoutMs, context, [answer]() {
        answer({false,
                false,
                false,
                {},
                tr("the keychain did not answer within %1 s").arg(KeychainTimeoutMs / 1000),
                true});
    });
    switch (call) {
    case Call::Read:
        m_store->read(key);
        break;
    case Call::Store:
        m_store->store(key, secret);
        break;
    case Call::Remove:
        m_store->remove(key);
        break;
    }
}

void CardPreparationJob::finish(Error error)
{
    m_error = error;
    m_password.clear();
    m_previous.reset();
    m_running = false;
    Q_EMIT finished(error == Error::None);
}

} // namespace Hivelab
