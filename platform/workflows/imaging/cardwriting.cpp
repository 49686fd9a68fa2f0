// SPDX-License-Identifier: GPL-3.0-or-later
#include "cardwriting.h"

#include "boardconnection.h"
#include "credentialstore.h"
#include "flashjob.h"
#include "imagedownload.h"
#include "keyloginsetup.h"
#include "sshkeysetup.h"

#include <QFileInfo>
#include <QSysInfo>

namespace Hivelab {

CardWriting::CardWriting(QObject *parent)
    : QObject(parent)
    , m_cancelled(std::make_shared<std::atomic_bool>(false))
{
}

CardWriting::~CardWriting()
{
    // A preparation still running finishes on its own; the job it reports to is gone.
    m_cancelled->store(true);
    if (m_download)
        m_download->cancel();
    if (m_flash)
        m_flash->cancel();
}

QString CardWriting::stageName(Stage stage)
{
    switch (stage) {
    case Stage::Waiting: return tr("waiting");
    case Stage::Key: return tr("SSH key");
    case Stage::Downloading: return tr("downloading");
    case Stage::Writing: return tr("writing");
    case Stage::Verifying: return tr("verifying");
    case Stage::FirstBoot: return tr("first boot");
    case Stage::Done: return tr("done");
    case Stage::Failed: return tr("failed");
    case Stage::Cancelled: return tr("cancelled");
    }
    return {};
}

void CardWriting::start(const Lab &lab, const QList<Card> &cards)
{
    Q_ASSERT(!m_running);
    m_running = true;
    m_cancelled->store(false);
    m_lab = lab;
    m_cards = cards;
    m_stages = QList<Stage>(cards.size(), Stage::Waiting);
    m_messages = QStringList(cards.size(), QString());
    m_prepared.clear();
    m_noKeychain.clear();
    m_places.clear();
    m_groups.clear();
    QStringList sources;
    for (int i = 0; i < cards.size(); ++i) {
        const qsizetype g = sources.indexOf(cards.at(i).source);
        if (g < 0) {
            sources << cards.at(i).source;
            m_groups.append(QList<int>{i});
        } else {
            m_groups[g].append(i);
        }
    }
    resolveKey();
}

void CardWriting::cancel()
{
    if (!m_running)
        return;
    m_cancelled->store(true);
    if (m_download)
        m_download->cancel();
    if (m_flash)
        m_flash->cancel();
    if (m_keygen)
        m_keygen->cancel();
    if (m_preparation)
        m_preparation->cancel();
}

// The key the cards authorize: the requested one, else the one `hivelab keys` would use, made
// when the user has none yet.
void CardWriting::resolveKey()
{
    const QString path = KeyLoginSetup::chooseKey(m_keyPath, BoardConnection::defaultIdentityFiles());
    auto useKey = [this, path]() {
        QString error;
        const QByteArray line = SshKeySetup::publicKeyLine(path, &error);
        if (line.isEmpty()) {
            const QString why = tr("No SSH public key %1.pub (%2): make one with `ssh-keygen -t "
                                   "ed25519`.")
                                    .arg(path, error);
            for (int i = 0; i < m_cards.size(); ++i)
                endCard(i, Stage::Failed, why);
            finish();
            return;
        }
        m_publicKey = QString::fromUtf8(line).trimmed();
        nextGroup();
    };
    if (path.isEmpty() || QFileInfo::exists(path)) {
        useKey();
        return;
    }
    for (int i = 0; i < m_cards.size(); ++i)
        Q_EMIT progressChanged(i, Stage::Key, 0, 0);
    m_keygen = new SshKeySetup(this);
    connect(m_keygen, &SshKeySetup::finished, this, [this, useKey](const SshErrorInfo &error) {
        m_keygen->deleteLater();
        if (error.isError()) {
            for (int i = 0; i < m_cards.size(); ++i)
                endCard(i, m_cancelled->load() ? Stage::Cancelled : Stage::Failed,
                        tr("Could not create an SSH key: %1").arg(error.message));
            finish();
            return;
        }
        useKey();
    });
    m_keygen->generate(path, QStringLiteral("hivelab@%1").arg(QSysInfo::machineHostName()));
}

void CardWriting::nextGroup()
{
    if (m_groups.isEmpty()) {
        finish();
        return;
    }
    m_group = m_groups.takeFirst();
    if (m_cancelled->load()) {
        endGroup(Stage::Cancelled, tr("Cancelled before writing: the card is unchanged."));
        nextGroup();
        return;
    }
    const QString source = m_cards.at(m_group.first()).source;
    if (QFileInfo(source).isFile()) {
        checkGroup(source, [this, source]() { flashGroup(source, QByteArray()); });
        return;
    }
    // A catalog image's flavour is known before the download: no keychain, no download.
    checkGroup(QString(), [this, source]() { downloadGroup(source); });
}

// Whether the group's cards may be written at all: a DietPi image with no keychain to keep
// its console password is refused here, before a byte is erased (the same check `hivelab
// flash --lab` makes), and the flavour found tells each card's preparation what it is.
void CardWriting::checkGroup(const QString &image, const std::function<void()> &then)
{
    const Card &first = m_cards.at(m_group.first());
    m_groupFlavour = CardPreparation::catalogFlavour(first.source);
    if (m_console != CardPreparationJob::ConsolePassword::Keychain) {
        then();
        return;
    }
    if (!m_credentials)
        m_credentials = new CredentialStore(this);
    auto *job = new CardPreparationJob(m_credentials, this);
    m_preparation = job;
    connect(job, &CardPreparationJob::finished, this, [this, job, then]() {
        job->deleteLater();
        if (m_cancelled->load()) {
            endGroup(Stage::Cancelled, tr("Cancelled before writing: the card is unchanged."));
            nextGroup();
            return;
        }
        if (job->error() == CardPreparationJob::Error::NoKeychain) {
            for (int i : std::as_const(m_group))
                m_noKeychain.insert(i);
            endGroup(Stage::Failed, tr("Not written (the card is unchanged): no keychain to keep "
                                       "the DietPi console password in (%1).")
                                        .arg(job->keychainMessage()));
            nextGroup();
            return;
        }
        if (job->error() != CardPreparationJob::Error::None) {
            endGroup(Stage::Failed, tr("Not written (the card is unchanged): %1")
                                        .arg(job->result().errors.join(QLatin1Char(' '))));
            nextGroup();
            return;
        }
        if (job->flavour() == FirstBootCard::Flavour::DietPi)
            m_groupFlavour = job->flavour();
        then();
    });
    job->check(preparationRequest(first), image);
}

// What the card's preparation (its check before writing, then its first-boot files) is told.
CardPreparationJob::Request CardWriting::preparationRequest(const Card &card) const
{
    CardPreparationJob::Request request;
    request.lab = m_lab;
    request.boardId = card.boardId;
    request.target = card.target.path;
    request.flavour = m_groupFlavour;
    request.console = m_console;
    return request;
}

void CardWriting::downloadGroup(const QString &source)
{
    QString label;
    QString error;
    const std::optional<ImageDownload::Request> request =
        ImageDownload::requestFor(source, &label, &error);
    if (!request) {
        endGroup(Stage::Failed, error);
        nextGroup();
        return;
    }
    m_download = new ImageDownload(m_cache, this);
    connect(m_download, &ImageDownload::progressChanged, this, [this](qint64 done, qint64 total) {
        for (int i : std::as_const(m_group))
            Q_EMIT progressChanged(i, Stage::Downloading, done, total);
    });
    connect(m_download, &ImageDownload::finished, this, [this, label](bool ok) {
        ImageDownload *download = m_download;
        download->deleteLater();
        if (!ok) {
            endGroup(download->error() == ImageDownload::Error::Cancelled ? Stage::Cancelled
                                                                          : Stage::Failed,
                     tr("Download of %1 failed: %2").arg(label, download->errorString()));
            nextGroup();
            return;
        }
        m_imageInUse = download->inUse(); // until the group is written
        flashGroup(download->path(), download->verified() ? download->sha256() : QByteArray());
    });
    for (int i : std::as_const(m_group))
        Q_EMIT progressChanged(i, Stage::Downloading, 0, request->size);
    m_download->start(*request);
}

void CardWriting::flashGroup(const QString &path, const QByteArray &sha256)
{
    FlashJob::Options options;
    options.source = path;
    options.bmapPath = FlashJob::siblingBmap(path);
    options.sha256 = sha256;
    // Only a download passes a checksum, and it hashed every byte it stored a moment ago.
    options.sha256Checked = !sha256.isEmpty();
    QList<BlockDevice::Target> targets;
    for (int i : std::as_const(m_group))
        targets << m_cards.at(i).target;
    m_flash = new FlashJob(this);
    connect(m_flash, &FlashJob::progressChanged, this,
            [this](int t, FlashJob::Phase phase, qint64 done, qint64 total) {
                const Stage stage = phase == FlashJob::Phase::Verifying ? Stage::Verifying
                                                                         : Stage::Writing;
                if (phase == FlashJob::Phase::Writing || phase == FlashJob::Phase::Verifying)
                    Q_EMIT progressChanged(m_group.at(t), stage, done, total);
            });
    connect(m_flash, &FlashJob::finished, this, [this]() {
        FlashJob *job = m_flash;
        job->deleteLater();
        m_imageInUse.reset(); // the image was read: another process may evict it now
        const QList<FlashJob::TargetResult> results = job->results();
        const QString sourceError = job->sourceError();
        QList<int> written;
        for (int t = 0; t < results.size() && t < m_group.size(); ++t) {
            const FlashJob::TargetResult &r = results.at(t);
            if (r.phase == FlashJob::Phase::Done) {
                written << m_group.at(t);
                continue;
            }
            const QString why = !r.error.isEmpty() ? r.error : sourceError;
            endCard(m_group.at(t),
                    r.phase == FlashJob::Phase::Cancelled ? Stage::Cancelled : Stage::Failed, why);
        }
        m_group = written;
        prepareGroup();
    });
    m_flash->start(options, targets);
    // The row says "writing" from here, not after the first buffer.
    for (int i : std::as_const(m_group))
        Q_EMIT progressChanged(i, Stage::Writing, 0, 0);
}

// The written cards of the group get their identities one after the other on a worker thread
// (each allocation sees the addresses the ones before took).
void CardWriting::prepareGroup()
{
    if (m_group.isEmpty()) {
        nextGroup();
        return;
    }
    const int card = m_group.takeFirst();
    if (m_cancelled->load()) {
        endCard(card, Stage::Cancelled, tr("Written, but cancelled before its first-boot files."));
        prepareGroup();
        return;
    }
    Q_EMIT progressChanged(card, Stage::FirstBoot, 0, 0);
    if (!m_credentials)
        m_credentials = new CredentialStore(this);
    const Card &c = m_cards.at(card);
    auto *job = new CardPreparationJob(m_credentials, this);
    m_preparation = job;
    connect(job, &CardPreparationJob::finished, this, [this, job, card]() {
        job->deleteLater();
        const CardPreparation::Result &r = job->result();
        if (job->error() == CardPreparationJob::Error::Cancelled) {
            endCard(card, Stage::Cancelled,
                    tr("Written, but cancelled before its first-boot files."));
        } else if (job->error() == CardPreparationJob::Error::NoKeychain) {
            m_noKeychain.insert(card);
            endCard(card, Stage::Failed,
                    tr("Written, but not given its first-boot files: no keychain to keep the "
                       "DietPi console password in (%1).")
                        .arg(job->keychainMessage()));
        } else if (r.ok) {
            m_lab = r.lab;
            m_prepared << m_cards.at(card).boardId;
            QString message = tr("Written and verified; first boot as %1 (%2), %3.")
                                  .arg(r.identity.hostname, r.addressText(), r.flavourName());
            if (job->consolePasswordKept()) {
                m_places.insert(card, {job->keychainService(), job->keychainAccount()});
                message += QLatin1Char(' ') +
                           tr("Console password for root and dietpi: in the keychain, service "
                              "%1, account %2.")
                               .arg(job->keychainService(), job->keychainAccount());
            } else if (r.flavour == FirstBootCard::Flavour::DietPi) {
                message += QLatin1Char(' ') + tr("Console password for root and dietpi: random "
                                                 "and not kept; log in with the key.");
            }
            endCard(card, Stage::Done, message);
        } else {
            endCard(card, Stage::Failed,
                    tr("Written, but the first-boot files failed: %1")
                        .arg(r.errors.join(QLatin1Char(' '))));
        }
        prepareGroup();
    });
    CardPreparationJob::Request request = preparationRequest(c);
    request.publicKey = m_publicKey;
    job->start(request);
}

void CardWriting::endCard(int card, Stage stage, const QString &message)
{
    m_stages[card] = stage;
    m_messages[card] = message;
    Q_EMIT progressChanged(card, stage, 0, 0);
    Q_EMIT cardFinished(card, stage == Stage::Done, message);
}

void CardWriting::endGroup(Stage stage, const QString &message)
{
    for (int i : std::as_const(m_group))
        endCard(i, stage, message);
    m_group.clear();
}

void CardWriting::finish()
{
    m_running = false;
    Q_EMIT finished();
}

} // namespace Hivelab
