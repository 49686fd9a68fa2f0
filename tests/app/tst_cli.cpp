// SPDX-License-Identifier: GPL-3.0-or-later
#include "../common/sanitizers.h"
#include "demolab.h"
#include "labfile.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace Hivelab;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

/// Runs the built `hivelab` binary the way users do and checks output and exit codes.
class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void help();
    void version();
    void checkHelp();
    void windowUsageErrorsNeedNoDisplay_data();
    void windowUsageErrorsNeedNoDisplay();
    void commandsLoadNoWindowLibraries_data();
    void commandsLoadNoWindowLibraries();
    void windowOpensFromItsModule();
    void windowOnAnXServer();
    void ioLibrariesLoadOnFirstUse_data();
    void ioLibrariesLoadOnFirstUse();
    void screenshotsHaveTheRequestedSize_data();
    void screenshotsHaveTheRequestedSize();
    void copyWithoutTheModuleRunsCommands();
    void noLibraryFromTheCurrentFolder();
    void checkDemo();
    void checkDemoJson();
    void checkFiles();
    void checkMissingFile();
    void checkMalformedFile();
    void checkUsage_data();
    void checkUsage();
    void unknownCommand();
    void rolesShowSetAndAuto();
    void rolesRefusesAndKeepsTheFile();
    void rolesAutoWithoutRacks();
    void placeRecablesAndSaves();
    void placeOverridesAndRefuses();
    void placeReportsFullGear();
    void gearAddListRemove();
    void circuitAddListRemove();
    void workflowOptionsRefusedBeforeConnecting_data();
    void workflowOptionsRefusedBeforeConnecting();
    void saveFlushesTheFolderAfterTheRename();
    void saveFailingAtTheRenameLeavesNoTemporary_data();
    void saveFailingAtTheRenameLeavesNoTemporary();

private:
    Run run(const QStringList &args) { return runUnder({}, args); }
    // `hivelab new --demo --force FILE` succeeded.
    bool writeDemo(const QString &file)
    {
        return run({QStringLiteral("new"), QStringLiteral("--demo"), QStringLiteral("--force"),
                    file})
                   .exitCode == 0;
    }
    static QByteArray contents(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // The binary started by `wrapper` (a program and its options), e.g. strace.
    Run runUnder(const QStringList &wrapper, const QStringList &args);
    QString m_strace; // empty when strace is not installed

    QString m_bin;
    QTemporaryDir m_dir;
};

Run TestCli::runUnder(const QStringList &wrapper, const QStringList &args)
{
    QProcess p;
    if (!wrapper.isEmpty() && HIVELAB_UNDER_ASAN) {
        // LeakSanitizer stops the process with ptrace at exit, which fails under strace.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ASAN_OPTIONS"),
                   env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":detect_leaks=0"));
        p.setProcessEnvironment(env);
    }
    if (wrapper.isEmpty())
        p.start(m_bin, args);
    else
        p.start(wrapper.first(), wrapper.mid(1) + QStringList{m_bin} + args);
    Run r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out: hivelab ") + args.join(QLatin1Char(' '));
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

void TestCli::initTestCase()
{
    m_bin = qEnvironmentVariable("HIVELAB_BIN");
    QVERIFY2(!m_bin.isEmpty(), "HIVELAB_BIN is not set (run through ctest)");
    QVERIFY2(QFileInfo(m_bin).isExecutable(), qPrintable(m_bin));
    QVERIFY(m_dir.isValid());
    m_strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
}

