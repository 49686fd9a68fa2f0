// SPDX-License-Identifier: GPL-3.0-or-later
#include "addressrules.h"
#include "boardcatalog.h"
#include "demolab.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

using namespace Hivelab;

namespace {
QByteArray builtinJson()
{
    QFile f(QString::fromLatin1(BoardCatalog::ResourcePath));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The shipped catalog with one edit applied to the first board model.
QByteArray withFirstModel(const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject root = QJsonDocument::fromJson(builtinJson()).object();
    QJsonArray boards = root.value(QStringLiteral("boards")).toArray();
    QJsonObject first = boards.at(0).toObject();
    edit(first);
    boards.replace(0, first);
    root.insert(QStringLiteral("boards"), boards);
    return QJsonDocument(root).toJson();
}
QByteArray withFirstDownload(const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject root = QJsonDocument::fromJson(builtinJson()).object();
    QJsonArray downloads = root.value(QStringLiteral("downloads")).toArray();
    QJsonObject first = downloads.at(0).toObject();
    edit(first);
    downloads.replace(0, first);
    root.insert(QStringLiteral("downloads"), downloads);
    return QJsonDocument(root).toJson();
}
} // namespace

class TestBoardCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtinLoads();
    void requiredModelsPresent();
    void demoLabModelsExist();
    void everyModelIsComplete();
    void lookupByMac_data();
    void lookupByMac();
    void ambiguousOuiListsAllCandidates();
    void lookupByHardwareName_data();
    void lookupByHardwareName();
    void addressRules();
    void downloads();
    void malformedCatalog_data();
    void malformedCatalog();
};

