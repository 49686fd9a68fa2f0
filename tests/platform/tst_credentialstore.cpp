// SPDX-License-Identifier: GPL-3.0-or-later
#include "childprocess.h"
#include "credentialstore.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Hivelab;

namespace {

const int jobTimeoutMs = 10000;
const int childTimeoutMs = 30000;
const QString childSecret = QStringLiteral("child-s3cret-\u00e9\u2713");
const QString childKey = QStringLiteral("lab:child/board:b1/user:root/password");

QString testService()
{
    return QStringLiteral("Hivelab-test-%1").arg(QCoreApplication::applicationPid());
}

// Child side of the fallback tests: runs in a process with its own D-Bus environment (GDBus
// caches the session bus connection, so one process cannot try several) and prints facts as
// key=value lines. It never prints the secret itself.
int runChild(const QString &scenario)
{
    CredentialStore store(QStringLiteral("Hivelab-test-child"));
    QSignalSpy backend(&store, &CredentialStore::backendChanged);
    QSignalSpy stored(&store, &CredentialStore::stored);
    QSignalSpy read(&store, &CredentialStore::secretRead);
    QSignalSpy failed(&store, &CredentialStore::failed);
    QSignalSpy removed(&store, &CredentialStore::removed);
    auto out = [](const char *key, const QString &value) {
        std::printf("%s=%s\n", key, qPrintable(value));
    };

    store.store(childKey, childSecret);
    if (!stored.wait(jobTimeoutMs) && stored.isEmpty())
        return 2;
    out("persistent", stored.first().at(1).toBool() ? QStringLiteral("1") : QStringLiteral("0"));
    out("backend", QString::fromLatin1(QMetaEnum::fromType<CredentialStore::Backend>().valueToKey(
                       int(store.backend()))));
    out("message", store.backendMessage());
    if (scenario == QLatin1String("store"))
        return 0;

    store.read(childKey);
    if (!read.wait(jobTimeoutMs) && read.isEmpty())
        return 3;
    out("readBackMatches",
        read.first().at(1).toString() == childSecret ? QStringLiteral("1") : QStringLiteral("0"));
    store.remove(childKey);
    if (!removed.wait(jobTimeoutMs) && removed.isEmpty())
        return 4;
    store.read(childKey);
    if (!failed.wait(jobTimeoutMs) && failed.isEmpty())
        return 5;
    out("afterRemove", QString::fromLatin1(QMetaEnum::fromType<CredentialStore::Error>().valueToKey(
                           int(failed.first().at(1).value<CredentialStore::Error>()))));
    out("backendSignals", QString::number(backend.size()));
    return 0;
}

struct ChildResult
{
    int exitCode = -1;
    QHash<QString, QString> facts;
    QByteArray stdoutText;
    QByteArray stderrText;
};

QProcessEnvironment isolatedEnvironment(const QTemporaryDir &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A developer's desktop must not show keyring prompts or receive test items.
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                             "HIVELAB_TEST_KEYRING", "XDG_DATA_HOME", "XDG_CONFIG_HOME"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.filePath(QStringLiteral("runtime")));
    return env;
}

bool prepareDirs(const QTemporaryDir &dir)
{
    QDir d(dir.path());
    if (!d.mkpath(QStringLiteral("home")) || !d.mkpath(QStringLiteral("runtime")))
        return false;
    return QFile::setPermissions(dir.filePath(QStringLiteral("runtime")),
                                 QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                     QFileDevice::ExeOwner);
}

ChildResult runProcess(const QString &program, const QStringList &args,
                       const QProcessEnvironment &env)
{
    ChildResult result;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!HivelabTest::finishWithin(p, childTimeoutMs))
        return result;
    result.exitCode = HivelabTest::exitCodeOf(p);
    result.stdoutText = p.readAllStandardOutput();
    result.stderrText = p.readAllStandardError();
    result.facts = HivelabTest::keyValueLines(result.stdoutText);
    return result;
}

