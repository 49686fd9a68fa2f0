// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab keys` and `hivelab push` end to end on a lab of their own (tests/app/CMakeLists.txt:
// one OpenSSH and one Dropbear board, both password-only): the key is made in a private HOME,
// installed once however often the command runs, a key-only login works afterwards (no
// password, no agent), a wrong password is a per-board AuthFailed, --disable-password turns
// password login off on OpenSSH, and the password is never in any process's command line.
#include "childprocess.h"
#include "labboard.h"
#include "labfile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Hivelab;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
    QStringList secretSeenIn;    // command lines that held the password
    bool sawBoardServer = false; // the scan saw the boards' SSH servers (same pid namespace)
};

} // namespace

class TestKeysLab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keysMakesInstallsAndVerifiesTheKey();
    void secondRunChangesNothing();
    void wrongPasswordIsAPerBoardAuthFailure();
    void pushCopiesOverSftpAndExec();
    void disablePasswordTurnsPasswordLoginOff();
    void cleanupTestCase();

private:
    // `hivelab ARGS` with HOME = `home` and no agent; stdin gets `stdinText`. While it runs,
    // every /proc/*/cmdline (laptop and boards share the pid namespace) is checked for the
    // password.
    Run hivelab(const QString &home, const QStringList &args, const QByteArray &stdinText = {});
    QJsonObject json(const Run &r);
    static int modeOf(const QString &path)
    {
        struct stat st = {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    }
    int authorizedLines(const HivelabTest::LabBoard &b, const QByteArray &publicKey);
    QString labFile(const QList<HivelabTest::LabBoard> &boards);

    QTemporaryDir m_dir;
    QString m_password;
    QString m_home;
    QString m_lab;
    HivelabTest::LabBoard m_openssh;
    HivelabTest::LabBoard m_dropbear;
};

void TestKeysLab::initTestCase()
{
    QList<HivelabTest::LabBoard> boards;
    HIVELAB_READ_LAB_BOARDS(boards);
    m_password = qEnvironmentVariable("HIVELAB_LAB_PASSWORD");
    QVERIFY(m_password.size() >= 8); // long enough not to match by chance
    for (const HivelabTest::LabBoard &b : std::as_const(boards)) {
        if (b.auth == QLatin1String("password") && b.isOn())
            (b.server == QLatin1String("openssh") ? m_openssh : m_dropbear) = b;
    }
    if (m_openssh.index == 0 || m_dropbear.index == 0)
        QSKIP("needs a password-only OpenSSH board and a password-only Dropbear board");
    m_home = m_dir.filePath(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(m_home));
    m_lab = labFile({m_openssh, m_dropbear});
}

void TestKeysLab::cleanupTestCase()
{
    if (m_openssh.index)
        HivelabTest::onLabBoard(m_openssh.index,
                                QStringLiteral("rm -f /tmp/hl-push-test /home/*/hl-push-test"));
    if (m_dropbear.index)
        HivelabTest::onLabBoard(m_dropbear.index,
                                QStringLiteral("rm -f /tmp/hl-push-test /home/*/hl-push-test; "
                                               "umount /usr/lib/sftp-server 2>/dev/null"));
}

QString TestKeysLab::labFile(const QList<HivelabTest::LabBoard> &boards)
{
    Lab lab;
    lab.name = QStringLiteral("keys");
    for (const HivelabTest::LabBoard &k : boards) {
        Board b;
        b.hostname = QStringLiteral("pine64-%1").arg(k.index);
        b.id = b.name = b.hostname;
        b.ip = k.ip;
        b.sshPort = k.port;
        b.sshUser = k.user;
        lab.boards << b;
    }
    const QString path = m_dir.filePath(QStringLiteral("keys.hivelab"));
    LabFileError error;
    if (!LabFile::save(lab, path, &error))
        qWarning("%s", qPrintable(error.toString()));
    return path;
}