void TestBoardCatalog::builtinLoads()
{
    const QByteArray json = builtinJson();
    QVERIFY2(!json.isEmpty(), "resource :/hivelab/boards.json is not compiled in");
    QString error;
    const std::optional<BoardCatalog> c = BoardCatalog::fromJson(json, &error);
    QVERIFY2(c, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(BoardCatalog::builtin().models().size(), c->models().size());
    QVERIFY(BoardCatalog::builtin().models().size() >= 15);
}

void TestBoardCatalog::requiredModelsPresent()
{
    const BoardCatalog &c = BoardCatalog::builtin();
    for (const char *id : {"pine64-a64-lts", "pine64-a64", "rpi-3b-plus", "rpi-4b", "rpi-5",
                           "up-board", "up-squared", "odroid-c4", "odroid-n2plus", "odroid-hc4",
                           "rock64", "rockpro64", "orangepi-5", "orangepi-zero2", "generic-x86-64"})
        QVERIFY2(c.model(QString::fromLatin1(id)), id);
    QCOMPARE(c.model(QStringLiteral("no-such-board")), nullptr);
    const BoardModelInfo *up = c.model(QStringLiteral("up-board"));
    QCOMPARE(up->arch, QStringLiteral("amd64"));
    QCOMPARE(up->vendor, QStringLiteral("AAEON"));
    QCOMPARE(up->peakWatts(), 15.0);
    const BoardModelInfo *pine = c.model(QStringLiteral("pine64-a64-lts"));
    QVERIFY(pine->ouiPrefixes.isEmpty());
    QVERIFY2(pine->notes.contains(QStringLiteral("locally administered")), qPrintable(pine->notes));
    QCOMPARE(pine->images.first().defaultPassword, QStringLiteral("dietpi"));
    QCOMPARE(pine->images.first().sshServer, QStringLiteral("dropbear"));
}

void TestBoardCatalog::demoLabModelsExist()
{
    const Lab lab = demoLab();
    for (const Board &b : lab.boards) {
        const BoardModelInfo *m = BoardCatalog::builtin().model(b.model);
        QVERIFY2(m, qPrintable(b.model));
        QCOMPARE(m->arch, b.arch);
    }
}

void TestBoardCatalog::everyModelIsComplete()
{
    for (const BoardModelInfo &m : BoardCatalog::builtin().models()) {
        QVERIFY2(!m.vendor.isEmpty() && !m.name.isEmpty(), qPrintable(m.id));
        QVERIFY2(m.typicalAmps > 0 && m.peakAmps >= m.typicalAmps, qPrintable(m.id));
        // Single-board computers draw between 1 and 60 W at peak; catches unit slips (mA).
        QVERIFY2(m.peakWatts() >= 1 && m.peakWatts() <= 60, qPrintable(m.id));
        QVERIFY2(!m.bootMedia.isEmpty(), qPrintable(m.id));
        QVERIFY2(!m.images.isEmpty(), qPrintable(m.id));
        for (const OsImage &img : m.images) {
            QVERIFY2(img.url.startsWith(QLatin1String("http")), qPrintable(m.id + img.name));
            // No default user means the notes must say how the user is made.
            QVERIFY2(!img.defaultUser.isEmpty() || !img.notes.isEmpty(),
                     qPrintable(m.id + img.name));
        }
        // A model without an OUI must say why (made-up MAC) so nobody "fixes" it blindly.
        if (m.ouiPrefixes.isEmpty() && m.id != QLatin1String("generic-x86-64"))
            QVERIFY2(m.notes.contains(QLatin1String("MAC")), qPrintable(m.id));
    }
}

void TestBoardCatalog::lookupByMac_data()
{
    QTest::addColumn<QString>("mac");
    QTest::addColumn<QString>("model");
    QTest::newRow("colons upper") << "B8:27:EB:12:34:56"
                                  << "rpi-3b-plus";
    QTest::newRow("dashes lower") << "b8-27-eb-12-34-56"
                                  << "rpi-3b-plus";
    QTest::newRow("no separators") << "b827eb123456"
                                   << "rpi-3b-plus";
    QTest::newRow("cisco dots") << "dca6.3211.2233"
                                << "rpi-4b";
    QTest::newRow("pi 4 e4") << "e4:5f:01:aa:bb:cc"
                             << "rpi-4b";
    QTest::newRow("pi 5 only block") << "2C:CF:67:00:00:01"
                                     << "rpi-5";
    QTest::newRow("shared pi 4/5 block") << "D8:3A:DD:00:00:01"
                                         << "";
    QTest::newRow("up boards share 00:07:32") << "00:07:32:01:02:03"
                                              << "";
    QTest::newRow("locally administered") << "02:ba:11:22:33:44"
                                          << "";
    QTest::newRow("not a mac") << "b8:27:eb"
                               << "";
    QTest::newRow("garbage") << "zz:27:eb:12:34:56"
                             << "";
}

void TestBoardCatalog::lookupByMac()
{
    QFETCH(QString, mac);
    QFETCH(QString, model);
    const BoardModelInfo *m = BoardCatalog::builtin().modelForMac(mac);
    QCOMPARE(m ? m->id : QString(), model);
}

void TestBoardCatalog::ambiguousOuiListsAllCandidates()
{
    const BoardCatalog &c = BoardCatalog::builtin();
    QStringList ids;
    for (const BoardModelInfo *m : c.modelsForMac(QStringLiteral("00-07-32-aa-bb-cc")))
        ids.append(m->id);
    QCOMPARE(ids, (QStringList{QStringLiteral("up-board"), QStringLiteral("up-squared")}));
    ids.clear();
    for (const BoardModelInfo *m : c.modelsForMac(QStringLiteral("001e06aabbcc")))
        ids.append(m->id);
    QCOMPARE(ids.size(), 3);
    QVERIFY(ids.contains(QStringLiteral("odroid-c4")));
    QVERIFY(c.modelsForMac(QStringLiteral("02:ba:00:00:00:01")).isEmpty());
}

void TestBoardCatalog::lookupByHardwareName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("model");
    // Strings as the kernel reports them in /proc/device-tree/model or DMI.
    QTest::newRow("pine64 lts") << "Pine64 LTS"
                                << "pine64-a64-lts";
    QTest::newRow("pine64+") << "Pine64+"
                             << "pine64-a64";
    QTest::newRow("pi 3b+") << "Raspberry Pi 3 Model B Plus Rev 1.3"
                            << "rpi-3b-plus";
    QTest::newRow("pi 4") << "Raspberry Pi 4 Model B Rev 1.4"
                          << "rpi-4b";
    QTest::newRow("pi 5") << "Raspberry Pi 5 Model B Rev 1.0"
                          << "rpi-5";
    QTest::newRow("rock64 beats pine64") << "Pine64 Rock64"
                                         << "rock64";
    QTest::newRow("rockpro64") << "Pine64 RockPro64 v2.1"
                               << "rockpro64";
    QTest::newRow("odroid n2+") << "Hardkernel ODROID-N2Plus"
                                << "odroid-n2plus";
    QTest::newRow("odroid c4 any case") << "hardkernel odroid-c4"
                                        << "odroid-c4";
    QTest::newRow("orange pi 5") << "Xunlong Orange Pi 5"
                                 << "orangepi-5";
    QTest::newRow("orange pi zero2") << "OrangePi Zero2"
                                     << "orangepi-zero2";
    QTest::newRow("up dmi") << "UP-CHT01"
                            << "up-board";
    QTest::newRow("up squared dmi") << "UP-APL01"
                                    << "up-squared";
    QTest::newRow("unknown") << "BeagleBone Black"
                             << "";
    QTest::newRow("empty") << ""
                           << "";
}

