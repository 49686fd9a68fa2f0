// SPDX-License-Identifier: GPL-3.0-or-later
#include "../common/sanitizers.h"
#include "demolab.h"
#include "demolabmodel.h"
#include "labdocument.h"
#include "racktreemodel.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <ctime>

using namespace Hivelab;

class TestRackTreeModel : public QObject, protected HivelabTest::DemoLabModelTest<RackTreeModel>
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void demoStructure();
    void rolesAndDetails();
    void boardsInSlotOrder();
    void unplacedGroup();
    void addBoardInsertsOneRow();
    void moveBetweenRacksIsRemoveThenInsert();
    void renameIsDataChanged();
    void roleChangeUpdatesDetails();
    void removeRackResets();
    void mutationSequenceStaysConsistent();
    void fortyThousandRacksResetQuickly();

private:
    /// "Rack 1: psu-1 switch-1 pine64-1 …" per group, from the model alone.
    QStringList outline() const;
    /// The same outline computed from the document, to compare against.
    QStringList expectedOutline() const;
};

void TestRackTreeModel::init()
{
    createDemoLabModel();
}

void TestRackTreeModel::cleanup()
{
    destroyDemoLabModel();
}

QStringList TestRackTreeModel::outline() const
{
    QStringList out;
    for (int g = 0; g < m_model->rowCount(); ++g) {
        const QModelIndex group = m_model->index(g, 0);
        QStringList ids;
        for (int r = 0; r < m_model->rowCount(group); ++r)
            ids.append(m_model->index(r, 0, group).data(RackTreeModel::ObjectIdRole).toString());
        const QString name = group.data(RackTreeModel::UnplacedGroupRole).toBool()
                                 ? QStringLiteral("(unplaced)")
                                 : group.data(RackTreeModel::ObjectIdRole).toString();
        out.append(name + QStringLiteral(": ") + ids.join(QLatin1Char(' ')));
    }
    return out;
}

QStringList TestRackTreeModel::expectedOutline() const
{
    const Lab &lab = m_doc->lab();
    QStringList out;
    auto boardsIn = [&lab](const QString &rackId, bool unplaced) {
        QList<const Board *> list;
        for (const Board &b : lab.boards) {
            if (unplaced ? !lab.rack(b.rackId) : b.rackId == rackId)
                list.append(&b);
        }
        if (!unplaced)
            std::stable_sort(list.begin(), list.end(), [](const Board *a, const Board *b) {
                return unsigned(a->slot) < unsigned(b->slot); // -1 sorts last
            });
        QStringList ids;
        for (const Board *b : list)
            ids.append(b->id);
        return ids;
    };
    for (const Rack &rack : lab.racks) {
        QStringList ids;
        for (const PowerSupply &p : lab.powerSupplies)
            if (p.rackId == rack.id)
                ids.append(p.id);
        for (const NetworkSwitch &s : lab.switches)
            if (s.rackId == rack.id)
                ids.append(s.id);
        ids += boardsIn(rack.id, false);
        out.append(rack.id + QStringLiteral(": ") + ids.join(QLatin1Char(' ')));
    }
    QStringList ids;
    for (const PowerSupply &p : lab.powerSupplies)
        if (!lab.rack(p.rackId))
            ids.append(p.id);
    for (const NetworkSwitch &s : lab.switches)
        if (!lab.rack(s.rackId))
            ids.append(s.id);
    ids += boardsIn(QString(), true);
    out.append(QStringLiteral("(unplaced): ") + ids.join(QLatin1Char(' ')));
    return out;
}

