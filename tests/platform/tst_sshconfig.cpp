// SPDX-License-Identifier: GPL-3.0-or-later
// SshConfig asks the real OpenSSH client (`ssh -G`), so these cases are what `ssh` itself does.
#include "sshconfig.h"
#include "sshconfiglookup.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace Hivelab;

class TestSshConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_me;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool write(const QString &name, const QByteArray &text) const
    {
        QFile f(path(name));
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    }
    SshConfig loaded(const QByteArray &text)
    {
        static int n = 0;
        const QString name = QStringLiteral("config%1").arg(++n);
        SshConfig config;
        if (!write(name, text) || !config.load(path(name)))
            qFatal("cannot write or load %s", qPrintable(path(name)));
        return config;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("OpenSSH's ssh (openssh-client) is missing");
        QVERIFY(m_dir.isValid());
        const passwd *pw = ::getpwuid(::geteuid());
        QVERIFY(pw);
        m_me = QString::fromLocal8Bit(pw->pw_name);
        for (const char *key : {"lab_ed25519", "second", "id_dietpi"})
            QVERIFY(write(QLatin1String(key), "not a real key\n"));
    }

    void resolve()
    {
        const QByteArray d = m_dir.path().toUtf8();
        const SshConfig config = loaded("# lab boards\n"
                                        "Host pi-? !pi-9\n"
                                        "    HostName 10.0.0.1%h\n"
                                        "    User dietpi\n"
                                        "    IdentityFile " + d + "/lab_ed25519\n"
                                        "Host pi-*\n"
                                        "    User ignored-second-match\n"
                                        "    Port 2222\n"
                                        "    IdentityFile " + d + "/second\n"
                                        "    IdentityFile " + d + "/missing\n"
                                        "Host \"quoted host\" other\n"
                                        "  HostName=other.lan\n"
                                        "  Port = 2200\n"
                                        "Match exec \"false\"\n"
                                        "  User from-match\n"
                                        "Host *\n"
                                        "    User fallback\n"
                                        "    IdentitiesOnly yes\n"
                                        "    IdentityFile " + d + "/id_%r\n");

        const SshHostConfig pi = config.resolve(QStringLiteral("pi-3"), m_me);
        QVERIFY2(pi.error.isEmpty(), qPrintable(pi.error));
        QCOMPARE(pi.hostName, QStringLiteral("10.0.0.1pi-3"));
        QCOMPARE(pi.user, QStringLiteral("dietpi")); // first match wins
        QCOMPARE(pi.port, quint16(2222));
        // In file order, tokens expanded, a missing file left out (ssh skips it too).
        QCOMPARE(pi.identityFiles, QStringList({path(QStringLiteral("lab_ed25519")),
                                                path(QStringLiteral("second")),
                                                path(QStringLiteral("id_dietpi"))}));
        QVERIFY(pi.identitiesOnly);

        const SshHostConfig nine = config.resolve(QStringLiteral("pi-9"), m_me);
        QCOMPARE(nine.hostName, QStringLiteral("pi-9")); // negated in the first block
        QCOMPARE(nine.user, QStringLiteral("ignored-second-match"));
        QCOMPARE(config.resolve(QStringLiteral("pi-10"), m_me).hostName,
                 QStringLiteral("pi-10")); // '?' is exactly one character

        const SshHostConfig other = config.resolve(QStringLiteral("other"), m_me);
        QCOMPARE(other.hostName, QStringLiteral("other.lan"));
        QCOMPARE(other.port, quint16(2200));
        QCOMPARE(other.user, QStringLiteral("fallback"));

        const SshHostConfig none = config.resolve(QStringLiteral("unrelated"), m_me);
        QCOMPARE(none.hostName, QStringLiteral("unrelated"));
        QCOMPARE(none.port, quint16(0));
        QCOMPARE(none.user, QStringLiteral("fallback"));
    }

    void matchAndInclude()
    {
        // What a parser of our own skipped: Match blocks and Include files.
        QVERIFY(write(QStringLiteral("boards.conf"), "Host rack2-*\n  User pine\n  Port 2202\n"));
        const SshConfig config = loaded("Include " + path(QStringLiteral("boards.conf")).toUtf8() +
                                        "\nMatch host 10.9.*\n  User matched\n");
        const SshHostConfig included = config.resolve(QStringLiteral("rack2-b1"), m_me);
        QCOMPARE(included.user, QStringLiteral("pine"));
        QCOMPARE(included.port, quint16(2202));
        QCOMPARE(config.resolve(QStringLiteral("10.9.0.4"), m_me).user, QStringLiteral("matched"));
        QCOMPARE(config.resolve(QStringLiteral("10.8.0.4"), m_me).user, QString());
    }

    void lookupAnswersLaterLookups()
    {
        // Each `ssh -G` runs the Match exec once: a lookup runs one per alias (whatever local
        // users are asked), and resolve() then answers from that without another process.
        const QString runs = path(QStringLiteral("runs"));
        SshConfig config =
            loaded("Match exec \"echo %h >> " + runs.toUtf8() + "\"\n  User counted\n");
        auto count = [&runs]() {
            QFile f(runs);
            return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : 0;
        };
        SshConfigLookup lookup(&config);
        QSignalSpy resolved(&lookup, &SshConfigLookup::resolved);
        lookup.start({{QStringLiteral("ahead-1"), m_me},
                      {QStringLiteral("ahead-2"), m_me},
                      {QStringLiteral("ahead-1"), m_me},
                      {QStringLiteral("ahead-2"), QString()},
                      {QStringLiteral("-oProxyCommand=x"), m_me}});
        QVERIFY(!config.answered(QStringLiteral("ahead-1"), m_me));
        QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 2, 20000);
        QVERIFY(!lookup.isBusy());
        QCOMPARE(count(), 2);
        QVERIFY(config.answered(QStringLiteral("ahead-1"), m_me));
        QCOMPARE(config.resolve(QStringLiteral("ahead-1"), m_me).user, QStringLiteral("counted"));
        QCOMPARE(config.resolve(QStringLiteral("ahead-2"), m_me).user, QStringLiteral("counted"));
        QCOMPARE(config.resolve(QStringLiteral("ahead-2")).user, QStringLiteral("counted"));
        QCOMPARE(count(), 2);
        // Answered already: nothing runs, nothing is reported again.
        lookup.start({{QStringLiteral("ahead-1"), m_me}});
        QVERIFY(!lookup.isBusy());
        QCOMPARE(config.resolve(QStringLiteral("ahead-3"), m_me).user, QStringLiteral("counted"));
        QCOMPARE(count(), 3);
        QCOMPARE(resolved.size(), 2);
    }

    void lookupReportsFailuresAndCancels()
    {
        SshConfig bad = loaded("Host x\n  NoSuchOption yes\n");
        SshConfigLookup lookup(&bad);
        QSignalSpy resolved(&lookup, &SshConfigLookup::resolved);
        lookup.start({{QStringLiteral("x"), m_me}, {QStringLiteral("y"), m_me}});
        QTRY_COMPARE_WITH_TIMEOUT(resolved.size(), 2, 20000);
        QVERIFY(bad.resolve(QStringLiteral("x"), m_me)
                    .error.contains(QLatin1String("Bad configuration option")));

        SshConfig config = loaded("Host z\n  User zed\n");
        SshConfigLookup cancelled(&config);
        QSignalSpy none(&cancelled, &SshConfigLookup::resolved);
        cancelled.start({{QStringLiteral("z"), m_me}});
        QVERIFY(cancelled.isBusy());
        cancelled.cancel();
        QVERIFY(!cancelled.isBusy());
        QCoreApplication::processEvents();
        QCOMPARE(none.size(), 0);
        QVERIFY(!config.answered(QStringLiteral("z"), m_me));
    }

    void knownHostsFiles()
    {
        const SshConfig config = loaded("Host board\n  UserKnownHostsFile " +
                                        path(QStringLiteral("kh1")).toUtf8() + " " +
                                        path(QStringLiteral("kh2")).toUtf8() + "\n");
        const QStringList files = config.resolve(QStringLiteral("board"), m_me).knownHostsFiles;
        for (const QString &want : {path(QStringLiteral("kh1")), path(QStringLiteral("kh2")),
                                    QStringLiteral("/etc/ssh/ssh_known_hosts")})
            QVERIFY2(files.contains(want), qPrintable(files.join(QLatin1Char(' '))));
        QVERIFY(!files.contains(QDir::homePath() + QStringLiteral("/.ssh/known_hosts")));
    }

    void defaultsAreUnset()
    {
        // ssh's default user (this user) and port 22 are not "configured".
        const SshConfig config = loaded("Host x\n  Port 22\n  User " + m_me.toUtf8() + "\n");
        const SshHostConfig x = config.resolve(QStringLiteral("x"), m_me);
        QCOMPARE(x.user, QString());
        QCOMPARE(x.port, quint16(0));
    }

    void badConfigIsReported()
    {
        const SshConfig config = loaded("Host x\n  NoSuchOption yes\n");
        const SshHostConfig x = config.resolve(QStringLiteral("x"), m_me);
        QVERIFY2(x.error.contains(QLatin1String("Bad configuration option")), qPrintable(x.error));
        QCOMPARE(x.hostName, QStringLiteral("x"));
        QCOMPARE(x.user, QString());
    }

    void missingFileAndNoLoad()
    {
        SshConfig config;
        QCOMPARE(config.resolve(QStringLiteral("a")).hostName, QStringLiteral("a"));
        QVERIFY(config.load(path(QStringLiteral("missing"))));
        const SshHostConfig a = config.resolve(QStringLiteral("a"), m_me);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QCOMPARE(a.hostName, QStringLiteral("a"));
        QCOMPARE(a.user, QString());
        // An option-looking alias never reaches ssh's command line as an option.
        QCOMPARE(config.resolve(QStringLiteral("-oProxyCommand=x"), m_me).hostName,
                 QStringLiteral("-oProxyCommand=x"));
    }

    void fromResolvedOutput()
    {
        const SshHostConfig c = SshConfig::fromResolved(
            "user me\nhostname 10.0.0.2\nport 2222\nidentitiesonly no\n"
            "userknownhostsfile ~/.ssh/known_hosts ~/.ssh/known_hosts2\n"
            "globalknownhostsfile none\n",
            QStringLiteral("b"), QStringLiteral("me"));
        QCOMPARE(c.user, QString());
        QCOMPARE(c.hostName, QStringLiteral("10.0.0.2"));
        QCOMPARE(c.port, quint16(2222));
        QCOMPARE(c.knownHostsFiles,
                 QStringList({QDir::homePath() + QStringLiteral("/.ssh/known_hosts"),
                              QDir::homePath() + QStringLiteral("/.ssh/known_hosts2")}));
        QCOMPARE(SshConfig::fromResolved("garbage", QStringLiteral("b"), QString()).hostName,
                 QStringLiteral("b"));
    }

    void defaultPathFollowsHome()
    {
        QVERIFY(SshConfig::defaultPath().startsWith(QDir::homePath()));
        QVERIFY(SshConfig::defaultPath().endsWith(QStringLiteral("/.ssh/config")));
    }
};

QTEST_GUILESS_MAIN(TestSshConfig)
#include "tst_sshconfig.moc"
