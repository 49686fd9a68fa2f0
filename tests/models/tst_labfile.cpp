// SPDX-License-Identifier: GPL-3.0-or-later
#include "demolab.h"
#include "labfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Hivelab;

namespace {
QString dataPath(const QString &name)
{
    return QStringLiteral(HIVELAB_TEST_DATA "/labs/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

/// A lab where every field differs from its default, including awkward strings.
Lab everyFieldLab()
{
    Lab lab;
    lab.name = QStringLiteral("All \"fields\"\n\t\\ ünïcödé ✓");
    lab.racks.append({QStringLiteral("r1"), QStringLiteral("Rack One"), 6});
    lab.racks.append({QStringLiteral("r2"), QStringLiteral("Rack Two"), 1});
    PowerSupply watts;
    watts.id = QStringLiteral("p1");
    watts.name = QStringLiteral("ATX 450 W");
    watts.rackId = QStringLiteral("r1");
    watts.circuit = QStringLiteral("UPS-1");
    watts.ratingWatts = 450.25;
    lab.powerSupplies.append(watts);
    PowerSupply amps;
    amps.id = QStringLiteral("p2");
    amps.name = QStringLiteral("12 V 5 A");
    amps.ratingAmps = 5.5;
    amps.volts = 12;
    lab.powerSupplies.append(amps);
    NetworkSwitch core;
    core.id = QStringLiteral("s1");
    core.name = QStringLiteral("Core");
    core.rackId = QStringLiteral("r1");
    core.psuId = QStringLiteral("p1");
    core.ports = 24;
    core.watts = 12.75;
    core.uplink = QStringLiteral("ISP router");
    lab.switches.append(core);
    NetworkSwitch edge;
    edge.id = QStringLiteral("s2");
    edge.name = QStringLiteral("Edge");
    edge.rackId = QStringLiteral("r2");
    edge.psuId = QStringLiteral("p2");
    edge.ports = 5;
    edge.watts = 0;
    edge.uplinkSwitchId = QStringLiteral("s1");
    lab.switches.append(edge);
    Board b;
    b.id = QStringLiteral("b1");
    b.name = QStringLiteral("Board \"one\"");
    b.hostname = QStringLiteral("b1.lab");
    b.model = QStringLiteral("odroid-hc4");
    b.arch = QStringLiteral("arm64");
    b.os = QStringLiteral("Armbian");
    b.mac = QStringLiteral("00:1E:06:12:34:56");
    b.ip = QStringLiteral("2001:db8::7");
    b.addressing = Addressing::Static;
    b.sshHost = QStringLiteral("jump.example");
    b.sshPort = 2022;
    b.sshUser = QStringLiteral("admin");
    b.role = Role::Manager;
    b.rackId = QStringLiteral("r1");
    b.slot = 5;
    b.psuId = QStringLiteral("p2");
    b.switchId = QStringLiteral("s1");
    b.switchPort = 24;
    b.labels.insert(QStringLiteral("zeta"), QStringLiteral("last"));
    b.labels.insert(QStringLiteral("alpha"), QStringLiteral("first"));
    b.storage.append({QStringLiteral("hdd-a"), QStringLiteral("/dev/sdb"), 4000787030016LL,
                      QStringLiteral("/srv/a"), 6.5});
    b.storage.append({QStringLiteral("hdd-b"), QString(), 1, QString(), 0});
    b.notes = QStringLiteral("multi\nline");
    b.nodeId = QStringLiteral("p1efijg1nwv8m2lkuttysba0k");
    lab.boards.append(b);
    Board loose;
    loose.id = QStringLiteral("b2");
    loose.name = QStringLiteral("loose");
    loose.role = Role::Worker;
    lab.boards.append(loose);
    lab.swarm.advertiseNetwork = QStringLiteral("fd00:77::/64");
    lab.swarm.defaultLabels.insert(QStringLiteral("site"), QStringLiteral("home"));
    return lab;
}
} // namespace

class TestLabFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripDemo();
    void roundTripEveryField();
    void validFileLoads();
    void outputIsStableAndOrdered();
    void malformed_data();
    void malformed();
    void errorToString();
    void hugeStringsAreElided_data();
    void hugeStringsAreElided();
    void missingFileAndFolder();
    void hugeFileRefusedBeforeReading();
    void hugeDataRefused();
    void migrationFromFakeOlderVersion();
    void migrationStepFailure();
    void saveAndLoadBack();
    void saveIntoPathUnderAFile();
    void saveIntoReadOnlyFolderKeepsOldFile();
    void failedWriteKeepsOldFile();
    void invalidLabIsNotSaved();
    void cliNewDemoLoadsBack();
};

void TestLabFile::roundTripDemo()
{
    const Lab demo = demoLab();
    const QByteArray json = LabFile::toJson(demo);
    LabFileError error;
    const std::optional<Lab> back = LabFile::fromJson(json, &error);
    QVERIFY2(back, qPrintable(error.toString()));
    QVERIFY(*back == demo);
    QCOMPARE(LabFile::toJson(*back), json);
}

void TestLabFile::roundTripEveryField()
{
    const Lab lab = everyFieldLab();
    LabFileError error;
    QVERIFY2(LabFile::validate(lab, &error), qPrintable(error.toString()));
    const std::optional<Lab> back = LabFile::fromJson(LabFile::toJson(lab), &error);
    QVERIFY2(back, qPrintable(error.toString()));
    QVERIFY(*back == lab);
    // Spot checks so a field silently dropped on both sides still fails.
    const Board &b = back->boards.first();
    QCOMPARE(b.storage.at(0).sizeBytes, 4000787030016LL);
    QCOMPARE(b.storage.at(0).peakWatts, 6.5);
    QCOMPARE(b.addressing, Addressing::Static);
    QCOMPARE(b.role, Role::Manager);
    QCOMPARE(b.sshPort, 2022);
    QCOMPARE(b.labels.value(QStringLiteral("alpha")), QStringLiteral("first"));
    QCOMPARE(b.nodeId, QStringLiteral("p1efijg1nwv8m2lkuttysba0k"));
    QVERIFY(!LabFile::toJson(*back).contains("\"nodeId\": \"\"")); // b2 has none: not written
    QCOMPARE(back->powerSupplies.at(1).effectiveWatts(), 66.0);
    QCOMPARE(back->switches.at(1).uplinkSwitchId, QStringLiteral("s1"));
    QCOMPARE(back->name, lab.name);
}

void TestLabFile::validFileLoads()
{
    LabFileError error;
    const std::optional<Lab> lab =
        LabFile::load(dataPath(QStringLiteral("valid-full.hivelab")), &error);
    QVERIFY2(lab, qPrintable(error.toString()));
    QCOMPARE(lab->racks.size(), 2);
    QCOMPARE(lab->boards.size(), 3);
    QCOMPARE(lab->boards.at(0).role, Role::Manager);
    QCOMPARE(lab->boards.at(1).ip, QStringLiteral("fd00::22"));
    QCOMPARE(lab->boards.at(2).slot, -1);
    QCOMPARE(lab->boards.at(0).storage.at(0).sizeBytes, 1000204886016LL);
    QCOMPARE(lab->boards.at(0).notes, QStringLiteral("line one\nline two"));
    QCOMPARE(lab->swarm.defaultLabels.size(), 2);
    QCOMPARE(lab->powerSupplies.at(1).ratingWatts, 65.5);
    // The checked-in file is written exactly as LabFile writes it.
    QCOMPARE(LabFile::toJson(*lab), readAll(dataPath(QStringLiteral("valid-full.hivelab"))));
}

void TestLabFile::outputIsStableAndOrdered()
{
    Lab a = demoLab();
    Lab b = a;
    // Same labels inserted in another order: identical bytes.
    b.boards[0].labels.clear();
    const QStringList keys = a.boards[0].labels.keys();
    for (auto it = keys.crbegin(); it != keys.crend(); ++it)
        b.boards[0].labels.insert(*it, a.boards[0].labels.value(*it));
    const QByteArray json = LabFile::toJson(a);
    QCOMPARE(LabFile::toJson(b), json);
    const QList<QByteArray> lines = json.split('\n');
    QCOMPARE(lines.at(0), QByteArray("{"));
    QCOMPARE(lines.at(1), QByteArray("    \"format\": \"hivelab-lab\","));
    QCOMPARE(lines.at(2), QByteArray("    \"schemaVersion\": 1,"));
    QVERIFY(json.endsWith("}\n"));
    // Top-level keys appear in schema order, not alphabetical order.
    QVERIFY(json.indexOf("\"racks\"") < json.indexOf("\"powerSupplies\""));
    QVERIFY(json.indexOf("\"powerSupplies\"") < json.indexOf("\"boards\""));
    QVERIFY(json.indexOf("\"boards\"") < json.indexOf("\"swarm\""));
    // One field per line: a one-field edit is a one-line diff.
    Lab c = a;
    c.boards[3].ip = QStringLiteral("10.77.0.99");
    const QList<QByteArray> other = LabFile::toJson(c).split('\n');
    QCOMPARE(other.size(), lines.size());
    int differing = 0;
    for (int i = 0; i < lines.size(); ++i)
        differing += lines.at(i) != other.at(i) ? 1 : 0;
    QCOMPARE(differing, 1);
}

void TestLabFile::malformed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("phrase");
    auto row = [](const char *file, const char *path, const char *phrase) {
        QTest::newRow(file) << QString::fromLatin1(file) << QString::fromUtf8(path)
                            << QString::fromUtf8(phrase);
    };
    row("empty", "", "the file is empty");
    row("whitespace-only", "", "the file is empty");
    row("truncated", "$", "the file is truncated");
    row("syntax-error", "$", "malformed JSON at line 5, column 6 (byte offset 105)");
    row("top-level-array", "$", "expected a JSON object at the top level, got an array");
    row("wrong-format", "$.format", "not a Hivelab lab file: expected \"hivelab-lab\"");
    row("no-format", "$.format", "not a Hivelab lab file: the \"format\" key is missing");
    row("newer-version", "$.schemaVersion", "made by a newer Hivelab (schema version 7");
    row("version-zero", "$.schemaVersion", "no upgrade path from schema version 0");
    row("version-string", "$.schemaVersion", "expected an integer, got a string");
    row("missing-name", "$.name", "missing required key \"name\"");
    row("missing-board-id", "$.boards[1].id", "missing required key \"id\"");
    row("unknown-key-typo", "$.boards[0].hostnme", "(did you mean \"hostname\"?)");
    row("unknown-top-key", "$.extras", "unknown key \"extras\"");
    row("slot-is-string", "$.boards[1].slot", "expected an integer, got a string");
    row("slotcount-fraction", "$.racks[0].slotCount", "expected an integer, got a number (2.5)");
    row("racks-not-array", "$.racks", "expected an array, got an object");
    row("board-not-object", "$.boards[1]", "expected an object, got a string");
    row("label-not-string", "$.boards[0].labels.zone", "expected a string, got an integer");
    row("storage-not-array", "$.boards[0].storage", "expected an array, got an object");
    row("notes-null", "$.boards[0].notes", "expected a string, got null");
    row("bad-role", "$.boards[0].role", "got \"leader\"");
    row("bad-addressing", "$.boards[1].addressing", "expected one of \"dhcp\", \"static\"");
    row("duplicate-board-id", "$.boards[2].id",
        "duplicate ID \"node-1\" (already used by $.boards[0])");
    row("duplicate-id-across-kinds", "$.boards[0].id", "already used by $.racks[1]");
    row("bad-id-chars", "$.boards[0].id", "expected an ID of 1–64 letters");
    row("dangling-board-rack", "$.boards[1].rackId", "no rack with ID \"rack-z\"");
    row("dangling-board-psu", "$.boards[0].psuId", "no power supply with ID \"psu-z\"");
    row("dangling-board-switch", "$.boards[1].switchId", "no switch with ID \"sw-a-typo\"");
    row("ref-to-wrong-kind", "$.boards[1].psuId",
        "no power supply with ID \"sw-b\" in this lab ($.switches[1] is not a power supply)");
    row("dangling-psu-rack", "$.powerSupplies[0].rackId", "no rack with ID \"rack-z\"");
    row("dangling-uplink", "$.switches[1].uplinkSwitchId", "no switch with ID \"sw-z\"");
    row("uplink-loop", "$.switches[0].uplinkSwitchId", "uplinks form a loop");
    row("slot-out-of-range", "$.boards[1].slot",
        "slot 2 is out of range: rack \"rack-b\" has slots 0 to 1");
    row("slot-without-rack", "$.boards[2].slot", "the board is in no rack");
    row("two-boards-one-slot", "$.boards[1].slot", "already taken by board \"node-1\"");
    row("switch-port-out-of-range", "$.boards[1].switchPort", "switch \"sw-b\" has ports 1 to 5");
    row("two-boards-one-port", "$.boards[1].switchPort", "already used by board \"node-1\"");
    row("negative-rating", "$.powerSupplies[1].ratingWatts", "must not be negative, got -65");
    row("negative-storage-watts", "$.boards[0].storage[0].peakWatts", "must not be negative");
    row("negative-size", "$.boards[0].storage[1].sizeBytes", "expected an integer from 0 to");
    row("zero-slots", "$.racks[1].slotCount", "expected an integer from 1 to 256, got 0");
    row("amps-without-volts", "$.powerSupplies[0].volts", "needs the voltage");
    row("ssh-port-range", "$.boards[0].sshPort", "from 1 to 65535, got 70000");
    row("bad-ip", "$.boards[0].ip", "expected an IPv4 or IPv6 address, got \"10.77.0.300\"");
    row("bad-hostname", "$.boards[1].hostname", "(RFC 1123), got \"node_2\"");
    row("bad-mac", "$.boards[0].mac", "expected a MAC address");
    row("bad-node-id", "$.boards[1].nodeId", "expected a swarm node ID of 25 lower-case");
    row("duplicate-node-id", "$.boards[2].nodeId",
        "swarm node \"p1efijg1nwv8m2lkuttysba0k\" is already recorded for board \"node-1\"");
    row("bad-network", "$.swarm.advertiseNetwork", "expected a network like");
    row("duplicate-key", "$.boards[1].hostname", "appears more than once");
    row("duplicate-label-key", "$.boards[0].labels.zone", "appears more than once");
    row("swarm-key-typo", "$.swarm.advertiseNetwrok", "did you mean \"advertiseNetwork\"");
    // Numbers beyond qint64: compared as numbers and reported as written, never converted first.
    row("slotcount-huge", "$.racks[1].slotCount", "expected an integer from 1 to 256, got 1e+30");
    row("size-huge-negative", "$.boards[0].storage[0].sizeBytes",
        "expected an integer from 0 to 9007199254740992, got -1e+300");
    row("ssh-port-2-to-64", "$.boards[0].sshPort",
        "expected an integer from 1 to 65535, got 18446744073709552000");
    row("name-huge-number", "$.name", "expected a string, got an integer (1e+30)");
    // Keys are compared as JSON reads them, escapes decoded.
    row("duplicate-key-escaped", "$.boards", "appears more than once");
    row("duplicate-label-key-escaped", "$.boards[0].labels.\U0001F600", "appears more than once");
    // RFC 8259: control characters inside strings must be escaped; Qt would take them raw.
    row("nul-in-string", "$.boards[0].name",
        "raw control character U+0000 inside a string at line 6, column 39");
    row("tab-in-string", "$.boards[1].notes", "raw control character U+0009");
    row("control-in-key", "$.boards[0]", "raw control character U+0001");
}