void TestRackTreeModel::demoStructure()
{
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(m_model->columnCount(), 2);
    const QStringList o = outline();
    QCOMPARE(o.at(0), QStringLiteral("rack-1: psu-1 switch-1 pine64-1 pine64-2 up-1"));
    QCOMPARE(o.at(3), QStringLiteral("rack-4: psu-4 switch-4 pine64-7"));
    QCOMPARE(o.at(4), QStringLiteral("(unplaced): "));
    QCOMPARE(o, expectedOutline());
    QCOMPARE(m_model->index(4, 0).data().toString(), QStringLiteral("Unplaced"));
    QCOMPARE(m_model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Name"));
}

void TestRackTreeModel::rolesAndDetails()
{
    const QModelIndex rack = m_model->indexOf(ObjectKind::Rack, QStringLiteral("rack-1"));
    QCOMPARE(rack.data().toString(), QStringLiteral("Rack 1"));
    QCOMPARE(rack.data(RackTreeModel::ObjectKindRole).value<ObjectKind>(), ObjectKind::Rack);
    QCOMPARE(rack.siblingAtColumn(1).data().toString(), QStringLiteral("3 of 4 slots used"));
    const QModelIndex psu = m_model->indexOf(ObjectKind::PowerSupply, QStringLiteral("psu-1"));
    QCOMPARE(psu.parent(), rack);
    QCOMPARE(psu.data(RackTreeModel::ObjectKindRole).value<ObjectKind>(), ObjectKind::PowerSupply);
    QCOMPARE(psu.siblingAtColumn(1).data().toString(), QStringLiteral("80 W, circuit wall-A"));
    const QModelIndex sw = m_model->indexOf(ObjectKind::Switch, QStringLiteral("switch-1"));
    QCOMPARE(sw.data(RackTreeModel::ObjectKindRole).value<ObjectKind>(), ObjectKind::Switch);
    QCOMPARE(sw.siblingAtColumn(1).data().toString(), QStringLiteral("8 ports"));
    const QModelIndex board = m_model->indexOf(ObjectKind::Board, QStringLiteral("pine64-2"));
    QCOMPARE(board.data().toString(), QStringLiteral("pine64-2"));
    QCOMPARE(board.data(RackTreeModel::ObjectIdRole).toString(), QStringLiteral("pine64-2"));
    QCOMPARE(board.data(RackTreeModel::ObjectKindRole).value<ObjectKind>(), ObjectKind::Board);
    QCOMPARE(board.siblingAtColumn(1).data().toString(),
             QStringLiteral("Slot 2 · Manager · Pine A64-LTS"));
    const QModelIndex unplaced = m_model->unplacedIndex();
    QVERIFY(!unplaced.data(RackTreeModel::ObjectIdRole).isValid());
    QVERIFY(!unplaced.data(RackTreeModel::ObjectKindRole).isValid());
    QVERIFY(unplaced.data(RackTreeModel::UnplacedGroupRole).toBool());
    QVERIFY(!rack.data(RackTreeModel::UnplacedGroupRole).toBool());
    QVERIFY(!m_model->indexOf(ObjectKind::Board, QStringLiteral("nope")).isValid());
    QVERIFY(m_model->roleNames().value(RackTreeModel::ObjectKindRole) == "objectKind");
}

void TestRackTreeModel::boardsInSlotOrder()
{
    // Put up-1 (slot 2) into slot 3 and pine64-1 (slot 0) into slot 2: order becomes
    // pine64-2 (1), pine64-1 (2), up-1 (3).
    m_doc->moveBoard(QStringLiteral("up-1"), QStringLiteral("rack-1"), 3);
    m_doc->moveBoard(QStringLiteral("pine64-1"), QStringLiteral("rack-1"), 2);
    QCOMPARE(outline().at(0), QStringLiteral("rack-1: psu-1 switch-1 pine64-2 pine64-1 up-1"));
    QCOMPARE(outline(), expectedOutline());
}

void TestRackTreeModel::unplacedGroup()
{
    Board loose;
    loose.id = QStringLiteral("loose");
    loose.name = QStringLiteral("loose");
    m_doc->addBoard(loose);
    PowerSupply spare;
    spare.id = QStringLiteral("psu-spare");
    spare.name = QStringLiteral("Spare PSU");
    spare.ratingWatts = 60;
    m_doc->addPowerSupply(spare);
    QCOMPARE(outline().last(), QStringLiteral("(unplaced): psu-spare loose"));
    QCOMPARE(m_model->unplacedIndex().siblingAtColumn(1).data().toString(),
             QStringLiteral("2 objects"));
    QCOMPARE(outline(), expectedOutline());
}

void TestRackTreeModel::addBoardInsertsOneRow()
{
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    Board b;
    b.id = QStringLiteral("new");
    b.name = QStringLiteral("new");
    b.rackId = QStringLiteral("rack-4");
    b.slot = 2;
    m_doc->addBoard(b);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 1);
    const QModelIndex parent = inserted.at(0).at(0).toModelIndex();
    QCOMPARE(parent.data(RackTreeModel::ObjectIdRole).toString(), QStringLiteral("rack-4"));
    QCOMPARE(inserted.at(0).at(1).toInt(), 3); // after psu-4, switch-4, pine64-7 (slot 0)
    QCOMPARE(outline(), expectedOutline());
}

void TestRackTreeModel::moveBetweenRacksIsRemoveThenInsert()
{
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_doc->moveBoard(QStringLiteral("up-3"), QStringLiteral("rack-4"), 1);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.at(0).at(0).toModelIndex().data(RackTreeModel::ObjectIdRole).toString(),
             QStringLiteral("rack-3"));
    QCOMPARE(inserted.at(0).at(0).toModelIndex().data(RackTreeModel::ObjectIdRole).toString(),
             QStringLiteral("rack-4"));
    QCOMPARE(outline().at(3), QStringLiteral("rack-4: psu-4 switch-4 pine64-7 up-3"));
    QCOMPARE(outline(), expectedOutline());
}