void TestBoardCatalog::lookupByHardwareName()
{
    QFETCH(QString, name);
    QFETCH(QString, model);
    const BoardModelInfo *m = BoardCatalog::builtin().modelForHardwareName(name);
    QCOMPARE(m ? m->id : QString(), model);
}

void TestBoardCatalog::addressRules()
{
    QCOMPARE(AddressRules::normalizeMac(QStringLiteral("b8-27-eb-0a-0b-0c")),
             QStringLiteral("B8:27:EB:0A:0B:0C"));
    QCOMPARE(AddressRules::normalizeMac(QStringLiteral("b8:27:eb:0a:0b")), QString());
    QVERIFY(AddressRules::isLocallyAdministered(QStringLiteral("02:ba:00:00:00:01")));
    QVERIFY(!AddressRules::isLocallyAdministered(QStringLiteral("B8:27:EB:00:00:01")));
    QVERIFY(AddressRules::isValidIpAddress(QStringLiteral("10.77.0.1")));
    QVERIFY(AddressRules::isValidIpAddress(QStringLiteral("fe80::1")));
    QVERIFY(!AddressRules::isValidIpAddress(QStringLiteral("10.77.0")));
    QVERIFY(!AddressRules::isValidIpAddress(QStringLiteral("10.77.0.1 ")));
    QVERIFY(!AddressRules::isValidIpAddress(QStringLiteral("256.1.1.1")));
    QVERIFY(AddressRules::isValidHostname(QStringLiteral("pine64-1")));
    QVERIFY(AddressRules::isValidHostname(QStringLiteral("a.b-c.d")));
    QVERIFY(!AddressRules::isValidHostname(QStringLiteral("-lead")));
    QVERIFY(!AddressRules::isValidHostname(QStringLiteral("trail-")));
    QVERIFY(!AddressRules::isValidHostname(QStringLiteral("under_score")));
    QVERIFY(!AddressRules::isValidHostname(QStringLiteral("double..dot")));
    QVERIFY(!AddressRules::isValidHostname(QString(64, QLatin1Char('a'))));
    QVERIFY(AddressRules::isValidCidr(QStringLiteral("10.77.0.0/24")));
    QVERIFY(!AddressRules::isValidCidr(QStringLiteral("10.77.0.0/33")));
    QVERIFY(!AddressRules::isValidCidr(QStringLiteral("10.77.0.0")));
}

void TestBoardCatalog::downloads()
{
    const BoardCatalog &c = BoardCatalog::builtin();
    QVERIFY(c.downloads().size() >= 4);
    int unverified = 0;
    for (const ImageDownloadInfo &d : c.downloads()) {
        QVERIFY2(d.url.startsWith(QLatin1String("https://")), qPrintable(d.id));
        for (const QString &b : d.boards)
            QVERIFY2(c.model(b) && c.model(b)->arch == d.arch,
                     qPrintable(d.id + QLatin1Char(' ') + b));
        unverified += d.isVerifiable() ? 0 : 1;
    }
    QVERIFY(unverified > 0 && unverified < c.downloads().size());
    const ImageDownloadInfo *pi = c.download(QStringLiteral("raspios-lite-arm64"));
    QVERIFY(pi && pi->isVerifiable());
    QVERIFY(c.downloadsForModel(QStringLiteral("rpi-4b")).contains(pi));
    QVERIFY(!c.downloadsForModel(QStringLiteral("pine64-a64")).contains(pi));
    QVERIFY(!c.download(QStringLiteral("nope")));
    // Raspberry Pi OS 12 predates its cloud-init: its cards get ssh, userconf.txt, firstrun.sh.
    QCOMPARE(pi->firstBoot, QStringLiteral("raspios-userconf"));
    QCOMPARE(c.download(QStringLiteral("ubuntu-server-24.04-raspi"))->firstBoot,
             QStringLiteral("cloud-init"));
    QCOMPARE(c.download(QStringLiteral("dietpi-pine64"))->firstBoot, QStringLiteral("dietpi"));
    // A catalog without downloads (older files) still loads.
    QJsonObject root = QJsonDocument::fromJson(builtinJson()).object();
    root.remove(QStringLiteral("downloads"));
    QString error;
    const std::optional<BoardCatalog> old =
        BoardCatalog::fromJson(QJsonDocument(root).toJson(), &error);
    QVERIFY2(old, qPrintable(error));
    QVERIFY(old->downloads().isEmpty());
}