void TestLabFile::malformed()
{
    QFETCH(QString, file);
    QFETCH(QString, path);
    QFETCH(QString, phrase);
    const QString fullPath = dataPath(QStringLiteral("malformed/%1.hivelab").arg(file));
    QVERIFY2(QFile::exists(fullPath), qPrintable(fullPath));
    LabFileError error;
    const std::optional<Lab> lab = LabFile::load(fullPath, &error);
    QVERIFY(!lab);
    QCOMPARE(error.file, fullPath);
    QCOMPARE(error.jsonPath, path);
    QVERIFY2(error.message.contains(phrase), qPrintable(error.message));
    QVERIFY(error.toString().startsWith(fullPath + QStringLiteral(": ")));
}

void TestLabFile::errorToString()
{
    LabFileError error;
    QVERIFY(!LabFile::fromJson(R"({"format":"hivelab-lab","schemaVersion":1,"name":"x",
        "boards":[{"id":"a","slot":"3"}]})",
                               &error, QStringLiteral("lab.hivelab")));
    QCOMPARE(error.toString(), QStringLiteral("lab.hivelab: at $.boards[0].slot: expected an "
                                              "integer, got a string (\"3\")"));
    // Minimal file: only the required keys.
    const std::optional<Lab> minimal =
        LabFile::fromJson(R"({"format":"hivelab-lab","schemaVersion":1,"name":"tiny"})", &error);
    QVERIFY2(minimal, qPrintable(error.toString()));
    QCOMPARE(minimal->name, QStringLiteral("tiny"));
    QVERIFY(minimal->boards.isEmpty());
}

