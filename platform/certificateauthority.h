// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Hivelab {

/// What a PEM certificate says (CertificateAuthority::inspect). Plain value type.
struct CertificateInfo
{
    bool valid = false; // false: not a PEM certificate
    QString subject;    // the common name
    QString issuer;     // the issuer's common name
    QDateTime notBefore;
    QDateTime notAfter;
    QStringList dnsNames;    // subjectAltName DNS entries
    QStringList ipAddresses; // subjectAltName IP entries, as text
    QByteArray serial;       // hex
    QByteArray sha256;       // hex fingerprint of the DER form

    /// Whole days (24 h) from `now` to notAfter, rounded down (negative once expired).
    qint64 daysLeft(const QDateTime &now) const
    {
        const qint64 secs = now.secsTo(notAfter);
        return secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    }
    /// True when the certificate should be re-issued: expired, or fewer than `renewBeforeDays`
    /// days left at `now`. An invalid certificate is always due.
    bool renewalDue(const QDateTime &now, int renewBeforeDays) const;
    /// True when every name and address in `dns` / `ips` is among the certificate's SANs.
    bool covers(const QStringList &dns, const QStringList &ips) const;
};

/// A certificate authority for one lab's TLS remote access (Docker engines on 2376 with
/// client verification): an EC P-256 CA that issues server certificates (with DNS and IP
/// subjectAltNames) and client certificates, and verifies chains with OpenSSL's
/// X509_verify_cert. OpenSSL's libcrypto; Qt's QSslCertificate cannot issue. Keys are PEM
/// (PKCS#8, unencrypted: the caller stores them 0600). Synchronous (a key takes ~1 ms);
/// any thread, one object per thread.
class CertificateAuthority
{
public:
    /// A certificate and its private key, PEM.
    struct Issued
    {
        QByteArray certificatePem;
        QByteArray keyPem;
    };
    enum class Purpose { Server, Client };

    ~CertificateAuthority();
    CertificateAuthority(CertificateAuthority &&) noexcept;
    CertificateAuthority &operator=(CertificateAuthority &&) noexcept;
    Q_DISABLE_COPY(CertificateAuthority)

    /// A new self-signed CA valid for `days` from now. Nothing on failure (*error says why).
    static std::optional<CertificateAuthority> create(const QString &commonName, int days,
                                                      QString *error);
    /// The CA from its certificate and key (PEM); refused when the key does not match.
    static std::optional<CertificateAuthority> load(const QByteArray &certificatePem,
                                                    const QByteArray &keyPem, QString *error);

    QByteArray certificatePem() const;
    QByteArray keyPem() const;

    /// A server certificate (serverAuth) for `commonName` with these SANs, valid for `days`.
    std::optional<Issued> issueServer(const QString &commonName, const QStringList &dnsNames,
                                      const QStringList &ipAddresses, int days,
                                      QString *error) const;
    /// A client certificate (clientAuth) for `commonName`, valid for `days`.
    std::optional<Issued> issueClient(const QString &commonName, int days, QString *error) const;

    /// X509_verify_cert of `certificatePem` against the CA `caPem` alone, for `purpose`
    /// (sslserver / sslclient). False with *error holding OpenSSL's reason.
    static bool verify(const QByteArray &caPem, const QByteArray &certificatePem,
                       Purpose purpose, QString *error);
    /// Fields of a PEM certificate (valid false when it is none).
    static CertificateInfo inspect(const QByteArray &certificatePem);
    /// True when `keyPem` is the private key of `certificatePem`.
    static bool keyMatches(const QByteArray &certificatePem, const QByteArray &keyPem);

private:
    struct State;
    explicit CertificateAuthority(std::unique_ptr<State> state);
    std::optional<Issued> issue(const QString &commonName, Purpose purpose,
                                const QStringList &dnsNames, const QStringList &ipAddresses,
                                int days, QString *error) const;

    std::unique_ptr<State> d;
};

} // namespace Hivelab