Run TestKeysLab::hivelab(const QString &home, const QStringList &args, const QByteArray &stdinText)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.remove(QStringLiteral("SSH_AUTH_SOCK"));
    p.setProcessEnvironment(env);
    const QString knownHosts = m_dir.filePath(QStringLiteral("known_hosts"));
    // Options right after the subcommand: `exec` takes everything after "--" as the command.
    const QStringList all =
        QStringList{args.value(0), QStringLiteral("--known-hosts"), knownHosts} + args.mid(1);
    p.start(qEnvironmentVariable("HIVELAB_BIN"), all);
    p.write(stdinText);
    p.closeWriteChannel();
    Run r;
    const QByteArray secret = m_password.toUtf8();
    QElapsedTimer clock;
    clock.start();
    // Not a sleep: a bounded scan loop that ends when the process does.
    while (!p.waitForFinished(1) && clock.elapsed() < 90000) {
        const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
        for (const QString &pid : pids) {
            if (!pid.front().isDigit())
                continue;
            QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            QByteArray line = f.readAll();
            line.replace('\0', ' ');
            if (line.contains("dropbear") || line.contains("sshd"))
                r.sawBoardServer = true;
            if (line.contains(secret))
                r.secretSeenIn << QString::fromUtf8(line);
        }
    }
    if (p.state() != QProcess::NotRunning) {
        HivelabTest::finishWithin(p, 0); // late: killed and reaped
        return r;
    }
    r.exitCode = HivelabTest::exitCodeOf(p);
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    qInfo("hivelab %s: exit %d in %.2f s", qPrintable(args.value(0)), r.exitCode,
          double(clock.elapsed()) / 1000.0);
    return r;
}

QJsonObject TestKeysLab::json(const Run &r)
{
    return QJsonDocument::fromJson(r.out).object();
}

int TestKeysLab::authorizedLines(const HivelabTest::LabBoard &b, const QByteArray &publicKey)
{
    const HivelabTest::BoardOutput o =
        HivelabTest::onLabBoard(b.index, QStringLiteral("grep -cxF '%1' ~%2/.ssh/authorized_keys")
                                             .arg(QString::fromUtf8(publicKey), b.user));
    return o.code < 0 ? -1 : o.out.trimmed().toInt();
}

void TestKeysLab::keysMakesInstallsAndVerifiesTheKey()
{
    const QString key = m_home + QStringLiteral("/.ssh/id_ed25519");
    QVERIFY(!QFileInfo::exists(key));
    const Run r = hivelab(m_home,
                          {QStringLiteral("keys"), m_lab, QStringLiteral("--password-stdin"),
                           QStringLiteral("--accept-new-host-keys"), QStringLiteral("--json")},
                          m_password.toUtf8() + '\n');
    QVERIFY2(r.exitCode == 0, r.out + r.err);
    QVERIFY2(r.secretSeenIn.isEmpty(), qPrintable(r.secretSeenIn.join(QLatin1Char('\n'))));
    QVERIFY(r.sawBoardServer);
    const QJsonObject o = json(r);
    QCOMPARE(o.value(QStringLiteral("key")).toObject().value(QStringLiteral("path")).toString(),
             key);
    QVERIFY(o.value(QStringLiteral("key")).toObject().value(QStringLiteral("created")).toBool());
    const QJsonArray boards = o.value(QStringLiteral("boards")).toArray();
    QCOMPARE(boards.size(), 2);
    for (const QJsonValue &b : boards)
        QCOMPARE(b.toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("Ok"));

    QCOMPARE(modeOf(key), 0600);
    QCOMPARE(modeOf(key + QStringLiteral(".pub")), 0644);
    QCOMPARE(modeOf(m_home + QStringLiteral("/.ssh")), 0700);

    QFile pub(key + QStringLiteral(".pub"));
    QVERIFY(pub.open(QIODevice::ReadOnly));
    const QByteArray line = pub.readAll().trimmed();
    for (const HivelabTest::LabBoard &b : {m_openssh, m_dropbear}) {
        QCOMPARE(authorizedLines(b, line), 1);
        // Key only: no password given, no agent; the default identity is the new key.
        const Run e = hivelab(m_home, {QStringLiteral("exec"), QStringLiteral("-n"),
                                       QStringLiteral("-p"), QString::number(b.port),
                                       b.user + QLatin1Char('@') + b.ip, QStringLiteral("--"),
                                       QStringLiteral("echo"), QStringLiteral("key-login-ok")});
        QVERIFY2(e.exitCode == 0, e.err);
        QCOMPARE(e.out.trimmed(), QByteArray("key-login-ok"));
    }
}

