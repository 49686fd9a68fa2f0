// SPDX-License-Identifier: GPL-3.0-or-later
// End to end on the lab (tests/lab/README.md): runs inside the lab's laptop namespace and scans
// only the lab subnet.
#include "labboard.h"
#include "labfile.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

namespace {

using LabBoard = HivelabTest::LabBoard;

struct Run
{
    int exitCode = -1;
    QString out, err;
    qint64 ms = 0;
};

Run runProcess(const QString &program, const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    // The app's known_hosts goes to a directory of this test only, so host keys trusted here
    // never make other lab tests see "known" hosts.
    static QTemporaryDir xdg;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), xdg.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), xdg.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out: ") + program;
        return r;
    }
    r.ms = t.elapsed();
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestDiscoverLab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void findsEveryPoweredBoard();
    void mergeReportsMovedAndMissingBoards();
    void mdnsNameFromAResponder();

private:
    QString boardMac(const LabBoard &b);
    QList<LabBoard> m_boards;
    QString m_subnet;
    QString m_bin;
    QString m_tool;
    QStringList m_extraPorts;
    QTemporaryDir m_dir;
};

void TestDiscoverLab::initTestCase()
{
    HIVELAB_READ_LAB_BOARDS(m_boards);
    m_subnet = qEnvironmentVariable("HIVELAB_LAB_SUBNET");
    m_bin = qEnvironmentVariable("HIVELAB_BIN");
    QVERIFY(QFileInfo::exists(m_bin));
    m_tool = qEnvironmentVariable("HIVELAB_LAB_TOOL",
                                  QStringLiteral(HIVELAB_SOURCE_DIR "/tests/lab/hivelab-lab"));
    QVERIFY2(QFileInfo::exists(m_tool), qPrintable(m_tool));
    for (const LabBoard &b : std::as_const(m_boards)) {
        const QString port = QString::number(b.port);
        if (b.port != 22 && !m_extraPorts.contains(port))
            m_extraPorts << port;
    }
    QVERIFY(m_dir.isValid());
}

QString TestDiscoverLab::boardMac(const LabBoard &b)
{
    // Ask the board itself, not the harness's description. Through netlink (`ip`): a board's
    // /sys may be a sysfs mounted in another network namespace and show another eth0.
    const Run r = runProcess(m_tool, {"board", QString::number(b.index), "--", "ip", "-br", "link",
                                      "show", "dev", "eth0"});
    const QStringList f = r.out.simplified().split(QLatin1Char(' '));
    return r.exitCode == 0 && f.size() >= 3 ? f[2].toUpper() : QString();
}

void TestDiscoverLab::findsEveryPoweredBoard()
{
    const QString file = m_dir.filePath(QStringLiteral("lab.hivelab"));
    const Run r = runProcess(m_bin, {"discover", m_subnet, "--ports", m_extraPorts.join(','),
                                     "--json", "--no-dns", "--login", "--user", "root",
                                     "--accept-new-host-key", "--into", file});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    qInfo("discover --login of %s: %lld ms", qPrintable(m_subnet), r.ms);
    QHash<QString, QJsonObject> found;
    for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        QVERIFY2(!o.isEmpty(), qPrintable(line));
        found.insert(o.value("ip").toString(), o);
    }
    const QString laptop = qEnvironmentVariable("HIVELAB_LAB_LAPTOP");
    QVERIFY(found.value(laptop).value("thisMachine").toBool());

    int on = 0;
    for (const LabBoard &b : std::as_const(m_boards)) {
        if (b.power == QLatin1String("off")) {
            QVERIFY2(!found.contains(b.ip), qPrintable(b.ip + " is powered off"));
            continue;
        }
        ++on;
        QVERIFY2(found.contains(b.ip), qPrintable(b.ip + " not found"));
        const QJsonObject o = found.value(b.ip);
        QCOMPARE(o.value("mac").toString(), boardMac(b));
        if (b.power == QLatin1String("nossh"))
            continue;
        QVERIFY(o.value("openPorts").toArray().contains(b.port));
        QCOMPARE(o.value("sshPort").toInt(), b.port);
        const QString banner = o.value("sshBanner").toString();
        QVERIFY2(banner.contains(b.server == QLatin1String("dropbear") ? "dropbear" : "OpenSSH",
                                 Qt::CaseInsensitive),
                 qPrintable(banner));
        if (b.auth == QLatin1String("key")) {
            const QJsonObject id = o.value("identification").toObject();
            QCOMPARE(id.value("hostname").toString(), b.hostname);
            QCOMPARE(o.value("hostname").toString(), b.hostname);
            QVERIFY(id.value("cores").toInt() > 0);
            QCOMPARE(id.value("dockerVersion").toString().isEmpty(),
                     b.docker != QLatin1String("docker"));
        } else {
            QVERIFY(!o.value("loginError").toString().isEmpty()); // no key authorized
        }
    }
    QCOMPARE(found.size(), on + 1); // the boards plus this machine, nothing else

    LabFileError error;
    const auto lab = LabFile::load(file, &error);
    QVERIFY2(lab, qPrintable(error.toString()));
    QCOMPARE(lab->boards.size(), on);
    for (const Board &b : lab->boards) {
        QVERIFY(!b.mac.isEmpty());
        QCOMPARE(b.role, Role::Unassigned);
    }
}