void TestLabFile::hugeStringsAreElided_data()
{
    QTest::addColumn<QByteArray>("board");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("phrase");
    const QByteArray huge(10 * 1024 * 1024, 'k');
    QTest::newRow("10 MB unknown key")
        << QByteArray("\"" + huge + "\": 1") << QStringLiteral("$.boards[0].") + QString(40, 'k')
        << QStringLiteral("unknown key \"") + QString(40, 'k') + QChar(0x2026) +
               QStringLiteral("(10485760 characters)\"");
    QTest::newRow("10 MB unknown key near a known one")
        << QByteArray("\"notes" + huge + "\": 1") << QStringLiteral("$.boards[0].notes")
        << QStringLiteral("unknown key \"notes");
    QTest::newRow("1 MB dangling rack")
        << QByteArray("\"rackId\": \"" + huge.left(1 << 20) + "\"")
        << QStringLiteral("$.boards[0].rackId") << QStringLiteral("no rack with ID \"kkk");
    QTest::newRow("1 MB role") << QByteArray("\"role\": \"" + huge.left(1 << 20) + "\"")
                               << QStringLiteral("$.boards[0].role")
                               << QStringLiteral("(1048576 characters)");
    QTest::newRow("1 MB label key") << QByteArray("\"labels\": {\"" + huge.left(1 << 20) + "\": 1}")
                                    << QStringLiteral("$.boards[0].labels.") + QString(40, 'k') +
                                           QChar(0x2026) + QStringLiteral("(1048576 characters)")
                                    << QStringLiteral("expected a string, got an integer (1)");
}

