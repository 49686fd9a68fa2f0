// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

struct OsImage
{
    QString name;            // "DietPi (Debian bookworm)"
    QString url;             // where users download it (informational; the app never fetches)
    QString defaultUser;     // empty: the installer / imager asks for one
    QString defaultPassword; // documented factory default, shown as guidance only
    QString sshServer;       // "dropbear" / "openssh"
    QString notes;           // first-login quirks
};

/// A downloadable OS image (the catalog's top-level "downloads"): data only; the app fetches
/// it when asked (platform/imagedownload.h).
struct ImageDownloadInfo
{
    QString id;          // "raspios-lite-arm64": what `hivelab flash` and `image fetch` take
    QString name;        // "Raspberry Pi OS Lite (64-bit)"
    QString version;     // "2024-11-19 (Debian bookworm)"
    QString arch;        // "arm64" / "amd64" / "armhf"
    QStringList boards;  // board model IDs it boots on
    QString url;         // https:// address of the image file
    qint64 size = -1;    // bytes, when known
    QString sha256;      // lower-case hex of the file at url, when published
    QString sha256Url;   // the vendor's checksum file (sha256sum format), when published
    QString notes;
    /// What `card prepare` / `flash --lab` write for a board's first boot on this image:
    /// "cloud-init", "dietpi" or "raspios-userconf" (Raspberry Pi OS of Debian 12 and earlier);
    /// empty: told by the files on the card's boot partition.
    QString firstBoot;

    /// Neither a SHA-256 nor a checksum file: shown as "unverified", never silently trusted.
    bool isVerifiable() const { return !sha256.isEmpty() || !sha256Url.isEmpty(); }
};

struct BoardModelInfo
{
    QString id;     // "pine64-a64-lts"
    QString vendor; // "Pine64"
    QString name;   // "Pine A64-LTS"
    QString arch;   // "arm64" / "amd64" / "armhf"
    double volts = 5;
    double typicalAmps = 0;
    double peakAmps = 0;
    QStringList bootMedia;        // "microSD", "eMMC", "USB", "NVMe", "SATA", "SPI", "PXE"
    QList<OsImage> images;        // recommended first
    QStringList ouiPrefixes;      // "B8:27:EB"; empty when the board makes up its MAC
    QStringList deviceTreeModels; // substrings of /proc/device-tree/model or DMI product name
    QString notes;

    double typicalWatts() const { return volts * typicalAmps; }
    double peakWatts() const { return volts * peakAmps; }
};

/// Catalog of known board models, shipped as JSON in the resources (":/hivelab/boards.json").
/// Adding a board model is editing that file. Immutable after load; any thread.
class BoardCatalog
{
    Q_DECLARE_TR_FUNCTIONS(BoardCatalog)
public:
    static constexpr const char *FormatName = "hivelab-board-catalog";
    static constexpr int CurrentSchemaVersion = 1;
    static constexpr const char *ResourcePath = ":/hivelab/boards.json";

    /// The built-in catalog (loaded once, thread-safe). Empty, with a critical log message, if
    /// the shipped JSON is broken (the unit test makes sure it is not).
    static const BoardCatalog &builtin();
    /// Strict parse; on failure *error reads "at $.boards[2].arch: expected one of …".
    static std::optional<BoardCatalog> fromJson(const QByteArray &data, QString *error);

    const QList<BoardModelInfo> &models() const { return m_models; }
    const QList<ImageDownloadInfo> &downloads() const { return m_downloads; }
    const ImageDownloadInfo *download(const QString &id) const;
    /// The downloads that boot on a board model, in catalog order.
    QList<const ImageDownloadInfo *> downloadsForModel(const QString &modelId) const;
    const BoardModelInfo *model(const QString &id) const;
    /// The one spelling of a model everywhere (canvas, inventory, inspector, wizard, CLI): its
    /// catalog name ("Raspberry Pi 4 Model B"); an ID the catalog does not know, as it is.
    QString displayName(const QString &id) const;
    /// Every model whose OUI list holds the MAC's first three octets (any case, separators
    /// ':' '-' '.' or none). One vendor block often covers several models.
    QList<const BoardModelInfo *> modelsForMac(const QString &mac) const;
    /// The model for a MAC when exactly one matches, else nullptr (unknown or ambiguous: ask
    /// the board for its device-tree model instead).
    const BoardModelInfo *modelForMac(const QString &mac) const;
    /// Model matching a device-tree model / DMI product string (case-insensitive substring,
    /// longest match wins), or nullptr.
    const BoardModelInfo *modelForHardwareName(const QString &name) const;

    /// The model's image a board runs: the one named exactly `os`, else the first whose name
    /// starts with os's first word ("DietPi v9" -> "DietPi (Debian bookworm)"), else nullptr.
    /// The one rule for the flash guidance, the wizard and the workflows.
    const OsImage *image(const QString &modelId, const QString &os) const;
    /// Who to log in as when the plan names nobody (and ~/.ssh/config neither): the default
    /// user of the board's image, else Administrator on Windows, else root.
    QString defaultLoginUser(const Board &board) const;

private:
    QList<BoardModelInfo> m_models;
    QList<ImageDownloadInfo> m_downloads;
};

} // namespace Hivelab
