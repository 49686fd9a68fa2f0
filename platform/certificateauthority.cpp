// SPDX-License-Identifier: GPL-3.0-or-later
#include "certificateauthority.h"

#include <QHostAddress>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace Hivelab {

namespace {

struct Free
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(X509 *p) const { X509_free(p); }
    void operator()(BIO *p) const { BIO_free(p); }
    void operator()(X509_STORE *p) const { X509_STORE_free(p); }
    void operator()(X509_STORE_CTX *p) const { X509_STORE_CTX_free(p); }
    void operator()(X509_EXTENSION *p) const { X509_EXTENSION_free(p); }
    void operator()(GENERAL_NAMES *p) const { GENERAL_NAMES_free(p); }
    void operator()(BIGNUM *p) const { BN_free(p); }
};
template<typename T>
using Ptr = std::unique_ptr<T, Free>;

QString opensslError(const QString &what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return what;
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QStringLiteral("%1 (%2)").arg(what, QString::fromLatin1(text));
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

Ptr<BIO> memBio(const QByteArray &bytes)
{
    return Ptr<BIO>(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

Ptr<X509> readCertificate(const QByteArray &pem)
{
    const Ptr<BIO> bio = memBio(pem);
    return Ptr<X509>(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

Ptr<EVP_PKEY> readKey(const QByteArray &pem)
{
    const Ptr<BIO> bio = memBio(pem);
    return Ptr<EVP_PKEY>(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : nullptr);
}

QByteArray certificateToPem(X509 *cert)
{
    const Ptr<BIO> bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    return bioBytes(bio.get());
}

QByteArray keyToPem(EVP_PKEY *key)
{
    const Ptr<BIO> bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioBytes(bio.get());
}

Ptr<EVP_PKEY> newKey()
{
    return Ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

QDateTime fromAsn1(const ASN1_TIME *time)
{
    struct tm t = {};
    if (!time || ASN1_TIME_to_tm(time, &t) != 1)
        return {};
    return QDateTime(QDate(t.tm_year + 1900, t.tm_mon + 1, t.tm_mday),
                     QTime(t.tm_hour, t.tm_min, t.tm_sec), Qt::UTC);
}

QString commonName(const X509_NAME *name)
{
    char text[256] = {};
    if (!name || X509_NAME_get_text_by_NID(const_cast<X509_NAME *>(name), NID_commonName, text,
                                           sizeof text) < 0)
        return {};
    return QString::fromUtf8(text);
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    const Ptr<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// subjectAltName from lists (not a config string: names cannot inject other entries).
bool addSubjectAltNames(X509 *cert, const QStringList &dnsNames, const QStringList &ips)
{
    Ptr<GENERAL_NAMES> names(sk_GENERAL_NAME_new_null());
    if (!names)
        return false;
    for (const QString &dns : dnsNames) {
        const QByteArray bytes = dns.toUtf8();
        GENERAL_NAME *gn = GENERAL_NAME_new();
        ASN1_IA5STRING *s = ASN1_IA5STRING_new();
        if (!gn || !s || ASN1_STRING_set(s, bytes.constData(), int(bytes.size())) != 1) {
            GENERAL_NAME_free(gn);
            ASN1_IA5STRING_free(s);
            return false;
        }
        GENERAL_NAME_set0_value(gn, GEN_DNS, s);
        sk_GENERAL_NAME_push(names.get(), gn);
    }
    for (const QString &ip : ips) {
        ASN1_OCTET_STRING *s = a2i_IPADDRESS(ip.toLatin1().constData());
        GENERAL_NAME *gn = s ? GENERAL_NAME_new() : nullptr;
        if (!gn) {
            ASN1_OCTET_STRING_free(s);
            return false;
        }
        GENERAL_NAME_set0_value(gn, GEN_IPADD, s);
        sk_GENERAL_NAME_push(names.get(), gn);
    }
    if (sk_GENERAL_NAME_num(names.get()) == 0)
        return true;
    return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) ==
           1;
}

bool setRandomSerial(X509 *cert)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f; // positive
    const Ptr<BIGNUM> bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

// A certificate skeleton: version 3, random serial, subject CN, validity from an hour ago (a
// board whose clock lags a little still accepts it) to `days` from now.
Ptr<X509> newCertificate(const QString &cn, EVP_PKEY *key, int days)
{
    Ptr<X509> cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1 || !setRandomSerial(cert.get()))
        return nullptr;
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr);
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cnBytes = cn.left(64).toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(cnBytes.constData()),
                                   int(cnBytes.size()), -1, 0) != 1 ||
        X509_set_pubkey(cert.get(), key) != 1)
        return nullptr;
    return cert;
}

} // namespace

bool CertificateInfo::renewalDue(const QDateTime &now, int renewBeforeDays) const
{
    return !valid || !notAfter.isValid() || now.secsTo(notAfter) < qint64(renewBeforeDays) * 86400;
}

bool CertificateInfo::covers(const QStringList &dns, const QStringList &ips) const
{
    for (const QString &name : dns) {
        if (!dnsNames.contains(name, Qt::CaseInsensitive))
            return false;
    }
    for (const QString &ip : ips) {
        const QHostAddress want(ip);
        bool found = false;
        for (const QString &have : ipAddresses)
            found = found || QHostAddress(have).isEqual(want);
        if (!found)
            return false;
    }
    return true;
}

struct CertificateAuthority::State
{
    Ptr<X509> cert;
    Ptr<EVP_PKEY> key;
};

CertificateAuthority::CertificateAuthority(std::unique_ptr<State> state)
    : d(std::move(state))
{}

CertificateAuthority::~CertificateAuthority() = default;
CertificateAuthority::CertificateAuthority(CertificateAuthority &&) noexcept = default;
CertificateAuthority &CertificateAuthority::operator=(CertificateAuthority &&) noexcept = default;

std::optional<CertificateAuthority> CertificateAuthority::create(const QString &cn, int days,
                                                                 QString *error)
{
    auto state = std::make_unique<State>();
    state->key = newKey();
    if (!state->key) {
        *error = opensslError(QStringLiteral("Could not generate the CA key"));
        return std::nullopt;
    }
    state->cert = newCertificate(cn, state->key.get(), days);
    X509 *cert = state->cert.get();
    if (!cert || X509_set_issuer_name(cert, X509_get_subject_name(cert)) != 1 ||
        !addExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
        !addExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !addExtension(cert, cert, NID_subject_key_identifier, "hash") ||
        X509_sign(cert, state->key.get(), EVP_sha256()) <= 0) {
        *error = opensslError(QStringLiteral("Could not make the CA certificate"));
        return std::nullopt;
    }
    return CertificateAuthority(std::move(state));
}

std::optional<CertificateAuthority> CertificateAuthority::load(const QByteArray &certificatePem,
                                                               const QByteArray &keyPem,
                                                               QString *error)
{
    auto state = std::make_unique<State>();
    state->cert = readCertificate(certificatePem);
    state->key = readKey(keyPem);
    if (!state->cert || !state->key) {
        *error = opensslError(state->cert ? QStringLiteral("The CA key is not a PEM private key")
                                          : QStringLiteral("The CA certificate is not PEM"));
        return std::nullopt;
    }
    if (X509_check_private_key(state->cert.get(), state->key.get()) != 1) {
        ERR_clear_error();
        *error = QStringLiteral("The CA key does not belong to the CA certificate");
        return std::nullopt;
    }
    return CertificateAuthority(std::move(state));
}

QByteArray CertificateAuthority::certificatePem() const
{
    return certificateToPem(d->cert.get());
}

QByteArray CertificateAuthority::keyPem() const
{
    return keyToPem(d->key.get());
}

std::optional<CertificateAuthority::Issued>
CertificateAuthority::issue(const QString &cn, Purpose purpose, const QStringList &dnsNames,
                            const QStringList &ipAddresses, int days, QString *error) const
{
    for (const QString &ip : ipAddresses) {
        if (QHostAddress(ip).isNull()) {
            *error = QStringLiteral("\"%1\" is not an IP address").arg(ip);
            return std::nullopt;
        }
    }
    const Ptr<EVP_PKEY> key = newKey();
    const Ptr<X509> cert = key ? newCertificate(cn, key.get(), days) : nullptr;
    X509 *c = cert.get();
    const bool server = purpose == Purpose::Server;
    if (!c || X509_set_issuer_name(c, X509_get_subject_name(d->cert.get())) != 1 ||
        !addExtension(c, d->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(c, d->cert.get(), NID_key_usage, "critical,digitalSignature") ||
        !addExtension(c, d->cert.get(), NID_ext_key_usage,
                      server ? "serverAuth" : "clientAuth") ||
        !addExtension(c, d->cert.get(), NID_authority_key_identifier, "keyid:always") ||
        (server && !addSubjectAltNames(c, dnsNames, ipAddresses)) ||
        X509_sign(c, d->key.get(), EVP_sha256()) <= 0) {
        *error = opensslError(QStringLiteral("Could not issue the certificate for %1").arg(cn));
        return std::nullopt;
    }
    return Issued{certificateToPem(c), keyToPem(key.get())};
}

std::optional<CertificateAuthority::Issued>
CertificateAuthority::issueServer(const QString &cn, const QStringList &dnsNames,
                                  const QStringList &ipAddresses, int days, QString *error) const
{
    return issue(cn, Purpose::Server, dnsNames, ipAddresses, days, error);
}

std::optional<CertificateAuthority::Issued>
CertificateAuthority::issueClient(const QString &cn, int days, QString *error) const
{
    return issue(cn, Purpose::Client, {}, {}, days, error);
}

bool CertificateAuthority::verify(const QByteArray &caPem, const QByteArray &certificatePem,
                                  Purpose purpose, QString *error)
{
    const Ptr<X509> ca = readCertificate(caPem);
    const Ptr<X509> cert = readCertificate(certificatePem);
    const Ptr<X509_STORE> store(X509_STORE_new());
    const Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
    if (!ca || !cert || !store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
        X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
        *error = opensslError(QStringLiteral("Not a PEM certificate"));
        return false;
    }
    X509_STORE_CTX_set_purpose(ctx.get(), purpose == Purpose::Server ? X509_PURPOSE_SSL_SERVER
                                                                      : X509_PURPOSE_SSL_CLIENT);
    if (X509_verify_cert(ctx.get()) != 1) {
        *error = QString::fromLatin1(
            X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
        ERR_clear_error();
        return false;
    }
    return true;
}

CertificateInfo CertificateAuthority::inspect(const QByteArray &certificatePem)
{
    CertificateInfo info;
    const Ptr<X509> cert = readCertificate(certificatePem);
    if (!cert) {
        ERR_clear_error();
        return info;
    }
    info.valid = true;
    info.subject = commonName(X509_get_subject_name(cert.get()));
    info.issuer = commonName(X509_get_issuer_name(cert.get()));
    info.notBefore = fromAsn1(X509_get0_notBefore(cert.get()));
    info.notAfter = fromAsn1(X509_get0_notAfter(cert.get()));
    const Ptr<BIGNUM> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
    if (serial) {
        char *hex = BN_bn2hex(serial.get());
        info.serial = QByteArray(hex).toLower();
        OPENSSL_free(hex);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert.get(), EVP_sha256(), digest, &length) == 1)
        info.sha256 = QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
    const Ptr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names.get(), i);
        if (gn->type == GEN_DNS) {
            const ASN1_STRING *s = gn->d.dNSName;
            info.dnsNames << QString::fromUtf8(
                reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
        } else if (gn->type == GEN_IPADD) {
            const ASN1_STRING *s = gn->d.iPAddress;
            const unsigned char *b = ASN1_STRING_get0_data(s);
            if (ASN1_STRING_length(s) == 4) {
                info.ipAddresses << QHostAddress(quint32(b[0]) << 24 | quint32(b[1]) << 16 |
                                                 quint32(b[2]) << 8 | quint32(b[3]))
                                        .toString();
            } else if (ASN1_STRING_length(s) == 16) {
                info.ipAddresses << QHostAddress(b).toString();
            }
        }
    }
    ERR_clear_error();
    return info;
}

bool CertificateAuthority::keyMatches(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    const Ptr<X509> cert = readCertificate(certificatePem);
    const Ptr<EVP_PKEY> key = readKey(keyPem);
    const bool ok = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
    ERR_clear_error();
    return ok;
}

} // namespace Hivelab