void TestLabFile::hugeStringsAreElided()
{
    QFETCH(QByteArray, board);
    QFETCH(QString, path);
    QFETCH(QString, phrase);
    const QByteArray data =
        R"({"format":"hivelab-lab","schemaVersion":1,"name":"x","boards":[{"id":"b1",)" + board +
        "}]}";
    QElapsedTimer timer;
    timer.start();
    LabFileError error;
    QVERIFY(!LabFile::fromJson(data, &error));
    // Was 9–17 s for the 10 MB key (an edit-distance table per known key); now ~0.1 s.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(error.jsonPath.left(path.size()), path);
    QVERIFY2(error.message.contains(phrase), qPrintable(error.message.left(300)));
    QVERIFY2(error.toString().size() < 400, qPrintable(error.toString().left(300)));
}

void TestLabFile::missingFileAndFolder()
{
    QTemporaryDir dir;
    LabFileError error;
    QVERIFY(!LabFile::load(dir.filePath(QStringLiteral("nope.hivelab")), &error));
    QVERIFY2(error.message.contains(QStringLiteral("does not exist")), qPrintable(error.message));
    QVERIFY(!LabFile::load(dir.path(), &error));
    QVERIFY2(error.message.contains(QStringLiteral("folder")), qPrintable(error.message));
    const QString fifo = dir.filePath(QStringLiteral("pipe.hivelab"));
    QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QVERIFY(!LabFile::load(fifo, &error));
    QVERIFY2(error.message.contains(QStringLiteral("not a regular file")),
             qPrintable(error.message));
}