void TestKeysLab::secondRunChangesNothing()
{
    const QString key = m_home + QStringLiteral("/.ssh/id_ed25519");
    QFile pub(key + QStringLiteral(".pub"));
    QVERIFY(pub.open(QIODevice::ReadOnly));
    const QByteArray line = pub.readAll().trimmed();
    const Run r = hivelab(m_home,
                          {QStringLiteral("keys"), m_lab, QStringLiteral("--password-stdin"),
                           QStringLiteral("--json")},
                          m_password.toUtf8() + '\n');
    QVERIFY2(r.exitCode == 0, r.out + r.err);
    QVERIFY(
        !json(r).value(QStringLiteral("key")).toObject().value(QStringLiteral("created")).toBool());
    for (const HivelabTest::LabBoard &b : {m_openssh, m_dropbear})
        QCOMPARE(authorizedLines(b, line), 1);
}

void TestKeysLab::wrongPasswordIsAPerBoardAuthFailure()
{
    // A HOME without the installed key, so only the (wrong) password can log in.
    const QString home = m_dir.filePath(QStringLiteral("home-wrong"));
    QVERIFY(QDir().mkpath(home));
    const Run r = hivelab(home,
                          {QStringLiteral("keys"), m_lab, QStringLiteral("--password-stdin"),
                           QStringLiteral("--json")},
                          "not-the-password\n");
    QCOMPARE(r.exitCode, 1);
    const QJsonArray boards = json(r).value(QStringLiteral("boards")).toArray();
    QCOMPARE(boards.size(), 2);
    for (const QJsonValue &v : boards) {
        const QJsonObject b = v.toObject();
        QCOMPARE(b.value(QStringLiteral("outcome")).toString(), QStringLiteral("AuthFailed"));
        QVERIFY(!b.value(QStringLiteral("message")).toString().isEmpty());
    }
    QVERIFY2(r.err.contains("FAILED"), r.err);
}

void TestKeysLab::pushCopiesOverSftpAndExec()
{
    QFile local(m_dir.filePath(QStringLiteral("payload.bin")));
    QVERIFY(local.open(QIODevice::WriteOnly));
    QByteArray data;
    for (int i = 0; i < 300000; ++i)
        data += char((i * 131) % 251);
    local.write(data);
    local.close();
    const QByteArray sha = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
    // The lab's Dropbear finds the host's sftp-server; real DietPi boards have none. Hidden in
    // the board's own mount namespace only, so the push has to fall back to exec there.
    QCOMPARE(HivelabTest::onLabBoard(m_dropbear.index,
                                     QStringLiteral("mount --bind /dev/null /usr/lib/sftp-server"))
                 .code,
             0);
    QVERIFY(QFileInfo(QStringLiteral("/usr/lib/sftp-server")).size() > 0); // not the laptop's
    // Key login from the first test: no password at all.
    const Run r = hivelab(m_home, {QStringLiteral("push"), m_lab, local.fileName(),
                                   QStringLiteral("/tmp/hl-push-test"), QStringLiteral("--mode"),
                                   QStringLiteral("0640")});
    QVERIFY2(r.exitCode == 0, r.out + r.err);
    QVERIFY2(r.err.contains("(SFTP)"), r.err);
    QVERIFY2(r.err.contains("(exec)"), r.err);
    for (const HivelabTest::LabBoard &b : {m_openssh, m_dropbear}) {
        const HivelabTest::BoardOutput o = HivelabTest::onLabBoard(
            b.index, QStringLiteral("sha256sum < /tmp/hl-push-test | cut -d' ' -f1; "
                                    "stat -c '%a %U' /tmp/hl-push-test"));
        QCOMPARE(o.code, 0);
        QCOMPARE(o.out, sha + '\n' + QByteArray("640 ") + b.user.toUtf8() + '\n');
    }
    // One board only, by name: the other keeps its copy untouched.
    const Run one = hivelab(
        m_home, {QStringLiteral("push"), m_lab, local.fileName(), QStringLiteral("hl-push-test"),
                 QStringLiteral("pine64-%1").arg(m_dropbear.index), QStringLiteral("--json")});
    QVERIFY2(one.exitCode == 0, one.out + one.err);
    QCOMPARE(json(one).value(QStringLiteral("boards")).toArray().size(), 1);
    QCOMPARE(HivelabTest::onLabBoard(
                 m_dropbear.index, QStringLiteral("test -f ~%1/hl-push-test").arg(m_dropbear.user))
                 .code,
             0);
    QVERIFY(HivelabTest::onLabBoard(m_openssh.index,
                                    QStringLiteral("test -e ~%1/hl-push-test").arg(m_openssh.user))
                .code != 0);
}

