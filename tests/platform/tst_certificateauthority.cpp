// SPDX-License-Identifier: GPL-3.0-or-later
// CertificateAuthority and RemoteAccessStore: a CA issues server and client certificates whose
// chains verify (X509_verify_cert, and independently the `openssl verify` tool), with the SANs
// asked for; expiry and the renewal decision; keys on disk are 0600 in 0700 folders; a CA key
// that does not match its certificate is refused, never replaced.
#include "certificateauthority.h"
#include "remoteaccessstore.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Hivelab;

class TestCertificateAuthority : public QObject
{
    Q_OBJECT
private:
    static int modeOf(const QString &path)
    {
        struct stat st = {};
        if (::stat(QFile::encodeName(path).constData(), &st) != 0)
            return -1;
        return int(st.st_mode & 07777);
    }
    static CertificateAuthority makeCa()
    {
        QString error;
        std::optional<CertificateAuthority> ca =
            CertificateAuthority::create(QStringLiteral("Test CA"), 30, &error);
        if (!ca)
            qFatal("%s", qPrintable(error));
        return std::move(*ca);
    }

private Q_SLOTS:
    void issuesServerCertificateWithSans()
    {
        const CertificateAuthority ca = makeCa();
        QString error;
        const auto issued = ca.issueServer(
            QStringLiteral("pine64-1"),
            {QStringLiteral("pine64-1"), QStringLiteral("localhost")},
            {QStringLiteral("10.77.0.11"), QStringLiteral("127.0.0.1"), QStringLiteral("fd00::11")},
            90, &error);
        QVERIFY2(issued, qPrintable(error));
        QVERIFY(CertificateAuthority::keyMatches(issued->certificatePem, issued->keyPem));
        QVERIFY2(CertificateAuthority::verify(ca.certificatePem(), issued->certificatePem,
                                              CertificateAuthority::Purpose::Server, &error),
                 qPrintable(error));
        // A server certificate is no client certificate.
        QVERIFY(!CertificateAuthority::verify(ca.certificatePem(), issued->certificatePem,
                                              CertificateAuthority::Purpose::Client, &error));
        const CertificateInfo info = CertificateAuthority::inspect(issued->certificatePem);
        QVERIFY(info.valid);
        QCOMPARE(info.subject, QStringLiteral("pine64-1"));
        QCOMPARE(info.issuer, QStringLiteral("Test CA"));
        QCOMPARE(info.dnsNames, (QStringList{QStringLiteral("pine64-1"), QStringLiteral("localhost")}));
        QCOMPARE(info.ipAddresses, (QStringList{QStringLiteral("10.77.0.11"),
                                                QStringLiteral("127.0.0.1"),
                                                QStringLiteral("fd00::11")}));
        QVERIFY(info.covers({QStringLiteral("PINE64-1")}, {QStringLiteral("10.77.0.11")}));
        QVERIFY(!info.covers({}, {QStringLiteral("10.77.0.12")}));
        QVERIFY(!info.covers({QStringLiteral("pine64-2")}, {}));
        QCOMPARE(info.sha256.size(), 64);
    }