void TestDiscoverLab::mergeReportsMovedAndMissingBoards()
{
    // A lab that knows board 1 at an old address and the powered-off board.
    const LabBoard *first = nullptr;
    const LabBoard *off = nullptr;
    for (const LabBoard &b : std::as_const(m_boards)) {
        if (!first && b.power == QLatin1String("on") && b.auth == QLatin1String("key"))
            first = &b;
        if (!off && b.power == QLatin1String("off"))
            off = &b;
    }
    if (!first || !off)
        QSKIP("lab layout without a key board and an off board");
    Lab lab;
    lab.name = QStringLiteral("known");
    Board moved;
    moved.id = QStringLiteral("known-1");
    moved.name = QStringLiteral("known-1");
    moved.ip = QStringLiteral("10.99.0.1");
    moved.mac = boardMac(*first);
    lab.boards << moved;
    Board gone;
    gone.id = QStringLiteral("known-2");
    gone.name = QStringLiteral("known-2");
    gone.ip = off->ip;
    gone.hostname = off->hostname;
    lab.boards << gone;
    const QString file = m_dir.filePath(QStringLiteral("known.hivelab"));
    LabFileError error;
    QVERIFY(LabFile::save(lab, file, &error));

    const Run r = runProcess(m_bin, {"discover", m_subnet, "--ports", m_extraPorts.join(','),
                                     "--no-dns", "--into", file});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(
                 QStringLiteral("known-1: address changed from 10.99.0.1 to %1").arg(first->ip)),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("known-2: not found at %1").arg(off->ip)),
             qPrintable(r.err));
    const auto merged = LabFile::load(file, &error);
    QVERIFY(merged);
    int withMac = 0;
    for (const Board &b : merged->boards)
        withMac += b.mac == moved.mac ? 1 : 0;
    QCOMPARE(withMac, 1); // matched, not duplicated
    QCOMPARE(merged->board(QStringLiteral("known-1"))->ip, first->ip);
}

void TestDiscoverLab::mdnsNameFromAResponder()
{
    // The lab boards run no mDNS daemon; a small responder (a fake, tests/data) stands in on one
    // board. It exits by itself after 5 s.
    const LabBoard *board = nullptr;
    for (const LabBoard &b : std::as_const(m_boards)) {
        if (b.power == QLatin1String("on")) {
            board = &b;
            break;
        }
    }
    QVERIFY(board);
    QProcess responder;
    responder.start(m_tool, {"board", QString::number(board->index), "--", "/usr/bin/python3",
                             QStringLiteral(HIVELAB_TEST_DATA "/discovery/mdns_responder.py"),
                             QStringLiteral("mdns-%1").arg(board->index), board->ip, "5"});
    QVERIFY(responder.waitForStarted());
    QByteArray said;
    QElapsedTimer waited;
    waited.start();
    while (!said.contains("ready") && waited.elapsed() < 10000 &&
           responder.state() == QProcess::Running) {
        responder.waitForReadyRead(200);
        said += responder.readAllStandardOutput();
    }
    QVERIFY2(said.contains("ready"), responder.readAllStandardError().constData());
    const Run r = runProcess(m_bin, {"discover", board->ip, "--json", "--no-dns", "--mdns"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value("mdnsName").toString(), QStringLiteral("mdns-%1.local").arg(board->index));
    QVERIFY(responder.waitForFinished(15000));
}

QTEST_GUILESS_MAIN(TestDiscoverLab)
#include "tst_discover_lab.moc"