void TestCli::help()
{
    const Run r = run({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Usage: hivelab")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("check")));
    QVERIFY(r.out.contains(QLatin1String("new")));
}

void TestCli::version()
{
    const Run r = run({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("hivelab " HIVELAB_VERSION)), qPrintable(r.out));
}

void TestCli::checkHelp()
{
    const Run r = run({QStringLiteral("check"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("--json")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("--demo")));
    // Named as users type it, not by the binary's path.
    QVERIFY2(r.out.startsWith(QLatin1String("Usage: hivelab check ")), qPrintable(r.out));
    const Run e = run({QStringLiteral("exec"), QStringLiteral("--help")});
    QVERIFY2(e.out.startsWith(QLatin1String("Usage: hivelab exec ")), qPrintable(e.out));
}

void TestCli::windowUsageErrorsNeedNoDisplay_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")}
                                    << QStringLiteral("Unknown option 'bogus'");
    QTest::newRow("page too high") << QStringList{QStringLiteral("--wizard-page"),
                                                  QStringLiteral("12")}
                                   << QStringLiteral("--wizard-page must be a whole number from 1 "
                                                     "to 8 (not \"12\")");
    QTest::newRow("page not a number")
        << QStringList{QStringLiteral("--wizard-page"), QStringLiteral("two")}
        << QStringLiteral("from 1 to 8");
    QTest::newRow("bad size") << QStringList{QStringLiteral("--size"), QStringLiteral("12x9")}
                              << QStringLiteral("--size takes WIDTHxHEIGHT");
    QTest::newRow("two labs") << QStringList{QStringLiteral("--demo"), QStringLiteral("a.hivelab")}
                              << QStringLiteral("Open one lab");
    // Qt's own options pass; the typo after them is still found.
    QTest::newRow("after qt options")
        << QStringList{QStringLiteral("-platform"), QStringLiteral("offscreen"),
                       QStringLiteral("-style=Fusion"), QStringLiteral("--demoo")}
        << QStringLiteral("Unknown option 'demoo'");
}

void TestCli::windowUsageErrorsNeedNoDisplay()
{
    // Without a display QApplication aborts (exit 134); a usage error must come first.
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    p.setProcessEnvironment(env);
    p.start(m_bin, args);
    QVERIFY(p.waitForFinished(30000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 2, qPrintable(err));
    QVERIFY2(err.contains(message), qPrintable(err));
}

void TestCli::commandsLoadNoWindowLibraries_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")};
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")};
    QTest::newRow("check") << QStringList{QStringLiteral("check"), QStringLiteral("--demo")};
    QTest::newRow("discover usage error")
        << QStringList{QStringLiteral("discover"), QStringLiteral("--timeout"), QStringLiteral("0"),
                       QStringLiteral("127.0.0.1")};
}

void TestCli::commandsLoadNoWindowLibraries()
{
    // The window lives in a module loaded only when one is opened (app/main.cpp): loading Qt
    // Widgets, Gui, X11 and fontconfig was half of every command's process start.
    QFETCH(QStringList, args);
    // The dynamic loader's log of what it loads.
    const QString err = runUnder({QStringLiteral("env"), QStringLiteral("LD_DEBUG=files")}, args).err;
    QVERIFY2(err.contains(QLatin1String("file=libQt6Core.so")), "LD_DEBUG=files printed nothing");
    for (const char *lib : {"libQt6Widgets", "libQt6Gui", "libX11", "libfontconfig", "hivelab-gui"})
        QVERIFY2(!err.contains(QLatin1String(lib)), lib);
}

void TestCli::ioLibrariesLoadOnFirstUse_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("network"); // the command connects somewhere
    QTest::newRow("window") << QStringList{QStringLiteral("--demo"), QStringLiteral("--screenshot"),
                                           m_dir.filePath(QStringLiteral("lazy.png"))}
                            << false;
    QTest::newRow("check") << QStringList{QStringLiteral("check"), QStringLiteral("--demo")} << false;
    // One board on loopback, port 9 (discard; nothing listens): a scan that sockets run.
    QTest::newRow("discover") << QStringList{QStringLiteral("discover"), QStringLiteral("--timeout"),
                                             QStringLiteral("300"), QStringLiteral("127.0.0.1"),
                                             QStringLiteral("--ports"), QStringLiteral("9")}
                              << true;
}

void TestCli::ioLibrariesLoadOnFirstUse()
{
    // app/lazyload: libcrypto, QtKeychain and Qt Network (with Kerberos and libproxy behind it)
    // load on the first call into them. The window's first frame and commands that stay local
    // load none; a command that opens a socket loads Qt Network when it does, and works.
#ifndef HIVELAB_LAZY_LIBRARIES
    QSKIP("The libraries are linked as usual in this build (sanitizers, not x86-64)");
#endif
    QFETCH(QStringList, args);
    QFETCH(bool, network);
    const Run r = runUnder({QStringLiteral("env"), QStringLiteral("LD_DEBUG=files")}, args);
    const QString &err = r.err;
    QVERIFY2(err.contains(QLatin1String("file=libQt6Core.so")), "LD_DEBUG=files printed nothing");
    QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(err.right(2000)));
    const auto loaded = [&err](const char *library) {
        return err.contains(QRegularExpression(QStringLiteral("file=\\S*%1\\.so")
                                                   .arg(QLatin1String(library))));
    };
    QCOMPARE(loaded("libQt6Network"), network);
    QVERIFY2(!loaded("libcrypto"), "libcrypto was loaded");
    QVERIFY2(!loaded("libqt6keychain"), "QtKeychain was loaded");
    QCOMPARE(loaded("libkrb5"), network);
}