// Runs the child inside its own private D-Bus session; with a password, a gnome-keyring
// Secret Service is started and unlocked with it (the password goes through a pipe, not argv).
ChildResult runInPrivateSession(const QTemporaryDir &dir, const QString &scenario,
                                const QString &keyringPassword = QString())
{
    QProcessEnvironment env = isolatedEnvironment(dir);
    QString script = QStringLiteral("exec \"$0\" --child \"$1\"");
    if (!keyringPassword.isEmpty()) {
        env.insert(QStringLiteral("HL_KEYRING_PASSWORD"), keyringPassword);
        script = QStringLiteral("printf %s \"$HL_KEYRING_PASSWORD\" | gnome-keyring-daemon "
                                "--unlock --components=secrets >/dev/null 2>&1; unset "
                                "HL_KEYRING_PASSWORD; ") +
                 script;
    }
    return runProcess(QStringLiteral("dbus-run-session"),
                      {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), script,
                       QCoreApplication::applicationFilePath(), scenario},
                      env);
}

// Plain-text storage never happens: no file the child could write holds the secret.
QStringList filesContaining(const QString &root, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits.append(f.fileName());
    }
    return hits;
}

bool haveSessionTools()
{
    return !QStandardPaths::findExecutable(QStringLiteral("dbus-run-session")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon")).isEmpty();
}

} // namespace

class TestCredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keyFormat();
    void classify_data();
    void classify();
    void storeReadOverwriteRemove();
    void boardsAreIndependent();
    void persistsAcrossInstances();
    void destroyedWhileJobsRun();
    void fallbackWithoutSessionBus();
    void fallbackWithBusButNoKeyring();
    void fallbackWhenKeyringLocked();
    void cleanupTestCase();

private:
    bool requireKeyring(CredentialStore &store);
    void storeAndWait(CredentialStore &store, const QString &key, const QString &secret);
    QString readAndWait(CredentialStore &store, const QString &key,
                        CredentialStore::Error *error = nullptr);
    QStringList m_keysToClean;
};

bool TestCredentialStore::requireKeyring(CredentialStore &store)
{
    if (qgetenv("HIVELAB_TEST_KEYRING") != "1")
        return false;
    QSignalSpy backend(&store, &CredentialStore::backendChanged);
    store.probe();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(backend.size(), 1, jobTimeoutMs); }();
    if (store.backend() != CredentialStore::Backend::Keychain) {
        qWarning("HIVELAB_TEST_KEYRING=1 but the keychain does not answer: %s",
                 qPrintable(store.backendMessage()));
        return false;
    }
    return true;
}

void TestCredentialStore::storeAndWait(CredentialStore &store, const QString &key,
                                       const QString &secret)
{
    QSignalSpy stored(&store, &CredentialStore::stored);
    QSignalSpy failed(&store, &CredentialStore::failed);
    store.store(key, secret);
    QTRY_VERIFY_WITH_TIMEOUT(!stored.isEmpty() || !failed.isEmpty(), jobTimeoutMs);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(2).toString()));
    QCOMPARE(stored.first().at(0).toString(), key);
    QCOMPARE(stored.first().at(1).toBool(), true);
    m_keysToClean.append(key);
}

QString TestCredentialStore::readAndWait(CredentialStore &store, const QString &key,
                                         CredentialStore::Error *error)
{
    QSignalSpy read(&store, &CredentialStore::secretRead);
    QSignalSpy failed(&store, &CredentialStore::failed);
    store.read(key);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(!read.isEmpty() || !failed.isEmpty(), jobTimeoutMs); }();
    if (error)
        *error = failed.isEmpty() ? CredentialStore::Error::None
                                  : failed.first().at(1).value<CredentialStore::Error>();
    return read.isEmpty() ? QString() : read.first().at(1).toString();
}

