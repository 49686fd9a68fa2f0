// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "discoveredhost.h"
#include "hostfacts.h"
#include "labmerge.h"
#include "modelidentification.h"

#include <QJsonObject>
#include <QTest>

using namespace Hivelab;

using Source = ModelIdentification::Source;
using Conflict = ModelIdentification::Conflict;

Q_DECLARE_METATYPE(ModelIdentification::Source)
Q_DECLARE_METATYPE(ModelIdentification::Conflict)

namespace {

// A Raspberry Pi 4 MAC block (the catalog's only model for it) and a random one.
const QString PiMac = QStringLiteral("dc:a6:32:00:00:01");
const QString RandomMac = QStringLiteral("02:11:22:33:44:55");

HostFacts facts(const char *machine, const char *deviceTree, const char *dmiProduct = "")
{
    HostFacts f;
    f.machine = QLatin1String(machine);
    f.deviceTreeModel = QLatin1String(deviceTree);
    f.dmiProduct = QLatin1String(dmiProduct);
    return f;
}

} // namespace

class TestModelIdentification : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void identify_data()
    {
        QTest::addColumn<QString>("mac");
        QTest::addColumn<bool>("loggedIn");
        QTest::addColumn<QString>("machine");
        QTest::addColumn<QString>("deviceTree");
        QTest::addColumn<QString>("dmiProduct");
        QTest::addColumn<QString>("model");
        QTest::addColumn<Source>("source");
        QTest::addColumn<QString>("rejected");
        QTest::addColumn<Conflict>("conflict");

        // Before a login the MAC block is all there is: a guess, kept.
        QTest::newRow("mac only") << PiMac << false << ""
                                  << ""
                                  << ""
                                  << "rpi-4b" << Source::MacBlock << "" << Conflict::None;
        // The README's live screenshot: a Pi MAC on a board that runs amd64 is no Pi.
        QTest::newRow("pi mac, amd64") << PiMac << true << "x86_64"
                                       << ""
                                       << "Standard PC (Q35 + ICH9, 2009)"
                                       << "" << Source::None << "rpi-4b" << Conflict::Architecture;
        // Same processor family, but the device tree names another board: that board it is.
        QTest::newRow("pi mac, pine device tree")
            << PiMac << true << "aarch64"
            << "Pine64 PINE A64-LTS"
            << ""
            << "pine64-a64-lts" << Source::Measured << "rpi-4b" << Conflict::HardwareName;
        // An arm board whose device tree the catalog does not know is still not a Pi 4.
        QTest::newRow("pi mac, unknown arm board")
            << PiMac << true << "aarch64"
            << "Some Vendor Board"
            << ""
            << "" << Source::None << "rpi-4b" << Conflict::HardwareName;
        // Measurements that agree with the guess: measured, nothing rejected.
        QTest::newRow("pi mac, pi device tree")
            << PiMac << true << "aarch64"
            << "Raspberry Pi 4 Model B Rev 1.4"
            << ""
            << "rpi-4b" << Source::Measured << "" << Conflict::None;
        // A 32-bit system on the 64-bit Pi contradicts nothing.
        QTest::newRow("pi mac, armhf, no device tree")
            << PiMac << true << "armv7l"
            << ""
            << ""
            << "rpi-4b" << Source::MacBlock << "" << Conflict::None;
        QTest::newRow("random mac, up board")
            << RandomMac << true << "x86_64"
            << ""
            << "UP-CHT01"
            << "up-board" << Source::Measured << "" << Conflict::None;
        QTest::newRow("nothing") << QString() << false << ""
                                 << ""
                                 << ""
                                 << "" << Source::None << "" << Conflict::None;
    }

    void identify()
    {
        QFETCH(QString, mac);
        QFETCH(bool, loggedIn);
        QFETCH(QString, machine);
        QFETCH(QString, deviceTree);
        QFETCH(QString, dmiProduct);
        QFETCH(QString, model);
        QFETCH(Source, source);
        QFETCH(QString, rejected);
        QFETCH(Conflict, conflict);
        HostFacts f;
        f.machine = machine;
        f.deviceTreeModel = deviceTree;
        f.dmiProduct = dmiProduct;
        const ModelIdentification id =
            ModelIdentification::identify(mac, loggedIn ? &f : nullptr, BoardCatalog::builtin());
        QCOMPARE(id.modelId, model);
        QCOMPARE(id.source, source);
        QCOMPARE(id.rejectedModelId, rejected);
        QCOMPARE(id.conflict, conflict);

        // The CLI's JSON says the same: a rejected guess is never the model.
        DiscoveredHost h;
        h.ip = QStringLiteral("10.0.0.2");
        h.mac = mac;
        if (loggedIn)
            h.facts = f;
        const QJsonObject json = h.toJson();
        QCOMPARE(json.value(QStringLiteral("model")).toString(), model);
        QCOMPARE(json.value(QStringLiteral("rejectedModel"))
                     .toObject()
                     .value(QStringLiteral("model"))
                     .toString(),
                 rejected);
    }

    void conflictWithAPlannedModel()
    {
        const BoardCatalog &cat = BoardCatalog::builtin();
        QCOMPARE(
            ModelIdentification::conflictWith(QStringLiteral("rpi-4b"), facts("x86_64", ""), cat),
            Conflict::Architecture);
        QCOMPARE(ModelIdentification::conflictWith(QStringLiteral("generic-x86-64"),
                                                   facts("x86_64", "", "OptiPlex 3060"), cat),
                 Conflict::None);
        QCOMPARE(ModelIdentification::conflictWith(QStringLiteral("up-board"),
                                                   facts("x86_64", "", "UP-APL01"), cat),
                 Conflict::HardwareName);
        // Nothing measured, or a model the catalog does not know: nothing to contradict.
        QCOMPARE(ModelIdentification::conflictWith(QStringLiteral("rpi-4b"), HostFacts(), cat),
                 Conflict::None);
        QCOMPARE(ModelIdentification::conflictWith(QStringLiteral("my-own-board"),
                                                   facts("x86_64", ""), cat),
                 Conflict::None);
    }

    void mergeReplacesAContradictedModel()
    {
        // Discovery without a login recorded the MAC's guess; the login's facts overrule it,
        // in the wizard (Connect), Lab ▸ Identify Boards and `discover --login` alike.
        DiscoveredHost found;
        found.ip = QStringLiteral("10.0.0.2");
        found.mac = PiMac;
        const LabMerge::Result first = LabMerge::merge(Lab(), {found}, {found.ip});
        QCOMPARE(first.lab.boards.size(), 1);
        Board b = first.lab.boards.first();
        QCOMPARE(b.model, QStringLiteral("rpi-4b"));

        DiscoveredHost measured = found;
        measured.facts = facts("x86_64", "");
        const QStringList changed = LabMerge::fillIn(first.lab, &b, measured);
        QVERIFY2(changed.contains(QLatin1String("model")), qPrintable(changed.join(',')));
        QVERIFY(b.model.isEmpty());
        QCOMPARE(b.arch, QStringLiteral("amd64"));

        // A measured model that agrees changes nothing.
        Board pi = first.lab.boards.first();
        pi.arch = QStringLiteral("arm64");
        DiscoveredHost real = found;
        real.facts = facts("aarch64", "Raspberry Pi 4 Model B Rev 1.4");
        QVERIFY(!LabMerge::fillIn(first.lab, &pi, real).contains(QLatin1String("model")));
        QCOMPARE(pi.model, QStringLiteral("rpi-4b"));
        QCOMPARE(pi.arch, QStringLiteral("arm64"));
    }
};

QTEST_GUILESS_MAIN(TestModelIdentification)
#include "tst_modelidentification.moc"