void TestBoardCatalog::malformedCatalog_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "empty";
    QTest::newRow("truncated") << builtinJson().left(500) << "truncated";
    QTest::newRow("wrong format")
        << QByteArray(R"({"format":"hivelab-lab","schemaVersion":1,"boards":[]})")
        << "at $.format: not a Hivelab board catalog";
    QTest::newRow("newer")
        << QByteArray(R"({"format":"hivelab-board-catalog","schemaVersion":2,"boards":[]})")
        << "at $.schemaVersion: this board catalog was made by a newer Hivelab";
    QTest::newRow("missing key") << withFirstModel([](QJsonObject &o) {
        o.remove(QStringLiteral("arch"));
    }) << "at $.boards[0].arch: missing required key";
    QTest::newRow("typo key") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("peakAmp"), o.take(QStringLiteral("peakAmps")));
    }) << "at $.boards[0].peakAmp: unknown key \"peakAmp\" (did you mean \"peakAmps\"?)";
    QTest::newRow("bad arch") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("arch"), QStringLiteral("aarch64"));
    }) << "at $.boards[0].arch: expected one of";
    QTest::newRow("amps as string") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("typicalAmps"), QStringLiteral("0.6"));
    }) << "at $.boards[0].typicalAmps: expected a number, got a string";
    QTest::newRow("peak below typical")
        << withFirstModel([](QJsonObject &o) { o.insert(QStringLiteral("peakAmps"), 0.1); })
        << "at $.boards[0].peakAmps: peak current 0.1 A is below";
    QTest::newRow("lower-case oui") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("ouiPrefixes"), QJsonArray{QStringLiteral("b8:27:eb")});
    }) << "at $.boards[0].ouiPrefixes[0]: expected an upper-case OUI";
    QTest::newRow("boot media typo") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("bootMedia"), QJsonArray{QStringLiteral("SD card")});
    }) << "at $.boards[0].bootMedia[0]: expected one of";
    QTest::newRow("no images") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("images"), QJsonArray());
    }) << "at $.boards[0].images: list at least one";
    QTest::newRow("bad ssh server") << withFirstModel([](QJsonObject &o) {
        QJsonArray images = o.value(QStringLiteral("images")).toArray();
        QJsonObject img = images.at(1).toObject();
        img.insert(QStringLiteral("sshServer"), QStringLiteral("telnet"));
        images.replace(1, img);
        o.insert(QStringLiteral("images"), images);
    }) << "at $.boards[0].images[1].sshServer: expected one of \"openssh\", \"dropbear\"";
    QTest::newRow("duplicate id") << withFirstModel([](QJsonObject &o) {
        o.insert(QStringLiteral("id"), QStringLiteral("rpi-4b"));
    }) << "duplicate board model ID \"rpi-4b\"";
    QTest::newRow("download http") << withFirstDownload([](QJsonObject &o) {
        o.insert(QStringLiteral("url"), QStringLiteral("http://example.invalid/a.img"));
    }) << "at $.downloads[0].url: expected an https:// address of a file";
    QTest::newRow("download no file") << withFirstDownload([](QJsonObject &o) {
        o.insert(QStringLiteral("sha256Url"), QStringLiteral("https://example.invalid/"));
    }) << "at $.downloads[0].sha256Url: expected an https:// address of a file";
    QTest::newRow("download sha upper case") << withFirstDownload([](QJsonObject &o) {
        o.insert(QStringLiteral("sha256"), QString(64, QLatin1Char('A')));
    }) << "at $.downloads[0].sha256: expected 64 lower-case hex digits";
    QTest::newRow("download first boot typo") << withFirstDownload([](QJsonObject &o) {
        o.insert(QStringLiteral("firstBoot"), QStringLiteral("cloudinit"));
    }) << "at $.downloads[0].firstBoot: expected one of cloud-init, dietpi, raspios-userconf";
    QTest::newRow("download unknown board") << withFirstDownload([](QJsonObject &o) {
        o.insert(QStringLiteral("boards"), QJsonArray{QStringLiteral("rpi-9")});
    }) << "at $.downloads[0].boards[0]: no board model \"rpi-9\"";
    QTest::newRow("download size zero")
        << withFirstDownload([](QJsonObject &o) { o.insert(QStringLiteral("size"), 0); })
        << "at $.downloads[0].size:";
    QTest::newRow("download typo") << withFirstDownload([](QJsonObject &o) {
        o.insert(QStringLiteral("sha256url"), QStringLiteral("x"));
    }) << "at $.downloads[0].sha256url: unknown key";
    QTest::newRow("download duplicate") << [] {
        QJsonObject root = QJsonDocument::fromJson(builtinJson()).object();
        QJsonArray downloads = root.value(QStringLiteral("downloads")).toArray();
        downloads.append(downloads.at(0));
        root.insert(QStringLiteral("downloads"), downloads);
        return QJsonDocument(root).toJson();
    }() << "duplicate image ID \"raspios-lite-arm64\"";
}

void TestBoardCatalog::malformedCatalog()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!BoardCatalog::fromJson(json, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestBoardCatalog)
#include "tst_boardcatalog.moc"