void TestLabFile::hugeFileRefusedBeforeReading()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.hivelab"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write(LabFile::toJson(demoLab())));
        // Sparse: the size is what counts, the test stays fast and small on disk.
        QVERIFY(f.resize(LabFile::MaxFileBytes + 1));
    }
    LabFileError error;
    QVERIFY(!LabFile::load(path, &error));
    QCOMPARE(error.jsonPath, QString());
    QVERIFY2(error.message.contains(
                 QStringLiteral("larger than the %1 bytes").arg(LabFile::MaxFileBytes)),
             qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("refusing to read")), qPrintable(error.message));
}

void TestLabFile::hugeDataRefused()
{
    LabFileError error;
    const QByteArray big(LabFile::MaxFileBytes + 1, ' ');
    QVERIFY(!LabFile::fromJson(big, &error));
    QVERIFY2(error.message.contains(QStringLiteral("larger than")), qPrintable(error.message));
}

void TestLabFile::migrationFromFakeOlderVersion()
{
    QVERIFY(LabFile::migrations().isEmpty());
    // Pretend schema 0 called the lab name "title" and had no swarm section.
    LabFile::MigrationTable fake;
    int calls = 0;
    fake.insert(0, [&calls](QJsonObject &root, QString *) {
        ++calls;
        root.insert(QStringLiteral("name"), root.take(QStringLiteral("title")));
        return true;
    });
    const QByteArray old = R"({"format":"hivelab-lab","schemaVersion":0,"title":"Old lab",
        "racks":[{"id":"r","name":"R","slotCount":2}]})";
    LabFileError error;
    const std::optional<Lab> lab = LabFile::fromJson(old, &error, QString(), fake);
    QVERIFY2(lab, qPrintable(error.toString()));
    QCOMPARE(calls, 1);
    QCOMPARE(lab->name, QStringLiteral("Old lab"));
    QCOMPARE(lab->racks.size(), 1);
    // Current files never run a step.
    QVERIFY(LabFile::fromJson(LabFile::toJson(*lab), &error, QString(), fake));
    QCOMPARE(calls, 1);
    // The built-in table has no step from 0.
    QVERIFY(!LabFile::fromJson(old, &error));
    QCOMPARE(error.jsonPath, QStringLiteral("$.schemaVersion"));
    QVERIFY(error.message.contains(QStringLiteral("no upgrade path")));
}