void TestCredentialStore::keyFormat()
{
    QCOMPARE(CredentialStore::secretKey(QStringLiteral("lab-1"), QStringLiteral("pine64-2"),
                                        QStringLiteral("root")),
             QStringLiteral("lab:lab-1/board:pine64-2/user:root/password"));
    QCOMPARE(CredentialStore::secretKey(QStringLiteral("lab-1"), QStringLiteral("pine64-2"),
                                        QStringLiteral("dietpi"),
                                        CredentialStore::SecretKind::KeyPassphrase),
             QStringLiteral("lab:lab-1/board:pine64-2/user:dietpi/passphrase"));
    // Separators inside ids must not let two different triples share a key.
    const QString a = CredentialStore::secretKey(QStringLiteral("a/board:b"), QStringLiteral("c"),
                                                 QStringLiteral("u"));
    const QString b = CredentialStore::secretKey(QStringLiteral("a"), QStringLiteral("b/board:c"),
                                                 QStringLiteral("u"));
    QVERIFY(a != b);
    QCOMPARE(a.count(QLatin1Char('/')), 3);
}

void TestCredentialStore::classify_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<CredentialStore::Error>("expected");
    QTest::newRow("ok") << 0 << QString() << CredentialStore::Error::None;
    QTest::newRow("not found") << 1 << QStringLiteral("Entry not found")
                               << CredentialStore::Error::NotFound;
    QTest::newRow("no session bus")
        << 7 << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")
        << CredentialStore::Error::KeychainUnavailable;
    QTest::newRow("bus without keyring")
        << 7
        << QStringLiteral("Object does not exist at path "
                          "\u201c/org/freedesktop/secrets/collection/login\u201d")
        << CredentialStore::Error::KeychainUnavailable;
    QTest::newRow("socket missing")
        << 7 << QStringLiteral("Could not connect: No such file or directory")
        << CredentialStore::Error::KeychainUnavailable;
    QTest::newRow("locked") << 4 << QStringLiteral("Cannot create an item in a locked collection")
                            << CredentialStore::Error::Locked;
    QTest::newRow("denied by user")
        << 3 << QStringLiteral("Access denied") << CredentialStore::Error::AccessDenied;
    QTest::newRow("no backend") << 5 << QStringLiteral("No keychain service available")
                                << CredentialStore::Error::KeychainUnavailable;
    QTest::newRow("other") << 7 << QStringLiteral("Something odd") << CredentialStore::Error::Other;
}

void TestCredentialStore::classify()
{
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(CredentialStore::Error, expected);
    QCOMPARE(CredentialStore::classify(code, message), expected);
}

void TestCredentialStore::storeReadOverwriteRemove()
{
    CredentialStore store(testService());
    if (!requireKeyring(store))
        QSKIP("No private test keyring: run through tests/run.sh, which starts gnome-keyring in a "
              "private D-Bus session and sets HIVELAB_TEST_KEYRING=1 (never your own keyring)");
    QVERIFY(store.isPersistent());
    QVERIFY(store.backendMessage().isEmpty());

    const QString key = CredentialStore::secretKey(
        QStringLiteral("lab-1"), QStringLiteral("pine64-1"), QStringLiteral("root"));
    storeAndWait(store, key, QStringLiteral("first \u00fcml\u00e4ut"));
    QCOMPARE(readAndWait(store, key), QStringLiteral("first \u00fcml\u00e4ut"));

    storeAndWait(store, key, QStringLiteral("second"));
    QCOMPARE(readAndWait(store, key), QStringLiteral("second"));

    QSignalSpy removed(&store, &CredentialStore::removed);
    store.remove(key);
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, jobTimeoutMs);
    QCOMPARE(removed.first().at(0).toString(), key);

    CredentialStore::Error error = CredentialStore::Error::None;
    QCOMPARE(readAndWait(store, key, &error), QString());
    QCOMPARE(error, CredentialStore::Error::NotFound);
    QCOMPARE(store.backend(), CredentialStore::Backend::Keychain);
}