void TestCli::windowOpensFromItsModule()
{
    // ctest runs this offscreen (QT_QPA_PLATFORM): the same start as a user's, window included.
    const QString shot = m_dir.filePath(QStringLiteral("window.png"));
    QProcess p;
    p.start(m_bin, {QStringLiteral("--demo"), QStringLiteral("--screenshot"), shot});
    QVERIFY(p.waitForFinished(60000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 0, qPrintable(err));
    QVERIFY2(QFileInfo(shot).size() > 0, qPrintable(err));
}

void TestCli::windowOnAnXServer()
{
    // On a display (xcb here) the window connects to the session bus on a thread of its own
    // while QApplication starts, for Qt's accessibility bridge (guimain.cpp): it still comes up,
    // paints and quits cleanly, and neither Qt D-Bus nor the bridge complains. Six starts: that
    // thread once raced the window's own to be Qt's main thread, in half of them.
    const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    if (xvfb.isEmpty())
        QSKIP("xvfb-run missing (packaging/install-deps.sh run)");
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("No private session bus: run through tests/run.sh (tests/test-session.sh)");
    const QString shot = m_dir.filePath(QStringLiteral("xcb.png"));
    const Run r = runUnder({QStringLiteral("env"), QStringLiteral("QT_QPA_PLATFORM=xcb"), xvfb,
                            QStringLiteral("-a"), QStringLiteral("-s"),
                            QStringLiteral("-screen 0 1600x1000x24"), QStringLiteral("sh"),
                            QStringLiteral("-c"),
                            QStringLiteral("for i in 1 2 3 4 5 6; do \"$0\" \"$@\" || exit; done")},
                           {QStringLiteral("--demo"), QStringLiteral("--screenshot"), shot});
    const QString &err = r.err;
    QVERIFY2(r.exitCode == 0, qPrintable(err));
    QVERIFY2(QFileInfo(shot).size() > 0, qPrintable(err));
    for (const char *complaint :
         {"QDBus", "QObject:", "QThread", "QSocketNotifier", "atspi", "main() thread"})
        QVERIFY2(!err.contains(QLatin1String(complaint), Qt::CaseInsensitive), qPrintable(err));
}

void TestCli::screenshotsHaveTheRequestedSize_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("window") << QStringList{QStringLiteral("--demo"),
                                           QStringLiteral("--screenshot")};
    QTest::newRow("wizard page") << QStringList{
        QStringLiteral("--wizard-page"), QStringLiteral("2"), QStringLiteral("--screenshot")};
    // Every step on the demo lab, as take.sh shows them (the sanitized run builds and closes
    // each page's widgets here).
    for (int page = 1; page <= 8; ++page)
        QTest::addRow("demo, wizard page %d", page)
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--wizard-page"),
                           QString::number(page), QStringLiteral("--screenshot")};
    QTest::newRow("wizard") << QStringList{QStringLiteral("--demo"),
                                           QStringLiteral("--screenshot-wizard")};
    // Taken after the paint that shows the card moved: a paint that never came would hang.
    QTest::newRow("drag") << QStringList{QStringLiteral("--demo"),
                                         QStringLiteral("--screenshot-drag")};
}