void TestLabFile::migrationStepFailure()
{
    LabFile::MigrationTable fake;
    fake.insert(0, [](QJsonObject &, QString *why) {
        *why = QStringLiteral("racks without IDs");
        return false;
    });
    LabFileError error;
    QVERIFY(!LabFile::fromJson(R"({"format":"hivelab-lab","schemaVersion":0})", &error, QString(),
                               fake));
    QCOMPARE(error.jsonPath, QStringLiteral("$.schemaVersion"));
    QVERIFY2(error.message.contains(QStringLiteral("from schema version 0: racks without IDs")),
             qPrintable(error.message));
}

void TestLabFile::saveAndLoadBack()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
    LabFileError error;
    QVERIFY2(LabFile::save(everyFieldLab(), path, &error), qPrintable(error.toString()));
    const std::optional<Lab> back = LabFile::load(path, &error);
    QVERIFY2(back, qPrintable(error.toString()));
    QVERIFY(*back == everyFieldLab());
    // Overwrite with another lab.
    QVERIFY2(LabFile::save(demoLab(), path, &error), qPrintable(error.toString()));
    QCOMPARE(readAll(path), LabFile::toJson(demoLab()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("lab.hivelab")});
}

void TestLabFile::saveIntoPathUnderAFile()
{
    QTemporaryDir dir;
    const QString blocker = dir.filePath(QStringLiteral("not-a-dir"));
    QVERIFY(writeAll(blocker, "plain file"));
    const QString path = blocker + QStringLiteral("/lab.hivelab");
    LabFileError error;
    QVERIFY(!LabFile::save(demoLab(), path, &error));
    QCOMPARE(error.file, path);
    QVERIFY2(error.message.contains(QStringLiteral("cannot write")), qPrintable(error.message));
    QCOMPARE(readAll(blocker), QByteArray("plain file"));
}