void TestKeysLab::disablePasswordTurnsPasswordLoginOff()
{
    const QString pwHome = m_dir.filePath(QStringLiteral("home-password"));
    QVERIFY(QDir().mkpath(pwHome));
    const QStringList passwordExec = {QStringLiteral("exec"), QStringLiteral("--password-stdin"),
                                      m_openssh.user + QLatin1Char('@') + m_openssh.ip,
                                      QStringLiteral("--"), QStringLiteral("true")};
    // Control: password login works before.
    const Run before = hivelab(pwHome, passwordExec, m_password.toUtf8() + '\n');
    QVERIFY2(before.exitCode == 0, before.err);

    const QStringList disable = {QStringLiteral("keys"),
                                 m_lab,
                                 QStringLiteral("pine64-%1").arg(m_openssh.index),
                                 QStringLiteral("--disable-password"),
                                 QStringLiteral("--password-stdin"),
                                 QStringLiteral("--json")};
    // The lab's sshd_config has no Include of sshd_config.d: the drop-in would change nothing,
    // so the board fails (and the drop-in is gone again) instead of claiming passwords are off.
    const Run ignored = hivelab(m_home, disable, m_password.toUtf8() + '\n');
    QCOMPARE(ignored.exitCode, 1);
    const QJsonObject board =
        json(ignored).value(QStringLiteral("boards")).toArray().at(0).toObject();
    QCOMPARE(board.value(QStringLiteral("outcome")).toString(), QStringLiteral("Failed"));
    QVERIFY2(board.value(QStringLiteral("message")).toString().contains(QLatin1String("Include")),
             ignored.out);
    QVERIFY(HivelabTest::onLabBoard(
                m_openssh.index, QStringLiteral("test -e /etc/ssh/sshd_config.d/50-hivelab.conf"))
                .code != 0);
    QCOMPARE(hivelab(pwHome, passwordExec, m_password.toUtf8() + '\n').exitCode, 0);

    // As Debian ships it: the drop-in folder is included.
    QCOMPARE(HivelabTest::onLabBoard(m_openssh.index,
                                     QStringLiteral("mkdir -p /etc/ssh/sshd_config.d && "
                                                    "sed -i '1i Include /etc/ssh/sshd_config.d/"
                                                    "*.conf' /etc/ssh/sshd_config"))
                 .code,
             0);
    const Run r = hivelab(m_home, disable, m_password.toUtf8() + '\n');
    QVERIFY2(r.exitCode == 0, r.out + r.err);
    QVERIFY2(r.secretSeenIn.isEmpty(), qPrintable(r.secretSeenIn.join(QLatin1Char('\n'))));

    // sshd re-executes on SIGHUP: a connection in that instant may be refused, not rejected.
    Run after;
    QTRY_VERIFY_WITH_TIMEOUT((after = hivelab(pwHome, passwordExec, m_password.toUtf8() + '\n'))
                                 .err.contains("uthentication"),
                             10000);
    QCOMPARE(after.exitCode, 255);
    // The key still gets in.
    const Run key = hivelab(m_home, {QStringLiteral("exec"), QStringLiteral("-n"),
                                     m_openssh.user + QLatin1Char('@') + m_openssh.ip,
                                     QStringLiteral("--"), QStringLiteral("true")});
    QCOMPARE(key.exitCode, 0);

    // Dropbear: not automated, said so per board.
    const Run dropbear = hivelab(
        m_home, {QStringLiteral("keys"), m_lab, QStringLiteral("pine64-%1").arg(m_dropbear.index),
                 QStringLiteral("--disable-password"), QStringLiteral("--json")});
    QCOMPARE(dropbear.exitCode, 1);
    QCOMPARE(json(dropbear)
                 .value(QStringLiteral("boards"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("outcome"))
                 .toString(),
             QStringLiteral("NotSupported"));
}

QTEST_GUILESS_MAIN(TestKeysLab)
#include "tst_keys_lab.moc"