void TestCli::screenshotsHaveTheRequestedSize()
{
    // docs/screenshots/take.sh takes each screenshot at laptop sizes with --size.
    QFETCH(QStringList, args);
    const QString shot = m_dir.filePath(QStringLiteral("sized.png"));
    QFile::remove(shot);
    QProcess p;
    p.start(m_bin, QStringList{QStringLiteral("--size"), QStringLiteral("1280x800")} + args +
                       QStringList{shot});
    QVERIFY(p.waitForFinished(60000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(err));
    QFile png(shot);
    QVERIFY2(png.open(QIODevice::ReadOnly), qPrintable(err));
    const QByteArray header = png.read(24); // signature, IHDR length and type, width, height
    QCOMPARE(header.size(), 24);
    QCOMPARE(qFromBigEndian<quint32>(header.constData() + 16), 1280u);
    QCOMPARE(qFromBigEndian<quint32>(header.constData() + 20), 800u);
}

void TestCli::copyWithoutTheModuleRunsCommands()
{
    // A copy of the binary without its module runs commands and says why no window opens.
    const QString copy = m_dir.filePath(QStringLiteral("alone/bin/hivelab"));
    QVERIFY(QDir().mkpath(QFileInfo(copy).path()));
    QVERIFY(QFile::copy(m_bin, copy));
    QProcess p;
    p.start(copy, {QStringLiteral("check"), QStringLiteral("--demo")});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    p.start(copy, {QStringLiteral("--demo")});
    QVERIFY(p.waitForFinished(30000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.startsWith(QLatin1String("hivelab: cannot open the window: ")), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("hivelab-gui.so")), qPrintable(err));
}

void TestCli::noLibraryFromTheCurrentFolder()
{
    // The build tree's binary had a RUNPATH of empty entries (CMake's room for the install
    // RPATH qt_standard_project_setup() sets): the current folder, searched for every library.
    // A file named like one there stopped every command ("file too short").
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    for (const char *name : {"libQt6Core.so.6", "libQt6Network.so.6", "libstdc++.so.6"}) {
        QFile f(folder.filePath(QString::fromLatin1(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    QProcess p;
    p.setWorkingDirectory(folder.path());
    p.start(m_bin, {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY(p.readAllStandardOutput().startsWith("hivelab "));
}

void TestCli::checkDemo()
{
    const Run r = run({QStringLiteral("check"), QStringLiteral("--demo")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Managers: 3 (quorum needs 2")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("Errors (0):")));
    QVERIFY(r.out.contains(QLatin1String("[arch.mixed]")));
    QVERIFY(r.out.contains(QLatin1String("Suggested managers: pine64-2, pine64-4, pine64-6")));
    QVERIFY(r.err.isEmpty());
}

void TestCli::checkDemoJson()
{
    const Run r =
        run({QStringLiteral("check"), QStringLiteral("--demo"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    const QJsonObject o = doc.object();
    QCOMPARE(o.value(QStringLiteral("managerCount")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("quorum")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("errors")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("domains")).toArray().size(), 15);
    QCOMPARE(o.value(QStringLiteral("suggestedManagers")).toArray().size(), 3);
    const QJsonArray findings = o.value(QStringLiteral("findings")).toArray();
    QVERIFY(!findings.isEmpty());
    bool mixed = false;
    for (const QJsonValue &f : findings) {
        const QJsonObject finding = f.toObject();
        QVERIFY(finding.contains(QStringLiteral("severity")));
        QVERIFY(finding.contains(QStringLiteral("message")));
        mixed = mixed ||
                finding.value(QStringLiteral("code")).toString() == QLatin1String("arch.mixed");
    }
    QVERIFY(mixed);
}

void TestCli::checkFiles()
{
    const QString good = m_dir.filePath(QStringLiteral("demo.hivelab"));
    Run r = run({QStringLiteral("new"), QStringLiteral("--demo"), good});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));

    r = run({QStringLiteral("check"), good});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Managers: 3 (quorum needs 2")), qPrintable(r.out));

    // Move rack 2's manager into rack 1: two of three managers now share a rack.
    LabFileError error;
    std::optional<Lab> lab = LabFile::load(good, &error);
    QVERIFY2(lab, qPrintable(error.toString()));
    Board *moved = lab->board(QStringLiteral("pine64-4"));
    QVERIFY(moved && moved->role == Role::Manager);
    QVERIFY(!lab->boardAt(QStringLiteral("rack-1"), 3));
    moved->rackId = QStringLiteral("rack-1");
    moved->slot = 3;
    moved->psuId = QStringLiteral("psu-1");
    moved->switchId = QStringLiteral("switch-1");
    moved->switchPort = 4;
    const QString bad = m_dir.filePath(QStringLiteral("bad.hivelab"));
    QVERIFY2(LabFile::save(*lab, bad, &error), qPrintable(error.toString()));

    r = run({QStringLiteral("check"), bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QLatin1String("Managers: 3 (quorum needs 2")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("Losing Rack 1 leaves 1 of 3 managers; quorum needs 2.")));
    QVERIFY(r.out.contains(QLatin1String("[quorum.rack-loss]")));
    QVERIFY(r.out.contains(QLatin1String("Suggested managers:")));

    r = run({QStringLiteral("check"), QStringLiteral("--json"), bad});
    QCOMPARE(r.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("ok")).toBool(true), false);
    QVERIFY(o.value(QStringLiteral("errors")).toInt() > 0);
}

void TestCli::checkMissingFile()
{
    const QString missing = m_dir.filePath(QStringLiteral("no-such-lab.hivelab"));
    const Run r = run({QStringLiteral("check"), missing});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(missing), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::checkMalformedFile()
{
    const QString truncated = QStringLiteral(HIVELAB_TEST_DATA "/labs/malformed/truncated.hivelab");
    QVERIFY(QFileInfo::exists(truncated));
    const Run r = run({QStringLiteral("check"), truncated});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(truncated + QLatin1String(": ")), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::checkUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("nothing to check") << QStringList{QStringLiteral("check")};
    QTest::newRow("file and demo") << QStringList{QStringLiteral("check"), QStringLiteral("--demo"),
                                                  QStringLiteral("x.hivelab")};
    QTest::newRow("two files") << QStringList{QStringLiteral("check"), QStringLiteral("a.hivelab"),
                                              QStringLiteral("b.hivelab")};
    QTest::newRow("unknown option") << QStringList{
        QStringLiteral("check"), QStringLiteral("--demo"), QStringLiteral("--bogus")};
}

void TestCli::checkUsage()
{
    QFETCH(QStringList, args);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
    QVERIFY(r.out.isEmpty());
}

void TestCli::unknownCommand()
{
    const Run r = run({QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("Unknown command \"frobnicate\"")), qPrintable(r.err));
}

void TestCli::rolesShowSetAndAuto()
{
    const QString file = m_dir.filePath(QStringLiteral("roles.hivelab"));
    QVERIFY(writeDemo(file));
    LabFileError error;
    const Lab before = *LabFile::load(file, &error);

    // Showing changes nothing.
    Run r = run({QStringLiteral("roles"), file});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("3 manager(s), quorum 2")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("survives the loss of any one rack")));
    QVERIFY(*LabFile::load(file, &error) == before);

    // Three managers in racks 1, 1 and 2: rack 1 (and its PSU, circuit, switch) breaks quorum.
    r = run({QStringLiteral("roles"), file, QStringLiteral("--managers"),
             QStringLiteral("pine64-1,PINE64-2,pine64-3")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Quorum is lost if any of these fails: Rack 1")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("Suggested managers:")));
    Lab lab = *LabFile::load(file, &error);
    QCOMPARE(lab.managers().size(), 3);
    QCOMPARE(lab.board(QStringLiteral("pine64-2"))->role, Role::Manager);
    QCOMPARE(lab.board(QStringLiteral("pine64-4"))->role, Role::Worker); // was a manager
    QCOMPARE(lab.board(QStringLiteral("up-2"))->role, Role::Worker);

    // auto: the check's suggestion, which survives any single failure.
    r = run({QStringLiteral("roles"), file, QStringLiteral("--managers"), QStringLiteral("auto"),
             QStringLiteral("--unassign"), QStringLiteral("up-3"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QLatin1String("managers")).toInt(), 3);
    QVERIFY(o.value(QLatin1String("quorumLostBy")).toArray().isEmpty());
    QVERIFY(o.value(QLatin1String("saved")).toBool());
    lab = *LabFile::load(file, &error);
    QCOMPARE(lab.board(QStringLiteral("up-3"))->role, Role::Unassigned);
    r = run({QStringLiteral("check"), file});
    QVERIFY2(r.out.contains(QLatin1String("Managers: 3 (quorum needs 2")), qPrintable(r.out));
}

void TestCli::rolesRefusesAndKeepsTheFile()
{
    const QString file = m_dir.filePath(QStringLiteral("roles-bad.hivelab"));
    QVERIFY(writeDemo(file));
    const QByteArray bytes = contents(file);
    Run r = run({QStringLiteral("roles"), file, QStringLiteral("--managers"),
                 QStringLiteral("pine64-1,nosuch")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("No board \"nosuch\"")), qPrintable(r.err));
    r = run({QStringLiteral("roles")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QLatin1String("Usage: hivelab roles")));
    QCOMPARE(contents(file), bytes); // untouched, byte for byte
}

void TestCli::rolesAutoWithoutRacks()
{
    // Right after discovery: boards, no racks, PSUs or switches. The check cannot place
    // managers safely; roles still picks a working set, says why, and skips Windows boards.
    Lab lab;
    lab.name = QStringLiteral("found");
    for (const char *name : {"win-1", "b-1", "b-2", "b-3", "b-4"}) {
        Board b;
        b.id = b.name = b.hostname = QLatin1String(name);
        if (b.id == QLatin1String("win-1"))
            b.os = QStringLiteral("Windows Server 2019");
        lab.boards << b;
    }
    const QString file = m_dir.filePath(QStringLiteral("found.hivelab"));
    LabFileError error;
    QVERIFY(LabFile::save(lab, file, &error));
    Run r = run({QStringLiteral("roles"), file, QStringLiteral("--managers"),
                 QStringLiteral("auto")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(QLatin1String("as spread as the plan allows")), qPrintable(r.err));
    lab = *LabFile::load(file, &error);
    QCOMPARE(lab.managers().size(), 3);
    QCOMPARE(lab.board(QStringLiteral("win-1"))->role, Role::Worker);
    QCOMPARE(lab.board(QStringLiteral("b-4"))->role, Role::Worker);

    // Only Windows boards: nothing can manage.
    Lab windows;
    windows.name = QStringLiteral("windows");
    windows.boards << *lab.board(QStringLiteral("win-1"));
    QVERIFY(LabFile::save(windows, file, &error));
    r = run({QStringLiteral("roles"), file, QStringLiteral("--managers"), QStringLiteral("auto")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("needs a Linux board")), qPrintable(r.err));
}

void TestCli::placeRecablesAndSaves()
{
    const QString file = m_dir.filePath(QStringLiteral("place.hivelab"));
    QVERIFY(writeDemo(file));
    LabFileError error;
    // up-1 into rack 4: the first free slot (2), rack 4's supply and switch, its lowest free port.
    Run r = run({QStringLiteral("place"), file, QStringLiteral("up-1"), QStringLiteral("--rack"),
                 QStringLiteral("Rack 4")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("up-1: Rack 1 slot 3, PSU 1 (5 V 16 A), Switch 1 "
                                          "(8-port GbE) port 3 -> Rack 4 slot 2, PSU 4 (5 V 16 A), "
                                          "Switch 4 (8-port GbE) port 2")),
             qPrintable(r.out));
    QVERIFY(r.err.contains(QLatin1String("Saved")));
    Lab lab = *LabFile::load(file, &error);
    const Board *b = lab.board(QStringLiteral("up-1"));
    QCOMPARE(b->rackId, QStringLiteral("rack-4"));
    QCOMPARE(b->slot, 1);
    QCOMPARE(b->psuId, QStringLiteral("psu-4"));
    QCOMPARE(b->switchId, QStringLiteral("switch-4"));
    QCOMPARE(b->switchPort, 2);

    // A swap prints and re-cables both boards.
    r = run({QStringLiteral("place"), file, QStringLiteral("pine64-1"), QStringLiteral("--rack"),
             QStringLiteral("rack-4"), QStringLiteral("--slot"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count(QLatin1String(" -> ")), 2);
    lab = *LabFile::load(file, &error);
    QCOMPARE(lab.board(QStringLiteral("pine64-7"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(lab.board(QStringLiteral("pine64-7"))->psuId, QStringLiteral("psu-1"));
    QCOMPARE(lab.board(QStringLiteral("pine64-1"))->switchId, QStringLiteral("switch-4"));
    QCOMPARE(lab.board(QStringLiteral("pine64-1"))->switchPort, 1);
    QCOMPARE(run({QStringLiteral("check"), file}).exitCode, 0);

    // The rack-1 manager next to the rack-2 one: saved, with a warning for each single failure
    // that now takes two of the three managers.
    r = run({QStringLiteral("place"), file, QStringLiteral("pine64-2"), QStringLiteral("--rack"),
             QStringLiteral("rack-2"), QStringLiteral("--slot"), QStringLiteral("4")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(QLatin1String("warning: Losing Rack 2 alone now breaks manager "
                                          "quorum")),
             qPrintable(r.err));
    QVERIFY(r.err.contains(QLatin1String("Losing circuit wall-B alone")));
    QCOMPARE(r.err.count(QLatin1String("breaks manager quorum")), 4); // rack, PSU, circuit, switch
    QCOMPARE(run({QStringLiteral("check"), file}).exitCode, 1);
    QCOMPARE(run({QStringLiteral("place"), file, QStringLiteral("pine64-2"),
                  QStringLiteral("--rack"), QStringLiteral("rack-1")})
                 .exitCode,
             0);

    // Same place again: nothing to save.
    r = run({QStringLiteral("place"), file, QStringLiteral("pine64-1"), QStringLiteral("--rack"),
             QStringLiteral("rack-4")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("stays where it is")), qPrintable(r.out));
}

void TestCli::placeOverridesAndRefuses()
{
    const QString file = m_dir.filePath(QStringLiteral("place-bad.hivelab"));
    QVERIFY(writeDemo(file));
    const QByteArray bytes = contents(file);
    const struct
    {
        QStringList args;
        const char *error;
    } bad[] = {
        {{QStringLiteral("up-1")}, "Usage: hivelab place"},
        {{QStringLiteral("nosuch"), QStringLiteral("--rack"), QStringLiteral("rack-4")},
         "No board \"nosuch\""},
        {{QStringLiteral("up-1"), QStringLiteral("--rack"), QStringLiteral("rack-9")},
         "No rack \"rack-9\""},
        {{QStringLiteral("up-1"), QStringLiteral("--rack"), QStringLiteral("rack-4"),
          QStringLiteral("--slot"), QStringLiteral("5")},
         "--slot must be a whole number from 1 to 4"},
        {{QStringLiteral("up-1"), QStringLiteral("--rack"), QStringLiteral("rack-1"),
          QStringLiteral("--port"), QStringLiteral("1")},
         "Port 1 of Switch 1 (8-port GbE) is taken by pine64-1."},
        {{QStringLiteral("up-1"), QStringLiteral("--rack"), QStringLiteral("rack-4"),
          QStringLiteral("--port"), QStringLiteral("9")},
         "Switch 4 (8-port GbE) has ports 1 to 8; there is no port 9."},
        {{QStringLiteral("up-1"), QStringLiteral("--rack"), QStringLiteral("rack-4"),
          QStringLiteral("--switch"), QStringLiteral("none"), QStringLiteral("--port"),
          QStringLiteral("2")},
         "--port needs a switch"},
        {{QStringLiteral("up-1"), QStringLiteral("--rack"), QStringLiteral("rack-4"),
          QStringLiteral("--psu"), QStringLiteral("psu-9")},
         "No power supply \"psu-9\""},
    };
    for (const auto &c : bad) {
        const Run r = run(QStringList{QStringLiteral("place"), file} + c.args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String(c.error)), qPrintable(r.err));
    }
    QCOMPARE(contents(file), bytes); // untouched, byte for byte

    // Explicit gear overrides the rule: rack 4, but still on PSU 1 and switch 2 port 7.
    const Run r = run({QStringLiteral("place"), file, QStringLiteral("up-1"),
                       QStringLiteral("--rack"), QStringLiteral("rack-4"), QStringLiteral("--psu"),
                       QStringLiteral("PSU 1 (5 V 16 A)"), QStringLiteral("--switch"),
                       QStringLiteral("switch-2"), QStringLiteral("--port"), QStringLiteral("7")});
    QCOMPARE(r.exitCode, 0);
    LabFileError error;
    const Lab lab = *LabFile::load(file, &error);
    const Board *b = lab.board(QStringLiteral("up-1"));
    QCOMPARE(b->rackId, QStringLiteral("rack-4"));
    QCOMPARE(b->psuId, QStringLiteral("psu-1"));
    QCOMPARE(b->switchId, QStringLiteral("switch-2"));
    QCOMPARE(b->switchPort, 7);
}

void TestCli::placeReportsFullGear()
{
    Lab lab = demoLab();
    lab.switches[3].ports = 2;
    lab.powerSupplies[3].ratingAmps = 5;
    const QString file = m_dir.filePath(QStringLiteral("place-full.hivelab"));
    LabFileError error;
    QVERIFY(LabFile::save(lab, file, &error));
    Run r = run({QStringLiteral("place"), file, QStringLiteral("up-1"), QStringLiteral("--rack"),
                 QStringLiteral("rack-4")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(QLatin1String("up-1 is on no power supply: PSU 4 (5 V 16 A) would "
                                          "feed 33.5 W of its 25.0 W rating")),
             qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("up-1 has no switch port: every port of Switch 4")),
             qPrintable(r.err));
    r = run({QStringLiteral("check"), file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QLatin1String("no free port for up-1")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("up-1 in Rack 4 is on no supply")), qPrintable(r.out));
}

void TestCli::gearAddListRemove()
{
    const QString file = m_dir.filePath(QStringLiteral("gear.hivelab"));
    QVERIFY(writeDemo(file));
    Run r = run({QStringLiteral("rack"), QStringLiteral("add"), file});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Added Rack 5 (rack-5), 4 slots.")), qPrintable(r.out));
    r = run({QStringLiteral("psu"), QStringLiteral("add"), file, QStringLiteral("--rack"),
             QStringLiteral("Rack 5"), QStringLiteral("--watts"), QStringLiteral("60"),
             QStringLiteral("--circuit"), QStringLiteral("wall-C")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(
        r.out.contains(QLatin1String("Added PSU 1 (psu-5): 60.0 W, in Rack 5, circuit wall-C.")),
        qPrintable(r.out));
    r = run({QStringLiteral("switch"), QStringLiteral("add"), file, QStringLiteral("--rack"),
             QStringLiteral("rack-5"), QStringLiteral("--ports"), QStringLiteral("5")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Added Switch 1 (switch-5): 5 ports, in Rack 5, "
                                          "powered by PSU 1.")),
             qPrintable(r.out));

    r = run({QStringLiteral("switch"), QStringLiteral("list"), file, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray switches = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(switches.size(), 5);
    QCOMPARE(switches.at(4).toObject().value(QLatin1String("psu")).toString(),
             QStringLiteral("psu-5"));
    QCOMPARE(switches.at(0).toObject().value(QLatin1String("portsUsed")).toInt(), 4);
    r = run({QStringLiteral("psu"), QStringLiteral("list"), file});
    QVERIFY2(r.out.contains(QLatin1String("43.5 W peak of 80.0 W")), qPrintable(r.out));

    // Bad input: refused, nothing written.
    QCOMPARE(run({QStringLiteral("rack"), QStringLiteral("add"), file, QStringLiteral("--name"),
                  QStringLiteral("rack 1")})
                 .exitCode,
             2);
    QCOMPARE(run({QStringLiteral("rack"), QStringLiteral("add"), file, QStringLiteral("--slots"),
                  QStringLiteral("0")})
                 .exitCode,
             2);
    r = run({QStringLiteral("rack"), QStringLiteral("remove"), file, QStringLiteral("Rack 1")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("Removing Rack 1: 3 board(s) become unplaced, 2 "
                                          "supply/switch(es) stand outside any rack. Nothing was "
                                          "changed")),
             qPrintable(r.err));
    QCOMPARE(run({QStringLiteral("psu"), QStringLiteral("remove"), file, QStringLiteral("psu-9")})
                 .exitCode,
             2);
    LabFileError error;
    QCOMPARE(LabFile::load(file, &error)->racks.size(), 5);

    r = run({QStringLiteral("rack"), QStringLiteral("remove"), file, QStringLiteral("Rack 1"),
             QStringLiteral("--force")});
    QCOMPARE(r.exitCode, 0);
    const Lab lab = *LabFile::load(file, &error);
    QCOMPARE(lab.racks.size(), 4);
    QVERIFY(lab.board(QStringLiteral("up-1"))->rackId.isEmpty());
    QVERIFY(lab.powerSupply(QStringLiteral("psu-1"))->rackId.isEmpty());
    QVERIFY(!lab.rack(QStringLiteral("rack-1")));
    r = run({QStringLiteral("switch"), QStringLiteral("remove"), file, QStringLiteral("switch-5")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("Removed Switch 1.")), qPrintable(r.out));
}

void TestCli::circuitAddListRemove()
{
    const QString file = m_dir.filePath(QStringLiteral("circuits.hivelab"));
    QVERIFY(writeDemo(file));
    const QString circuit = QStringLiteral("circuit");
    Run r = run({circuit, QStringLiteral("list"), file, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QJsonArray list = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("name")).toString(), QStringLiteral("wall-A"));
    QCOMPARE(list.at(0).toObject().value(QLatin1String("powerSupplies")).toArray(),
             (QJsonArray{QStringLiteral("psu-1"), QStringLiteral("psu-4")}));
    QVERIFY(list.at(0).toObject().value(QLatin1String("peakWatts")).toDouble() > 0);

    // Move PSU 4 to a new circuit: wall-A keeps PSU 1 only.
    r = run({circuit, QStringLiteral("add"), file, QStringLiteral("wall-D"), QStringLiteral("--psu"),
             QStringLiteral("psu-4")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QLatin1String("was on wall-A")), qPrintable(r.out));
    LabFileError error;
    QCOMPARE(LabFile::load(file, &error)->powerSupply(QStringLiteral("psu-4"))->circuit,
             QStringLiteral("wall-D"));

    // Bad input: refused, nothing written.
    QCOMPARE(run({circuit, QStringLiteral("add"), file, QStringLiteral("wall-E")}).exitCode, 2);
    r = run({circuit, QStringLiteral("add"), file, QStringLiteral("wall-E"), QStringLiteral("--psu"),
             QStringLiteral("psu-9")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("No power supply \"psu-9\"")), qPrintable(r.err));
    QCOMPARE(run({circuit, QStringLiteral("remove"), file, QStringLiteral("wall-Z")}).exitCode, 2);
    r = run({circuit, QStringLiteral("remove"), file, QStringLiteral("wall-B")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("Nothing was changed")), qPrintable(r.err));
    QCOMPARE(LabFile::load(file, &error)->powerSupply(QStringLiteral("psu-2"))->circuit,
             QStringLiteral("wall-B"));

    r = run({circuit, QStringLiteral("remove"), file, QStringLiteral("wall-b"), QStringLiteral("--force")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(LabFile::load(file, &error)->powerSupply(QStringLiteral("psu-2"))->circuit.isEmpty());
    r = run({circuit, QStringLiteral("list"), file});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("wall-D")) && !r.out.contains(QLatin1String("wall-B")) &&
                 r.out.contains(QLatin1String("(no circuit)")),
             qPrintable(r.out));
}

void TestCli::workflowOptionsRefusedBeforeConnecting_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    const QStringList provision{QStringLiteral("provision")};
    const QStringList status{QStringLiteral("swarm"), QStringLiteral("status")};
    // 4294968 s is 704 ms once multiplied into an int.
    QTest::addRow("timeout overflow")
        << provision << QStringList{QStringLiteral("--connect-timeout"), QStringLiteral("4294968")}
        << QStringLiteral("--connect-timeout must be a whole number from 1 to 600");
    QTest::addRow("parallel zero")
        << provision << QStringList{QStringLiteral("--parallel"), QStringLiteral("0")}
        << QStringLiteral("--parallel must be a whole number from 1 to 256");
    QTest::addRow("parallel huge")
        << status << QStringList{QStringLiteral("--parallel"), QStringLiteral("99999999999")}
        << QStringLiteral("--parallel must be a whole number from 1 to 256");
    QTest::addRow("known_hosts folder missing")
        << status
        << QStringList{QStringLiteral("--known-hosts"),
                       m_dir.filePath(QStringLiteral("missing/known_hosts"))}
        << QStringLiteral("the folder %1 does not exist").arg(m_dir.filePath(QStringLiteral("missing")));
    QTest::addRow("missing key") << provision
                                 << QStringList{QStringLiteral("-i"), QStringLiteral("/missing/key")}
                                 << QStringLiteral("/missing/key: No such file or directory");
}

void TestCli::workflowOptionsRefusedBeforeConnecting()
{
    QFETCH(QStringList, command);
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    // One board on a loopback port where nothing listens (a connection would be refused).
    Lab lab;
    lab.name = QStringLiteral("loop");
    Board b;
    b.id = b.name = b.hostname = QStringLiteral("loop-1");
    b.ip = QStringLiteral("127.0.0.1");
    b.sshPort = 1;
    b.role = Role::Manager;
    lab.boards << b;
    const QString file = m_dir.filePath(QStringLiteral("loop.hivelab"));
    LabFileError error;
    QVERIFY2(LabFile::save(lab, file, &error), qPrintable(error.toString()));
    const Run r = run(command + QStringList{file} + options);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("refused")), qPrintable(r.err)); // never connected
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("missing"))));
    const Run help = run(command + QStringList{QStringLiteral("--help")});
    QVERIFY(help.out.contains(QLatin1String("1-600")));
    QVERIFY(help.out.contains(QLatin1String("1-256")));
}

void TestCli::saveFlushesTheFolderAfterTheRename()
{
    // Only a system-call trace shows the order: the folder is flushed after the rename,
    // otherwise a power cut can bring the old name back.
    if (m_strace.isEmpty())
        QSKIP("strace is not installed (packaging/install-deps.sh test)");
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("lab.hivelab"));
    const QString log = m_dir.filePath(QStringLiteral("save.strace"));
    const Run r = runUnder({m_strace, QStringLiteral("-f"), QStringLiteral("-y"),
                            QStringLiteral("-o"), log, QStringLiteral("-e"),
                            QStringLiteral("trace=rename,renameat,renameat2,fsync,fdatasync")},
                           {QStringLiteral("new"), QStringLiteral("--demo"), file});
    QCOMPARE(r.exitCode, 0);
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString trace = QString::fromUtf8(f.readAll());
    const int rename = trace.indexOf(QRegularExpression(
        QStringLiteral("rename[a-z0-9]*\\(.*lab\\.hivelab.*\\)\\s+= 0")));
    QVERIFY2(rename >= 0, qPrintable(trace));
    const int folderSync = trace.indexOf(
        QRegularExpression(QStringLiteral("fsync\\(\\d+<%1>\\)\\s+= 0")
                               .arg(QRegularExpression::escape(dir.path()))),
        rename);
    QVERIFY2(folderSync > rename, qPrintable(trace));
}

void TestCli::saveFailingAtTheRenameLeavesNoTemporary_data()
{
    QTest::addColumn<QString>("inject");
    QTest::addColumn<bool>("interrupted");
    QTest::addRow("error") << QStringLiteral("error=EIO") << false;
    // Ctrl-C arriving just as the rename fails.
    QTest::addRow("error and Ctrl-C") << QStringLiteral("error=EIO:signal=SIGINT") << true;
}

void TestCli::saveFailingAtTheRenameLeavesNoTemporary()
{
    // strace makes the kernel's answer to the rename an I/O error: the save's very last step.
    QFETCH(QString, inject);
    QFETCH(bool, interrupted);
    if (m_strace.isEmpty())
        QSKIP("strace is not installed (packaging/install-deps.sh test)");
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("lab.hivelab"));
    QVERIFY(HivelabTest::writeFile(file, "old lab"));
    const Run r = runUnder({m_strace, QStringLiteral("-f"), QStringLiteral("-o"),
                            QStringLiteral("/dev/null"), QStringLiteral("-e"),
                            QStringLiteral("trace=rename,renameat,renameat2"), QStringLiteral("-e"),
                            QStringLiteral("inject=rename,renameat,renameat2:") + inject},
                           {QStringLiteral("new"), QStringLiteral("--demo"),
                            QStringLiteral("--force"), file});
    if (interrupted) {
        // Killed by SIGINT once the temporary file was gone (strace passes that on as 130).
        QVERIFY2(r.exitCode == -1 || r.exitCode == 130, qPrintable(QString::number(r.exitCode)));
    } else {
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("Input/output error")), qPrintable(r.err));
    }
    QFile old(file);
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), QByteArray("old lab"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("lab.hivelab")});
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