    void chainVerifiesWithTheOpensslTool()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("the openssl tool is not installed");
        const CertificateAuthority ca = makeCa();
        const CertificateAuthority other = makeCa();
        QString error;
        const auto server = ca.issueServer(QStringLiteral("b"), {QStringLiteral("b")}, {}, 10,
                                           &error);
        const auto client = ca.issueClient(QStringLiteral("laptop"), 10, &error);
        QVERIFY(server && client);
        QTemporaryDir dir;
        auto write = [&dir](const QString &name, const QByteArray &data) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
                qFatal("cannot write %s", qPrintable(name));
            return f.fileName();
        };
        const QString caFile = write(QStringLiteral("ca.pem"), ca.certificatePem());
        const QString otherFile = write(QStringLiteral("other.pem"), other.certificatePem());
        auto verify = [&](const QString &caPath, const QString &purpose, const QByteArray &pem) {
            QProcess p;
            p.start(openssl, {QStringLiteral("verify"), QStringLiteral("-CAfile"), caPath,
                              QStringLiteral("-purpose"), purpose,
                              write(QStringLiteral("leaf.pem"), pem)});
            if (!p.waitForFinished(10000))
                return -1;
            return p.exitCode();
        };
        QCOMPARE(verify(caFile, QStringLiteral("sslserver"), server->certificatePem), 0);
        QCOMPARE(verify(caFile, QStringLiteral("sslclient"), client->certificatePem), 0);
        QVERIFY(verify(otherFile, QStringLiteral("sslserver"), server->certificatePem) != 0);
        QVERIFY(verify(caFile, QStringLiteral("sslclient"), server->certificatePem) != 0);
        QVERIFY(!CertificateAuthority::verify(other.certificatePem(), server->certificatePem,
                                              CertificateAuthority::Purpose::Server, &error));
        QVERIFY(!error.isEmpty());
    }

    void expiryAndRenewal()
    {
        const CertificateAuthority ca = makeCa();
        QString error;
        const auto issued = ca.issueClient(QStringLiteral("laptop"), 20, &error);
        QVERIFY(issued);
        const CertificateInfo info = CertificateAuthority::inspect(issued->certificatePem);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(qAbs(now.secsTo(info.notAfter) - 20 * 86400) < 120);
        QVERIFY(info.notBefore < now);
        QCOMPARE(info.daysLeft(now), qint64(19)); // 20 days minus the seconds this took
        QVERIFY(info.renewalDue(now, 30));
        QVERIFY(!info.renewalDue(now, 10));
        QVERIFY(info.renewalDue(now.addDays(15), 10));
        QVERIFY(info.renewalDue(now.addDays(21), 0)); // expired
        QVERIFY(CertificateInfo().renewalDue(now, 0)); // none at all
        QVERIFY(!CertificateAuthority::inspect("not a certificate").valid);
    }

    void badInputIsRefused()
    {
        const CertificateAuthority ca = makeCa();
        QString error;
        QVERIFY(!ca.issueServer(QStringLiteral("b"), {}, {QStringLiteral("10.0.0.300")}, 1, &error));
        QVERIFY2(error.contains(QLatin1String("10.0.0.300")), qPrintable(error));
        const CertificateAuthority other = makeCa();
        QVERIFY(!CertificateAuthority::load(ca.certificatePem(), other.keyPem(), &error));
        QVERIFY2(error.contains(QLatin1String("does not belong")), qPrintable(error));
        QVERIFY(!CertificateAuthority::load("junk", ca.keyPem(), &error));
        QVERIFY(CertificateAuthority::load(ca.certificatePem(), ca.keyPem(), &error));
    }

    void storeKeepsKeysPrivate()
    {
        QTemporaryDir root;
        const RemoteAccessStore store(QStringLiteral("My Lab/1"), root.path() + "/remote");
        QVERIFY(!store.hasCa());
        QString error;
        std::optional<CertificateAuthority> ca = store.loadOrCreateCa(&error);
        QVERIFY2(ca, qPrintable(error));
        QVERIFY(store.folder().startsWith(root.path() + "/remote/"));
        QVERIFY(!store.folder().mid(root.path().size() + 8).contains(QLatin1Char('/')));
        QCOMPARE(modeOf(store.caKeyPath()), 0600);
        QCOMPARE(modeOf(store.folder()), 0700);
        QCOMPARE(modeOf(root.path() + "/remote"), 0700);

        QVERIFY2(store.ensureClient(*ca, 100, 30, false, &error), qPrintable(error));
        const QString dir = store.clientFolder();
        QCOMPARE(modeOf(dir + "/key.pem"), 0600);
        QCOMPARE(modeOf(dir + "/cert.pem"), 0644);
        QCOMPARE(RemoteAccessStore::readFile(dir + "/ca.pem"), ca->certificatePem());
        const QByteArray serial = store.clientCertificate().serial;
        // Not due: kept. Forced, or due under a longer renewal window: re-issued.
        QVERIFY(store.ensureClient(*ca, 100, 30, false, &error));
        QCOMPARE(store.clientCertificate().serial, serial);
        QVERIFY(store.ensureClient(*ca, 100, 120, false, &error));
        const QByteArray renewed = store.clientCertificate().serial;
        QVERIFY(renewed != serial);
        QVERIFY(store.ensureClient(*ca, 100, 30, true, &error));
        QVERIFY(store.clientCertificate().serial != renewed);
        QCOMPARE(modeOf(dir + "/key.pem"), 0600);

        // The same CA next time; a key that does not match is refused, not replaced.
        std::optional<CertificateAuthority> again = store.loadOrCreateCa(&error);
        QVERIFY(again);
        QCOMPARE(again->certificatePem(), ca->certificatePem());
        const QByteArray foreignKey = makeCa().keyPem();
        QVERIFY(RemoteAccessStore::writeFile(store.caKeyPath(), foreignKey, 0600, &error));
        QVERIFY(!store.loadOrCreateCa(&error));
        QVERIFY2(error.contains(store.folder()), qPrintable(error));
        QCOMPARE(RemoteAccessStore::readFile(store.caKeyPath()), foreignKey);

        // A board's material.
        const auto issued = ca->issueServer(QStringLiteral("b1"), {QStringLiteral("b1")}, {}, 5,
                                            &error);
        QVERIFY(store.saveBoardMaterial(QStringLiteral("b/1"), *issued, &error));
        QCOMPARE(modeOf(store.boardFolder(QStringLiteral("b/1")) + "/key.pem"), 0600);
        QCOMPARE(store.boardCertificate(QStringLiteral("b/1")).subject, QStringLiteral("b1"));
    }
};

QTEST_GUILESS_MAIN(TestCertificateAuthority)
#include "tst_certificateauthority.moc"