void TestLabFile::saveIntoReadOnlyFolderKeepsOldFile()
{
    if (geteuid() == 0)
        QSKIP("root ignores folder permissions; failedWriteKeepsOldFile covers this as root");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
    QVERIFY(writeAll(path, "old content"));
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner));
    LabFileError error;
    const bool saved = LabFile::save(demoLab(), path, &error);
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!saved);
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(readAll(path), QByteArray("old content"));
}

void TestLabFile::failedWriteKeepsOldFile()
{
    // A real mid-write failure even as root: cap the file size this process may write, so
    // the temporary file hits EFBIG after the old file has been left alone.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
    QVERIFY(writeAll(path, "old content"));
    struct rlimit old = {};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit capped = old;
    capped.rlim_cur = 100;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &capped), 0);
    LabFileError error;
    const bool saved = LabFile::save(demoLab(), path, &error);
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);
    QVERIFY(!saved);
    QVERIFY2(!error.message.isEmpty(), "a failed save must say why");
    QCOMPARE(readAll(path), QByteArray("old content"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("lab.hivelab")});
}

void TestLabFile::invalidLabIsNotSaved()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
    QVERIFY(writeAll(path, "old content"));
    Lab lab = demoLab();
    lab.boards[2].rackId = QStringLiteral("rack-99");
    LabFileError error;
    QVERIFY(!LabFile::save(lab, path, &error));
    QCOMPARE(error.jsonPath, QStringLiteral("$.boards[2].rackId"));
    QVERIFY2(error.message.contains(QStringLiteral("not saved")), qPrintable(error.message));
    QCOMPARE(readAll(path), QByteArray("old content"));
}

void TestLabFile::cliNewDemoLoadsBack()
{
    const QString bin = qEnvironmentVariable("HIVELAB_BIN");
    if (bin.isEmpty() || !QFile::exists(bin))
        QSKIP("HIVELAB_BIN not built; run through ctest after building hivelab");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("demo.hivelab"));
    QProcess p;
    p.start(bin, {QStringLiteral("new"), QStringLiteral("--demo"), path});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    LabFileError error;
    const std::optional<Lab> lab = LabFile::load(path, &error);
    QVERIFY2(lab, qPrintable(error.toString()));
    QVERIFY(*lab == demoLab());
    // Refuses to overwrite without --force, leaving the file as it was.
    QVERIFY(writeAll(path, "keep me"));
    p.start(bin, {QStringLiteral("new"), QStringLiteral("--demo"), path});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(readAll(path), QByteArray("keep me"));
}

QTEST_GUILESS_MAIN(TestLabFile)
#include "tst_labfile.moc"