void TestCredentialStore::boardsAreIndependent()
{
    CredentialStore store(testService());
    if (!requireKeyring(store))
        QSKIP("No private test keyring (run through tests/run.sh)");
    const QString k1 = CredentialStore::secretKey(
        QStringLiteral("lab-1"), QStringLiteral("pine64-1"), QStringLiteral("root"));
    const QString k2 = CredentialStore::secretKey(
        QStringLiteral("lab-1"), QStringLiteral("pine64-2"), QStringLiteral("root"));
    const QString k2pass = CredentialStore::secretKey(
        QStringLiteral("lab-1"), QStringLiteral("pine64-2"), QStringLiteral("root"),
        CredentialStore::SecretKind::KeyPassphrase);
    storeAndWait(store, k1, QStringLiteral("one"));
    storeAndWait(store, k2, QStringLiteral("two"));
    storeAndWait(store, k2pass, QStringLiteral("passphrase-two"));
    QCOMPARE(readAndWait(store, k1), QStringLiteral("one"));
    QCOMPARE(readAndWait(store, k2), QStringLiteral("two"));
    QCOMPARE(readAndWait(store, k2pass), QStringLiteral("passphrase-two"));

    QSignalSpy removed(&store, &CredentialStore::removed);
    store.remove(k1);
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, jobTimeoutMs);
    CredentialStore::Error error = CredentialStore::Error::None;
    readAndWait(store, k1, &error);
    QCOMPARE(error, CredentialStore::Error::NotFound);
    QCOMPARE(readAndWait(store, k2), QStringLiteral("two"));
}

void TestCredentialStore::persistsAcrossInstances()
{
    const QString key = CredentialStore::secretKey(
        QStringLiteral("lab-2"), QStringLiteral("odroid-1"), QStringLiteral("dietpi"));
    {
        CredentialStore first(testService());
        if (!requireKeyring(first))
            QSKIP("No private test keyring (run through tests/run.sh)");
        storeAndWait(first, key, QStringLiteral("kept"));
    }
    // A new instance has no memory entries: the secret can only come from the keychain.
    CredentialStore second(testService());
    QCOMPARE(readAndWait(second, key), QStringLiteral("kept"));
    QCOMPARE(second.backend(), CredentialStore::Backend::Keychain);
}

void TestCredentialStore::destroyedWhileJobsRun()
{
    const QString key = CredentialStore::secretKey(QStringLiteral("lab-2"), QStringLiteral("rpi-1"),
                                                   QStringLiteral("pi"));
    {
        CredentialStore probe(testService());
        if (!requireKeyring(probe))
            QSKIP("No private test keyring (run through tests/run.sh)");
    }
    m_keysToClean.append(key);
    // A store() issued just before its store is destroyed still reaches the keychain (and the
    // orphaned jobs finish without touching the dead store).
    auto *early = new CredentialStore(testService());
    early->store(key, QStringLiteral("written after its store died"));
    early->read(key);
    delete early;
    // QtKeychain runs jobs one after another, so this read answers after the orphaned jobs ran.
    CredentialStore later(testService());
    QCOMPARE(readAndWait(later, key), QStringLiteral("written after its store died"));
}

void TestCredentialStore::fallbackWithoutSessionBus()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(prepareDirs(dir));
    QProcessEnvironment env = isolatedEnvironment(dir);
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=%1").arg(dir.filePath(QStringLiteral("no-bus"))));
    const ChildResult r = runProcess(QCoreApplication::applicationFilePath(),
                                     {QStringLiteral("--child"), QStringLiteral("roundtrip")}, env);
    QVERIFY2(r.exitCode == 0, r.stderrText.constData());
    QCOMPARE(r.facts.value(QStringLiteral("backend")), QStringLiteral("Memory"));
    QCOMPARE(r.facts.value(QStringLiteral("persistent")), QStringLiteral("0"));
    QCOMPARE(r.facts.value(QStringLiteral("readBackMatches")), QStringLiteral("1"));
    QCOMPARE(r.facts.value(QStringLiteral("afterRemove")), QStringLiteral("NotFound"));
    QCOMPARE(r.facts.value(QStringLiteral("backendSignals")), QStringLiteral("1"));
    const QString message = r.facts.value(QStringLiteral("message"));
    QVERIFY2(message.startsWith(QLatin1String("No keychain available (")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("kept only in memory")), qPrintable(message));
    QVERIFY(!r.stdoutText.contains(childSecret.toUtf8()));
    QVERIFY(!r.stderrText.contains(childSecret.toUtf8()));
    QCOMPARE(filesContaining(dir.path(), childSecret.toUtf8()), QStringList());
}