void TestRackTreeModel::renameIsDataChanged()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    NetworkSwitch sw = *m_doc->lab().networkSwitch(QStringLiteral("switch-2"));
    sw.name = QStringLiteral("Core switch");
    m_doc->updateSwitch(sw);
    Rack rack = *m_doc->lab().rack(QStringLiteral("rack-2"));
    rack.name = QStringLiteral("Shelf 2");
    m_doc->updateRack(rack);
    QCOMPARE(reset.size(), 0);
    QVERIFY(changed.size() >= 2);
    QCOMPARE(m_model->indexOf(ObjectKind::Switch, QStringLiteral("switch-2")).data().toString(),
             QStringLiteral("Core switch"));
    QCOMPARE(m_model->indexOf(ObjectKind::Rack, QStringLiteral("rack-2")).data().toString(),
             QStringLiteral("Shelf 2"));
}

void TestRackTreeModel::roleChangeUpdatesDetails()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    m_doc->setRole(QStringLiteral("up-1"), Role::Manager);
    const QModelIndex board = m_model->indexOf(ObjectKind::Board, QStringLiteral("up-1"));
    bool sawBoard = false;
    for (const QList<QVariant> &args : changed)
        sawBoard |= args.at(0).toModelIndex() == board;
    QVERIFY(sawBoard);
    QVERIFY(board.siblingAtColumn(1).data().toString().contains(QStringLiteral("Manager")));
}

void TestRackTreeModel::removeRackResets()
{
    QVERIFY(m_doc->removeRack(QStringLiteral("rack-2")));
    QCOMPARE(m_model->rowCount(), 4);
    // Its boards and (now rackless) PSU and switch are listed as unplaced.
    QCOMPARE(outline().last(), QStringLiteral("(unplaced): psu-2 switch-2 pine64-3 pine64-4 up-2"));
    QCOMPARE(outline(), expectedOutline());
}

void TestRackTreeModel::mutationSequenceStaysConsistent()
{
    Rack extra;
    extra.id = QStringLiteral("rack-5");
    extra.name = QStringLiteral("Rack 5");
    extra.slotCount = 2;
    m_doc->addRack(extra, 0);
    QCOMPARE(outline(), expectedOutline());
    for (int i = 0; i < 6; ++i) {
        Board b;
        b.id = QStringLiteral("x-%1").arg(i);
        b.name = b.id;
        if (i % 2 == 0) {
            b.rackId = QStringLiteral("rack-5");
            b.slot = 1 - i / 2 % 2;
        }
        m_doc->addBoard(b);
        QCOMPARE(outline(), expectedOutline());
    }
    m_doc->moveBoard(QStringLiteral("x-1"), QStringLiteral("rack-1"), 3);
    QCOMPARE(outline(), expectedOutline());
    m_doc->moveBoard(QStringLiteral("pine64-1"), QStringLiteral("rack-5"), 0); // swaps
    QCOMPARE(outline(), expectedOutline());
    m_doc->setRole(QStringLiteral("x-3"), Role::Worker);
    QVERIFY(m_doc->removeBoard(QStringLiteral("x-0")));
    QVERIFY(m_doc->removeBoard(QStringLiteral("pine64-5")));
    QVERIFY(m_doc->removeSwitch(QStringLiteral("switch-3")));
    QVERIFY(m_doc->removePowerSupply(QStringLiteral("psu-3")));
    QCOMPARE(outline(), expectedOutline());
    QVERIFY(m_doc->removeRack(QStringLiteral("rack-1")));
    QCOMPARE(outline(), expectedOutline());
    m_doc->setLab(demoLab());
    QCOMPARE(outline(), expectedOutline());
    m_doc->setLab(Lab());
    QCOMPARE(outline(), QStringList{QStringLiteral("(unplaced): ")});
}

void TestRackTreeModel::fortyThousandRacksResetQuickly()
{
    // Grouping scanned every list once per rack (and every rack per unplaced check): a lab of
    // 40,000 one-board racks kept the window busy for many seconds; now ~0.1 s of CPU.
    m_tester.reset(); // its full-tree checks on reset are not what is measured here
    Lab lab;
    for (int r = 1; r <= 40000; ++r) {
        lab.racks.append({QStringLiteral("rack-%1").arg(r), QString(), 1});
        Board b;
        b.id = QStringLiteral("board-%1").arg(r);
        b.rackId = lab.racks.last().id;
        b.slot = 0;
        lab.boards.append(b);
    }
    const std::clock_t start = std::clock();
    m_doc->setLab(lab);
    const double cpuMs = 1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC;
    if (!HIVELAB_UNDER_ASAN) // time/memory bounds: tests/common/sanitizers.h
        QVERIFY2(cpuMs < 5000, qPrintable(QString::number(cpuMs)));
    QCOMPARE(m_model->rowCount(), 40001); // and the (empty) unplaced group
    QCOMPARE(m_model->rowCount(m_model->index(39999, 0)), 1);
}

QTEST_GUILESS_MAIN(TestRackTreeModel)
#include "tst_racktreemodel.moc"
