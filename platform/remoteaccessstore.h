// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "certificateauthority.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

/// A lab's TLS material on the laptop, under Hivelab's XDG data folder
/// (`<data>/remote/<lab>/`, folders 0700, keys 0600): the CA (its key never leaves this
/// folder), one server certificate and key per board (`boards/<id>/`), and the client
/// certificate in the layout the docker CLI expects for DOCKER_CERT_PATH (`client/ca.pem`,
/// `cert.pem`, `key.pem`). Synchronous file work (small files); any thread, one object per
/// thread.
class RemoteAccessStore
{
public:
    /// Certificates are valid this long by default, and re-issued when fewer days are left.
    static constexpr int DefaultValidDays = 365;
    static constexpr int DefaultRenewBeforeDays = 30;
    static constexpr int CaValidDays = 3650;

    /// `root` empty: `<AppDataLocation>/remote`.
    explicit RemoteAccessStore(const QString &labName, const QString &root = {});

    QString folder() const { return m_folder; }
    QString caCertificatePath() const;
    QString caKeyPath() const;
    /// DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem of the laptop's client certificate.
    QString clientFolder() const;
    QString boardFolder(const QString &boardId) const;

    /// The lab's CA, made (and saved) on first use. Nothing, with *error, when the files are
    /// unreadable or do not belong together (never silently replaced: boards trust the old).
    std::optional<CertificateAuthority> loadOrCreateCa(QString *error) const;
    /// True when a CA exists for this lab.
    bool hasCa() const;

    /// The client certificate's info (valid false when there is none).
    CertificateInfo clientCertificate() const;
    /// Issues the client certificate when missing, due (or `force`), and writes the client
    /// folder. False with *error on failure.
    bool ensureClient(const CertificateAuthority &ca, int validDays, int renewBeforeDays,
                      bool force, QString *error) const;

    /// The board's stored server certificate and key (empty when none).
    CertificateAuthority::Issued boardMaterial(const QString &boardId) const;
    CertificateInfo boardCertificate(const QString &boardId) const;
    bool saveBoardMaterial(const QString &boardId, const CertificateAuthority::Issued &issued,
                           QString *error) const;

    /// Writes `data` to `path` atomically with exactly `mode` (folders made 0700).
    static bool writeFile(const QString &path, const QByteArray &data, int mode, QString *error);
    static QByteArray readFile(const QString &path);

private:
    QString m_labName;
    QString m_folder;
};

} // namespace Hivelab
