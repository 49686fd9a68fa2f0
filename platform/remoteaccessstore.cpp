// SPDX-License-Identifier: GPL-3.0-or-later
#include "remoteaccessstore.h"

#include "atomicfilewriter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace Hivelab {

RemoteAccessStore::RemoteAccessStore(const QString &labName, const QString &root)
    : m_labName(labName)
{
    const QString base =
        root.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                  QStringLiteral("/remote")
            : root;
    // One folder name per lab name, whatever characters it holds.
    const QString name = QString::fromLatin1(
        QUrl::toPercentEncoding(labName.isEmpty() ? QStringLiteral("lab") : labName, {}, "/."));
    m_folder = base + QLatin1Char('/') + name;
}

QString RemoteAccessStore::caCertificatePath() const
{
    return m_folder + QStringLiteral("/ca.pem");
}

QString RemoteAccessStore::caKeyPath() const
{
    return m_folder + QStringLiteral("/ca-key.pem");
}

QString RemoteAccessStore::clientFolder() const
{
    return m_folder + QStringLiteral("/client");
}

QString RemoteAccessStore::boardFolder(const QString &boardId) const
{
    return m_folder + QStringLiteral("/boards/") +
           QString::fromLatin1(QUrl::toPercentEncoding(boardId, {}, "/."));
}

QByteArray RemoteAccessStore::readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool RemoteAccessStore::writeFile(const QString &path, const QByteArray &data, int mode,
                                  QString *error)
{
    // Every folder on the way that we make is private: it holds keys.
    const QString folder = QFileInfo(path).absolutePath();
    QStringList missing;
    for (QString f = folder; !QFileInfo::exists(f) && f != QFileInfo(f).absolutePath();
         f = QFileInfo(f).absolutePath())
        missing.prepend(f);
    for (const QString &f : missing) {
        if (::mkdir(QFile::encodeName(f).constData(), 0700) != 0 && !QFileInfo(f).isDir()) {
            *error = QStringLiteral("Cannot create %1: %2").arg(f, QString::fromLocal8Bit(
                                                                        strerror(errno)));
            return false;
        }
    }
    const AtomicFileWriter::Result r = AtomicFileWriter::write(path, data, mode);
    if (!r.ok()) {
        *error = QStringLiteral("Cannot write %1: %2").arg(path, r.errorText());
        return false;
    }
    return true;
}

bool RemoteAccessStore::hasCa() const
{
    return QFileInfo::exists(caCertificatePath()) || QFileInfo::exists(caKeyPath());
}

std::optional<CertificateAuthority> RemoteAccessStore::loadOrCreateCa(QString *error) const
{
    if (hasCa()) {
        const QByteArray cert = readFile(caCertificatePath());
        const QByteArray key = readFile(caKeyPath());
        std::optional<CertificateAuthority> ca = CertificateAuthority::load(cert, key, error);
        if (!ca)
            *error = QStringLiteral("%1 (in %2)").arg(*error, m_folder);
        return ca;
    }
    std::optional<CertificateAuthority> ca = CertificateAuthority::create(
        QStringLiteral("Hivelab CA for %1").arg(m_labName), CaValidDays, error);
    if (!ca)
        return std::nullopt;
    // The key first: a certificate without its key would be refused next time.
    if (!writeFile(caKeyPath(), ca->keyPem(), 0600, error) ||
        !writeFile(caCertificatePath(), ca->certificatePem(), 0644, error))
        return std::nullopt;
    return ca;
}

CertificateInfo RemoteAccessStore::clientCertificate() const
{
    return CertificateAuthority::inspect(readFile(clientFolder() + QStringLiteral("/cert.pem")));
}

bool RemoteAccessStore::ensureClient(const CertificateAuthority &ca, int validDays,
                                     int renewBeforeDays, bool force, QString *error) const
{
    const QString dir = clientFolder();
    const QByteArray caPem = ca.certificatePem();
    const QByteArray cert = readFile(dir + QStringLiteral("/cert.pem"));
    const QByteArray key = readFile(dir + QStringLiteral("/key.pem"));
    QString why;
    const bool usable =
        !force && CertificateAuthority::keyMatches(cert, key) &&
        CertificateAuthority::verify(caPem, cert, CertificateAuthority::Purpose::Client, &why) &&
        !CertificateAuthority::inspect(cert).renewalDue(QDateTime::currentDateTimeUtc(),
                                                        renewBeforeDays);
    if (usable)
        return writeFile(dir + QStringLiteral("/ca.pem"), caPem, 0644, error);
    const std::optional<CertificateAuthority::Issued> issued =
        ca.issueClient(QStringLiteral("hivelab-client"), validDays, error);
    return issued && writeFile(dir + QStringLiteral("/key.pem"), issued->keyPem, 0600, error) &&
           writeFile(dir + QStringLiteral("/cert.pem"), issued->certificatePem, 0644, error) &&
           writeFile(dir + QStringLiteral("/ca.pem"), caPem, 0644, error);
}

CertificateAuthority::Issued RemoteAccessStore::boardMaterial(const QString &boardId) const
{
    const QString dir = boardFolder(boardId);
    return {readFile(dir + QStringLiteral("/cert.pem")), readFile(dir + QStringLiteral("/key.pem"))};
}

CertificateInfo RemoteAccessStore::boardCertificate(const QString &boardId) const
{
    return CertificateAuthority::inspect(readFile(boardFolder(boardId) + QStringLiteral("/cert.pem")));
}

bool RemoteAccessStore::saveBoardMaterial(const QString &boardId,
                                          const CertificateAuthority::Issued &issued,
                                          QString *error) const
{
    const QString dir = boardFolder(boardId);
    return writeFile(dir + QStringLiteral("/key.pem"), issued.keyPem, 0600, error) &&
           writeFile(dir + QStringLiteral("/cert.pem"), issued.certificatePem, 0644, error);
}

} // namespace Hivelab
