// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

struct OsImage
{
    QString name;       // "DietPi (Debian bookworm)"
    QString url;        // where users download it (informational; the app never fetches)
    QString defaultUser;
    QString defaultPassword; // documented factory default, shown as guidance only
    QString sshServer;  // "dropbear" / "openssh"
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
    QStringList bootMedia;   // "microSD", "eMMC", "USB", "NVMe", "SATA"
    QList<OsImage> images;   // recommended first
    QStringList ouiPrefixes; // "B8:27:EB"
    QStringList deviceTreeModels; // substrings of /proc/device-tree/model or DMI product name

    double typicalWatts() const { return volts * typicalAmps; }
    double peakWatts() const { return volts * peakAmps; }
};

/// Catalog of known board models, shipped as JSON in the resources (":/hivelab/boards.json").
/// Adding a board model is editing that file. Immutable after load; any thread.
class BoardCatalog
{
public:
    /// The built-in catalog (loaded once, thread-safe).
    static const BoardCatalog &builtin();
    static std::optional<BoardCatalog> fromJson(const QByteArray &data, QString *error);

    const QList<BoardModelInfo> &models() const { return m_models; }
    const BoardModelInfo *model(const QString &id) const;
    /// Model whose OUI list holds the MAC's first three octets, or nullptr.
    const BoardModelInfo *modelForMac(const QString &mac) const;
    /// Model matching a device-tree model / DMI product string, or nullptr.
    const BoardModelInfo *modelForHardwareName(const QString &name) const;

private:
    QList<BoardModelInfo> m_models;
};

} // namespace Hivelab
