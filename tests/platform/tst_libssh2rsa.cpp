// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSSH >= 8.8 accepts RSA signatures only as rsa-sha2-256/512. This checks, against a real
// sshd on 127.0.0.1, that the libssh2 Hivelab links can log in with an RSA key and use an RSA
// host key, and shows that bookworm's libssh2 1.10 cannot (the reason packaging/build-libssh2.sh
// exists). Both sides run the same raw-libssh2 probe, built against each library.
#include "childprocess.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QVersionNumber>

#include <memory>
#include <unistd.h>

namespace {

const int processTimeoutMs = 20000;

struct ProbeResult
{
    int exitCode = -1;
    QHash<QString, QString> facts;
    QByteArray output;
};

// One sshd -D on a free loopback port, its log (stderr, -e) collected as it arrives.
class Sshd
{
public:
    bool start(const QString &dir, const QString &name, const QString &hostKey,
               const QString &authorizedKeys)
    {
        // Bounded: a port picked free can be taken before sshd binds it.
        for (int attempt = 0; attempt < 3; ++attempt) {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0))
                return false;
            port = probe.serverPort();
            probe.close();

            const QString config = dir + QLatin1Char('/') + name + QStringLiteral(".conf");
            QFile f(config);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return false;
            f.write(QStringLiteral("ListenAddress 127.0.0.1\n"
                                   "Port %1\n"
                                   "HostKey %2\n"
                                   "AuthorizedKeysFile %3\n"
                                   "PidFile none\n"
                                   "StrictModes no\n"
                                   "UsePAM no\n"
                                   "PasswordAuthentication no\n"
                                   "KbdInteractiveAuthentication no\n"
                                   "PubkeyAuthentication yes\n"
                                   "PermitRootLogin prohibit-password\n"
                                   "LogLevel DEBUG1\n")
                        .arg(port)
                        .arg(hostKey, authorizedKeys)
                        .toUtf8());
            f.close();

            process = std::make_unique<QProcess>();
            process->setProcessChannelMode(QProcess::SeparateChannels);
            QObject::connect(process.get(), &QProcess::readyReadStandardError, process.get(),
                             [this] { log += process->readAllStandardError(); });
            log.clear();
            process->start(
                QStringLiteral("/usr/sbin/sshd"),
                {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config});
            const QByteArray ready =
                QByteArray("Server listening on 127.0.0.1 port ") + QByteArray::number(port);
            const bool settled = QTest::qWaitFor(
                [&] { return log.contains(ready) || process->state() == QProcess::NotRunning; },
                10000);
            if (settled && log.contains(ready) && process->state() == QProcess::Running)
                return true;
            stop();
        }
        return false;
    }

    void stop()
    {
        if (!process)
            return;
        process->terminate();
        if (!process->waitForFinished(5000))
            process->kill();
        process->waitForFinished(5000);
        process.reset();
    }

    ~Sshd() { stop(); }

    std::unique_ptr<QProcess> process;
    quint16 port = 0;
    QByteArray log;
};

ProbeResult runProbe(const QString &probe, quint16 port, const QString &key)
{
    ProbeResult result;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(probe, {QString::number(port), QStringLiteral("root"), key});
    if (!HivelabTest::finishWithin(p, processTimeoutMs))
        return result;
    result.exitCode = HivelabTest::exitCodeOf(p);
    result.output = p.readAll();
    result.facts = HivelabTest::keyValueLines(result.output);
    return result;
}

bool keygen(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("ssh-keygen"),
            QStringList{QStringLiteral("-q"), QStringLiteral("-N"), QString()} + args);
    return p.waitForFinished(processTimeoutMs) && p.exitStatus() == QProcess::NormalExit &&
           p.exitCode() == 0;
}

bool atLeast111(const QString &version)
{
    return QVersionNumber::fromString(version) >= QVersionNumber(1, 11);
}

} // namespace

class TestLibssh2Rsa : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void ed25519WorksWithBoth();
    void rsaUserKey();
    void rsaHostKey();
    void appLinksSameLibssh2();
    void cleanupTestCase();

private:
    QString key(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QTemporaryDir m_dir;
    Sshd m_ed25519Host;
    Sshd m_rsaHost;
    QString m_linkedVersion;
};

void TestLibssh2Rsa::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("needs root: sshd only logs in other users when it runs as root");
    if (!QFile::exists(QStringLiteral("/usr/sbin/sshd")) ||
        QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty())
        QSKIP("openssh-server is not installed (packaging/install-deps.sh test)");
    QVERIFY(m_dir.isValid());
    // sshd refuses to start without its privilege-separation directory.
    QVERIFY(QDir().mkpath(QStringLiteral("/run/sshd")));

    QVERIFY(keygen({QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-f"),
                    key("host_ed25519")}));
    QVERIFY(keygen({QStringLiteral("-t"), QStringLiteral("rsa"), QStringLiteral("-b"),
                    QStringLiteral("2048"), QStringLiteral("-f"), key("host_rsa")}));
    QVERIFY(keygen({QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-f"),
                    key("id_ed25519")}));
    // PEM, which every libssh2 reads, so a failure can only come from the signature algorithm.
    QVERIFY(keygen({QStringLiteral("-t"), QStringLiteral("rsa"), QStringLiteral("-b"),
                    QStringLiteral("2048"), QStringLiteral("-m"), QStringLiteral("PEM"),
                    QStringLiteral("-f"), key("id_rsa")}));
    QFile authorized(key("authorized_keys"));
    QVERIFY(authorized.open(QIODevice::WriteOnly));
    for (const char *pub : {"id_ed25519.pub", "id_rsa.pub"}) {
        QFile f(key(pub));
        QVERIFY(f.open(QIODevice::ReadOnly));
        authorized.write(f.readAll());
    }
    authorized.close();

    QVERIFY2(m_ed25519Host.start(m_dir.path(), QStringLiteral("ed25519"), key("host_ed25519"),
                                 key("authorized_keys")),
             m_ed25519Host.log.constData());
    QVERIFY2(m_rsaHost.start(m_dir.path(), QStringLiteral("rsa"), key("host_rsa"),
                             key("authorized_keys")),
             m_rsaHost.log.constData());
}

