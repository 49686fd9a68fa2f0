// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blockdevice.h"
#include "cardpreparation.h"
#include "cardpreparationjob.h"
#include "imagecache.h"
#include "labtypes.h"

#include <QHash>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSet>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace Hivelab {

class CredentialStore;
class FlashJob;
class ImageDownload;
class SshKeySetup;

/// The GUI's "write these cards" run, built from the pieces the CLI uses: an image per card (a
/// file, a catalog image ID or an http(s) URL, downloaded into the ImageCache first), written
/// with FlashJob — one decompression and one writer per card for all cards of the same image —
/// then each written card given its board's first-boot identity by CardPreparationJob, as the
/// CLI does (card steps off the GUI thread; a DietPi card's console password kept in the
/// keychain first, on the thread that owns this job). The laptop's SSH key is the one `hivelab
/// keys` uses, made (ed25519) when there is none. Cards of one image fail or succeed on their
/// own; cancel() stops everything and every card keeps a zeroed first MiB (one not written yet
/// is unchanged: the check before writing, which may decompress the image, stops at its next
/// MiB). Async; signals on the thread that owns the job.
class CardWriting : public QObject
{
    Q_OBJECT
public:
    enum class Stage { Waiting, Key, Downloading, Writing, Verifying, FirstBoot, Done, Failed, Cancelled };
    Q_ENUM(Stage)

    struct Card
    {
        QString boardId;
        QString source;               // image file, catalog image ID or URL
        BlockDevice::Target target;   // checked with BlockDevice::inspect(), no refusal
    };

    explicit CardWriting(QObject *parent = nullptr);
    ~CardWriting() override;
    Q_DISABLE_COPY_MOVE(CardWriting)

    void setImageCache(const ImageCache &cache) { m_cache = cache; }
    /// The private key whose .pub the cards authorize (default: as `hivelab keys`).
    void setKeyPath(const QString &path) { m_keyPath = path; }
    /// DietPi's console password: kept in the keychain (default; a card is refused when there
    /// is none) or random and told to nobody (`--no-console-password`).
    void setConsolePassword(CardPreparationJob::ConsolePassword mode) { m_console = mode; }

    /// `lab` is the plan the identities come from.
    void start(const Lab &lab, const QList<Card> &cards);
    void cancel();
    bool isRunning() const { return m_running; }

    /// The plan with every prepared card's instance ID (and allocated address) recorded.
    const Lab &lab() const { return m_lab; }
    /// Boards whose card was written and prepared.
    const QStringList &preparedBoards() const { return m_prepared; }
    Stage stage(int card) const { return m_stages.value(card, Stage::Waiting); }
    QString message(int card) const { return m_messages.value(card); }
    /// The card was refused: no keychain could keep its DietPi console password
    /// (ConsolePassword::Random would write it). An image known to be DietPi before it is
    /// written (its catalog entry, or CardPreparation::imageFlavour of the file) is refused
    /// before anything is erased; one that shows DietPi only on the written card, after.
    bool refusedForKeychain(int card) const { return m_noKeychain.contains(card); }
    /// Where a prepared DietPi card's console password is (service, account); empty when it
    /// was not kept.
    QPair<QString, QString> consolePasswordPlace(int card) const { return m_places.value(card); }

    static QString stageName(Stage stage);

Q_SIGNALS:
    /// done/total in bytes for Downloading/Writing/Verifying; 0/0 otherwise.
    void progressChanged(int card, Hivelab::CardWriting::Stage stage, qint64 done, qint64 total);
    /// A card reached Done, Failed or Cancelled; `message` says what happened in words.
    void cardFinished(int card, bool ok, const QString &message);
    void finished();

private:
    void resolveKey();
    void nextGroup();
    void checkGroup(const QString &image, const std::function<void()> &then);
    void downloadGroup(const QString &source);
    void flashGroup(const QString &path, const QByteArray &sha256);
    void prepareGroup();
    CardPreparationJob::Request preparationRequest(const Card &card) const;
    void endCard(int card, Stage stage, const QString &message);
    void endGroup(Stage stage, const QString &message);
    void finish();

    ImageCache m_cache;
    QString m_keyPath;
    QString m_publicKey;
    Lab m_lab;
    QList<Card> m_cards;
    QList<QList<int>> m_groups; // card indexes by source, in order
    QList<int> m_group;         // the group being worked on
    std::optional<FirstBootCard::Flavour> m_groupFlavour; // known before it was written
    QList<Stage> m_stages;
    QStringList m_messages;
    QStringList m_prepared;
    QPointer<ImageDownload> m_download;
    QPointer<FlashJob> m_flash;
    std::shared_ptr<ImageCache::InUse> m_imageInUse;
    QPointer<SshKeySetup> m_keygen;
    QPointer<CardPreparationJob> m_preparation; // the check or the first-boot step running
    CredentialStore *m_credentials = nullptr;
    CardPreparationJob::ConsolePassword m_console = CardPreparationJob::ConsolePassword::Keychain;
    QSet<int> m_noKeychain;
    QHash<int, QPair<QString, QString>> m_places;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    bool m_running = false;
};

} // namespace Hivelab