void TestCredentialStore::fallbackWithBusButNoKeyring()
{
    if (!haveSessionTools())
        QSKIP("dbus-run-session or gnome-keyring-daemon missing (packaging/install-deps.sh test)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(prepareDirs(dir));
    // The bus may start gnome-keyring on demand, but nobody unlocks a login collection.
    const ChildResult r = runInPrivateSession(dir, QStringLiteral("roundtrip"));
    QVERIFY2(r.exitCode == 0, r.stderrText.constData());
    QCOMPARE(r.facts.value(QStringLiteral("backend")), QStringLiteral("Memory"));
    QCOMPARE(r.facts.value(QStringLiteral("persistent")), QStringLiteral("0"));
    QCOMPARE(r.facts.value(QStringLiteral("readBackMatches")), QStringLiteral("1"));
    QVERIFY2(r.facts.value(QStringLiteral("message"))
                 .startsWith(QLatin1String("No keychain available (")),
             qPrintable(r.facts.value(QStringLiteral("message"))));
    QVERIFY(!r.stdoutText.contains(childSecret.toUtf8()));
    QVERIFY(!r.stderrText.contains(childSecret.toUtf8()));
    QCOMPARE(filesContaining(dir.path(), childSecret.toUtf8()), QStringList());
}

void TestCredentialStore::fallbackWhenKeyringLocked()
{
    if (!haveSessionTools())
        QSKIP("dbus-run-session or gnome-keyring-daemon missing (packaging/install-deps.sh test)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(prepareDirs(dir));
    // First session creates the login keyring with one password …
    const ChildResult seed =
        runInPrivateSession(dir, QStringLiteral("store"), QStringLiteral("first-keyring-password"));
    QVERIFY2(seed.exitCode == 0, seed.stderrText.constData());
    QCOMPARE(seed.facts.value(QStringLiteral("backend")), QStringLiteral("Keychain"));
    QCOMPARE(seed.facts.value(QStringLiteral("persistent")), QStringLiteral("1"));
    // … the second cannot unlock it with another, so the collection stays locked.
    const ChildResult r = runInPrivateSession(dir, QStringLiteral("roundtrip"),
                                              QStringLiteral("other-keyring-password"));
    QVERIFY2(r.exitCode == 0, r.stderrText.constData());
    QCOMPARE(r.facts.value(QStringLiteral("backend")), QStringLiteral("Memory"));
    QCOMPARE(r.facts.value(QStringLiteral("persistent")), QStringLiteral("0"));
    QCOMPARE(r.facts.value(QStringLiteral("readBackMatches")), QStringLiteral("1"));
    const QString message = r.facts.value(QStringLiteral("message"));
    QVERIFY2(message.contains(QLatin1String("locked")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("kept only in memory")), qPrintable(message));
    QCOMPARE(filesContaining(dir.path(), childSecret.toUtf8()), QStringList());
}

void TestCredentialStore::cleanupTestCase()
{
    if (m_keysToClean.isEmpty())
        return;
    CredentialStore store(testService());
    QSignalSpy removed(&store, &CredentialStore::removed);
    m_keysToClean.removeDuplicates();
    for (const QString &key : std::as_const(m_keysToClean))
        store.remove(key);
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), m_keysToClean.size(), jobTimeoutMs);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--child") == 0)
        return runChild(QString::fromLocal8Bit(argv[2]));
    TestCredentialStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_credentialstore.moc"