void TestLibssh2Rsa::ed25519WorksWithBoth()
{
    // The control: the servers, keys and probes work, so any RSA failure below is about RSA.
    const ProbeResult linked =
        runProbe(QStringLiteral(HIVELAB_PROBE_LINKED), m_ed25519Host.port, key("id_ed25519"));
    QVERIFY2(linked.exitCode == 0, linked.output.constData());
    m_linkedVersion = linked.facts.value(QStringLiteral("version"));
    QVERIFY(!m_linkedVersion.isEmpty());
#ifdef HIVELAB_PROBE_SYSTEM
    const ProbeResult system =
        runProbe(QStringLiteral(HIVELAB_PROBE_SYSTEM), m_ed25519Host.port, key("id_ed25519"));
    QVERIFY2(system.exitCode == 0, system.output.constData());
#endif
}

void TestLibssh2Rsa::rsaUserKey()
{
#ifdef HIVELAB_PROBE_SYSTEM
    // bookworm's libssh2 signs with SHA-1 "ssh-rsa"; OpenSSH 9 turns that down.
    const ProbeResult system =
        runProbe(QStringLiteral(HIVELAB_PROBE_SYSTEM), m_ed25519Host.port, key("id_rsa"));
    QVERIFY2(system.exitCode == 1, system.output.constData());
    QTRY_VERIFY_WITH_TIMEOUT(m_ed25519Host.log.contains("ssh-rsa not in PubkeyAcceptedAlgorithms"),
                             5000);
#endif
    const qsizetype logBefore = m_ed25519Host.log.size();
    const ProbeResult linked =
        runProbe(QStringLiteral(HIVELAB_PROBE_LINKED), m_ed25519Host.port, key("id_rsa"));
    if (!atLeast111(linked.facts.value(QStringLiteral("version")))) {
        QVERIFY2(linked.exitCode == 1, linked.output.constData());
        QSKIP("Hivelab links libssh2 < 1.11: RSA keys cannot log in to OpenSSH >= 8.8 (run "
              "packaging/build-libssh2.sh, see docs/SSH-RSA.md)");
    }
    QVERIFY2(linked.exitCode == 0, linked.output.constData());
    QCOMPARE(linked.facts.value(QStringLiteral("auth")), QStringLiteral("ok"));
    // The server's side of it: accepted, and signed with SHA-2. Only this login's part of the log
    // counts (the ed25519 control logged in before).
    QTRY_VERIFY_WITH_TIMEOUT(
        m_ed25519Host.log.mid(logBefore).contains("Accepted publickey for root"), 5000);
    QVERIFY2(m_ed25519Host.log.mid(logBefore).contains("pkalg rsa-sha2-"),
             m_ed25519Host.log.mid(logBefore).constData());
}

void TestLibssh2Rsa::rsaHostKey()
{
#ifdef HIVELAB_PROBE_SYSTEM
    const ProbeResult system =
        runProbe(QStringLiteral(HIVELAB_PROBE_SYSTEM), m_rsaHost.port, key("id_ed25519"));
    QVERIFY2(system.exitCode == 2, system.output.constData());
#endif
    const ProbeResult linked =
        runProbe(QStringLiteral(HIVELAB_PROBE_LINKED), m_rsaHost.port, key("id_ed25519"));
    if (!atLeast111(linked.facts.value(QStringLiteral("version"))))
        QSKIP("Hivelab links libssh2 < 1.11: RSA-only hosts fail the handshake");
    QVERIFY2(linked.exitCode == 0, linked.output.constData());
    QVERIFY2(linked.facts.value(QStringLiteral("hostkey")).startsWith(QLatin1String("rsa-sha2-")),
             linked.output.constData());
}

void TestLibssh2Rsa::appLinksSameLibssh2()
{
    const QString bin = qEnvironmentVariable("HIVELAB_BIN");
    if (bin.isEmpty() || !QFile::exists(bin))
        QSKIP("hivelab is not built");
    QVERIFY(!m_linkedVersion.isEmpty());
    QProcess p;
    p.start(bin, {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(processTimeoutMs));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(out.contains(QStringLiteral("libssh2 %1").arg(m_linkedVersion)), qPrintable(out));
}

void TestLibssh2Rsa::cleanupTestCase()
{
    m_ed25519Host.stop();
    m_rsaHost.stop();
}

QTEST_GUILESS_MAIN(TestLibssh2Rsa)
#include "tst_libssh2rsa.moc"
