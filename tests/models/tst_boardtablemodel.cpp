// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardtablemodel.h"
#include "demolab.h"
#include "demolabmodel.h"
#include "labdocument.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Hivelab;

class TestBoardTableModel : public QObject, protected HivelabTest::DemoLabModelTest<BoardTableModel>
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void shapeAndHeaders();
    void displayValues();
    void boardIdForEveryIndex();
    void addInsertsOneRow();
    void removeRemovesOneRow();
    void updateChangesOneRow();
    void moveSwapChangesBothRows();
    void nodeStateChangesStateCell();
    void rackRenameAndRemoval();
    void resetFollowsDocument();
    void editName();
    void editHostname();
    void editIp();
    void editRole();
    void readOnlyColumns();
    void toolTips();
    void sortRoleOrdersNaturally();
    void mutationSequenceStaysConsistent();

private:
    void verifyRowsMatchDocument();
};

void TestBoardTableModel::init()
{
    createDemoLabModel();
}

void TestBoardTableModel::cleanup()
{
    destroyDemoLabModel();
}

void TestBoardTableModel::verifyRowsMatchDocument()
{
    const Lab &lab = m_doc->lab();
    QCOMPARE(m_model->rowCount(), lab.boards.size());
    for (int r = 0; r < lab.boards.size(); ++r) {
        QCOMPARE(m_model->index(r, 0).data(BoardTableModel::BoardIdRole).toString(),
                 lab.boards.at(r).id);
        QCOMPARE(m_model->index(r, BoardTableModel::NameColumn).data().toString(),
                 lab.boards.at(r).name);
    }
}

void TestBoardTableModel::shapeAndHeaders()
{
    QCOMPARE(m_model->rowCount(), 10);
    QCOMPARE(m_model->columnCount(), 11);
    QStringList headers;
    for (int c = 0; c < m_model->columnCount(); ++c)
        headers.append(m_model->headerData(c, Qt::Horizontal).toString());
    QCOMPARE(headers, (QStringList{"Name", "Hostname", "Model", "Arch", "OS", "IP", "Role", "State",
                                   "Rack / Slot", "PSU", "Switch port"}));
    QCOMPARE(m_model->rowCount(m_model->index(0, 0)), 0);
    QVERIFY(m_model->roleNames().value(BoardTableModel::BoardIdRole) == "boardId");
}

void TestBoardTableModel::displayValues()
{
    // Row 1 is pine64-2, the rack 1 manager in slot index 1.
    auto cell = [this](int row, int col) { return m_model->index(row, col).data().toString(); };
    QCOMPARE(cell(1, BoardTableModel::NameColumn), QStringLiteral("pine64-2"));
    QCOMPARE(cell(1, BoardTableModel::HostnameColumn), QStringLiteral("pine64-2"));
    QCOMPARE(cell(1, BoardTableModel::ModelColumn), QStringLiteral("Pine A64-LTS"));
    QCOMPARE(cell(1, BoardTableModel::ArchColumn), QStringLiteral("arm64"));
    QCOMPARE(cell(1, BoardTableModel::OsColumn), QStringLiteral("DietPi (Debian bookworm)"));
    QCOMPARE(cell(1, BoardTableModel::IpColumn), QStringLiteral("10.77.0.12"));
    QCOMPARE(cell(1, BoardTableModel::RoleColumn), QStringLiteral("Manager"));
    QCOMPARE(cell(1, BoardTableModel::StateColumn), QStringLiteral("Unknown"));
    QCOMPARE(cell(1, BoardTableModel::RackSlotColumn), QStringLiteral("Rack 1 / 2"));
    QCOMPARE(cell(1, BoardTableModel::PsuColumn), QStringLiteral("PSU 1 (5 V 16 A)"));
    QCOMPARE(cell(1, BoardTableModel::SwitchPortColumn),
             QStringLiteral("Switch 1 (8-port GbE) / port 2"));
    QCOMPARE(cell(2, BoardTableModel::ModelColumn), QStringLiteral("UP Board"));
    // Edit role gives raw values.
    QCOMPARE(m_model->index(1, BoardTableModel::RoleColumn).data(Qt::EditRole).toString(),
             QStringLiteral("manager"));
    QCOMPARE(m_model->index(1, BoardTableModel::ModelColumn).data(Qt::EditRole).toString(),
             QStringLiteral("pine64-a64-lts"));
}

void TestBoardTableModel::boardIdForEveryIndex()
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        for (int c = 0; c < m_model->columnCount(); ++c)
            QCOMPARE(m_model->index(r, c).data(BoardTableModel::BoardIdRole).toString(),
                     m_doc->lab().boards.at(r).id);
    }
    QCOMPARE(m_model->rowOf(QStringLiteral("up-2")),
             m_doc->lab().boardIndex(QStringLiteral("up-2")));
}

void TestBoardTableModel::addInsertsOneRow()
{
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    Board b;
    b.id = QStringLiteral("new-1");
    b.name = QStringLiteral("newcomer");
    m_doc->addBoard(b, 4);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 4);
    QCOMPARE(inserted.at(0).at(2).toInt(), 4);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(m_model->index(4, BoardTableModel::RackSlotColumn).data().toString(),
             QStringLiteral("Unplaced"));
    QCOMPARE(m_model->index(4, BoardTableModel::IpColumn).data().toString(),
             QStringLiteral("DHCP"));
    verifyRowsMatchDocument();
}

void TestBoardTableModel::removeRemovesOneRow()
{
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(m_doc->removeBoard(QStringLiteral("up-1")));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 2);
    QCOMPARE(m_model->rowCount(), 9);
    verifyRowsMatchDocument();
}

void TestBoardTableModel::updateChangesOneRow()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    Board b = *m_doc->lab().board(QStringLiteral("pine64-3"));
    b.os = QStringLiteral("Armbian");
    m_doc->updateBoard(b);
    QCOMPARE(changed.size(), 1);
    const QModelIndex tl = changed.at(0).at(0).toModelIndex();
    const QModelIndex br = changed.at(0).at(1).toModelIndex();
    const int row = m_model->rowOf(QStringLiteral("pine64-3"));
    QCOMPARE(tl.row(), row);
    QCOMPARE(br.row(), row);
    QCOMPARE(br.column(), BoardTableModel::ColumnCount - 1);
    QCOMPARE(m_model->index(row, BoardTableModel::OsColumn).data().toString(),
             QStringLiteral("Armbian"));
}

void TestBoardTableModel::moveSwapChangesBothRows()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    // pine64-1 (rack 1 slot 0) onto up-2 (rack 2 slot 2): they swap.
    QCOMPARE(m_doc->moveBoard(QStringLiteral("pine64-1"), QStringLiteral("rack-2"), 2),
             QStringLiteral("up-2"));
    QCOMPARE(changed.size(), 2);
    const int mover = m_model->rowOf(QStringLiteral("pine64-1"));
    const int swapped = m_model->rowOf(QStringLiteral("up-2"));
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), mover);
    QCOMPARE(changed.at(1).at(0).toModelIndex().row(), swapped);
    QCOMPARE(m_model->index(mover, BoardTableModel::RackSlotColumn).data().toString(),
             QStringLiteral("Rack 2 / 3"));
    QCOMPARE(m_model->index(swapped, BoardTableModel::RackSlotColumn).data().toString(),
             QStringLiteral("Rack 1 / 1"));
}

void TestBoardTableModel::nodeStateChangesStateCell()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    m_doc->setNodeState(QStringLiteral("pine64-2"), NodeState::SwarmReady);
    QCOMPARE(changed.size(), 1);
    const QModelIndex tl = changed.at(0).at(0).toModelIndex();
    QCOMPARE(tl, changed.at(0).at(1).toModelIndex());
    QCOMPARE(tl.column(), int(BoardTableModel::StateColumn));
    QCOMPARE(tl.data().toString(), QStringLiteral("In swarm"));
    QCOMPARE(tl.data(BoardTableModel::BoardIdRole).toString(), QStringLiteral("pine64-2"));
    m_doc->setNodeAvailability(QStringLiteral("pine64-2"), QStringLiteral("drain"));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(tl.data().toString(), QStringLiteral("In swarm, drained"));
}

void TestBoardTableModel::rackRenameAndRemoval()
{
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    Rack rack = *m_doc->lab().rack(QStringLiteral("rack-2"));
    rack.name = QStringLiteral("Shelf B");
    m_doc->updateRack(rack);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().column(), int(BoardTableModel::RackSlotColumn));
    const int row = m_model->rowOf(QStringLiteral("pine64-3"));
    QCOMPARE(m_model->index(row, BoardTableModel::RackSlotColumn).data().toString(),
             QStringLiteral("Shelf B / 1"));
    QVERIFY(m_doc->removeRack(QStringLiteral("rack-2")));
    QCOMPARE(m_model->index(row, BoardTableModel::RackSlotColumn).data().toString(),
             QStringLiteral("Unplaced"));
    QCOMPARE(m_model->rowCount(), 10);
}

void TestBoardTableModel::resetFollowsDocument()
{
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    Lab small;
    Board b;
    b.id = QStringLiteral("only");
    b.name = QStringLiteral("only");
    small.boards.append(b);
    m_doc->setLab(small);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_model->rowCount(), 1);
    verifyRowsMatchDocument();
    m_doc->setLab(Lab());
    QCOMPARE(m_model->rowCount(), 0);
}

void TestBoardTableModel::editName()
{
    const QModelIndex i = m_model->index(0, BoardTableModel::NameColumn);
    QVERIFY(i.flags() & Qt::ItemIsEditable);
    QVERIFY(!m_model->setData(i, QStringLiteral("   ")));
    QCOMPARE(m_doc->lab().boards.at(0).name, QStringLiteral("pine64-1"));
    QVERIFY(!m_doc->isModified());
    QVERIFY(m_model->setData(i, QStringLiteral("  storage-a  ")));
    QCOMPARE(m_doc->lab().boards.at(0).name, QStringLiteral("storage-a"));
    QCOMPARE(i.data().toString(), QStringLiteral("storage-a"));
    QVERIFY(m_doc->isModified());
}

void TestBoardTableModel::editHostname()
{
    const QModelIndex i = m_model->index(0, BoardTableModel::HostnameColumn);
    for (const char *bad : {"under_score", "-lead", "trail-", "a..b", "spa ce"})
        QVERIFY2(!m_model->setData(i, QString::fromLatin1(bad)), bad);
    QCOMPARE(m_doc->lab().boards.at(0).hostname, QStringLiteral("pine64-1"));
    QVERIFY(m_model->setData(i, QStringLiteral("storage-a.lab")));
    QCOMPARE(m_doc->lab().boards.at(0).hostname, QStringLiteral("storage-a.lab"));
    QVERIFY(m_model->setData(i, QString()));
    QCOMPARE(m_doc->lab().boards.at(0).hostname, QString());
}

void TestBoardTableModel::editIp()
{
    const QModelIndex i = m_model->index(0, BoardTableModel::IpColumn);
    for (const char *bad : {"10.77.0.300", "10.77.0", "pine64-1", "10.77.0.1/24"})
        QVERIFY2(!m_model->setData(i, QString::fromLatin1(bad)), bad);
    QCOMPARE(m_doc->lab().boards.at(0).ip, QStringLiteral("10.77.0.11"));
    QVERIFY(m_model->setData(i, QStringLiteral("10.77.0.99")));
    QCOMPARE(m_doc->lab().boards.at(0).ip, QStringLiteral("10.77.0.99"));
    QVERIFY(m_model->setData(i, QStringLiteral("fd00::99")));
    QCOMPARE(i.data(Qt::EditRole).toString(), QStringLiteral("fd00::99"));
}

void TestBoardTableModel::editRole()
{
    const QModelIndex i = m_model->index(0, BoardTableModel::RoleColumn);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QVERIFY(m_model->setData(i, QStringLiteral("manager")));
    QCOMPARE(m_doc->lab().boards.at(0).role, Role::Manager);
    QCOMPARE(changed.size(), 1);
    QVERIFY(m_model->setData(i, QStringLiteral("Unassigned")));
    QCOMPARE(m_doc->lab().boards.at(0).role, Role::Unassigned);
    QVERIFY(m_model->setData(i, QVariant::fromValue(Role::Worker)));
    QCOMPARE(m_doc->lab().boards.at(0).role, Role::Worker);
    QCOMPARE(i.data().toString(), QStringLiteral("Worker"));
    QVERIFY(!m_model->setData(i, QStringLiteral("leader")));
    QCOMPARE(m_doc->lab().boards.at(0).role, Role::Worker);
}

void TestBoardTableModel::readOnlyColumns()
{
    for (int c :
         {BoardTableModel::ModelColumn, BoardTableModel::ArchColumn, BoardTableModel::OsColumn,
          BoardTableModel::StateColumn, BoardTableModel::RackSlotColumn, BoardTableModel::PsuColumn,
          BoardTableModel::SwitchPortColumn}) {
        const QModelIndex i = m_model->index(0, c);
        QVERIFY(!(i.flags() & Qt::ItemIsEditable));
        QVERIFY(!m_model->setData(i, QStringLiteral("x")));
    }
    QVERIFY(!m_model->setData(m_model->index(0, 0), QStringLiteral("x"), Qt::DisplayRole));
    QVERIFY(!m_model->setData(QModelIndex(), QStringLiteral("x")));
    QVERIFY(!m_doc->isModified());
}

void TestBoardTableModel::toolTips()
{
    const int row = m_model->rowOf(QStringLiteral("pine64-1"));
    const QString general = m_model->index(row, 0).data(Qt::ToolTipRole).toString();
    QVERIFY2(general.contains(QStringLiteral("root@10.77.0.11:22")), qPrintable(general));
    QVERIFY2(general.contains(QStringLiteral("usb-2tb (2000 GB)")), qPrintable(general));
    const QString model =
        m_model->index(row, BoardTableModel::ModelColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(model.contains(QStringLiteral("Pine A64-LTS (Pine64, arm64)")), qPrintable(model));
    QVERIFY2(model.contains(QStringLiteral("10.0 W peak")), qPrintable(model));
}

void TestBoardTableModel::sortRoleOrdersNaturally()
{
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(m_model);
    proxy.setSortRole(BoardTableModel::SortRole);
    auto order = [&proxy](int column) {
        proxy.sort(column);
        QStringList ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids.append(proxy.index(r, 0).data(BoardTableModel::BoardIdRole).toString());
        return ids;
    };
    // 10.77.0.9 must come before 10.77.0.10 (a text sort puts it last).
    Board b = *m_doc->lab().board(QStringLiteral("pine64-1"));
    b.ip = QStringLiteral("10.77.0.9");
    m_doc->updateBoard(b);
    QCOMPARE(order(BoardTableModel::IpColumn).first(), QStringLiteral("pine64-1"));
    // Rack order, then slot: rack 1 slots 1-3 first, rack 4 last; unplaced after everything.
    m_doc->moveBoard(QStringLiteral("up-1"), QString(), -1);
    const QStringList byRack = order(BoardTableModel::RackSlotColumn);
    QCOMPARE(byRack.mid(0, 2),
             (QStringList{QStringLiteral("pine64-1"), QStringLiteral("pine64-2")}));
    QCOMPARE(byRack.at(byRack.size() - 2), QStringLiteral("pine64-7"));
    QCOMPARE(byRack.last(), QStringLiteral("up-1"));
}

void TestBoardTableModel::mutationSequenceStaysConsistent()
{
    // The tester (fatal mode) checks every signal against the model's answers.
    for (int i = 0; i < 20; ++i) {
        Board b;
        b.id = QStringLiteral("extra-%1").arg(i);
        b.name = b.id;
        m_doc->addBoard(b, (i * 7) % (m_doc->lab().boards.size() + 1));
        verifyRowsMatchDocument();
    }
    for (int i = 0; i < 20; i += 3) {
        QVERIFY(m_doc->removeBoard(QStringLiteral("extra-%1").arg(i)));
        verifyRowsMatchDocument();
    }
    m_doc->moveBoard(QStringLiteral("extra-1"), QStringLiteral("rack-4"), 3);
    m_doc->moveBoard(QStringLiteral("pine64-7"), QStringLiteral("rack-4"), 3);
    m_doc->setRole(QStringLiteral("extra-2"), Role::Manager);
    m_doc->setNodeState(QStringLiteral("extra-2"), NodeState::Offline);
    QVERIFY(m_doc->removeSwitch(QStringLiteral("switch-1")));
    QVERIFY(m_doc->removePowerSupply(QStringLiteral("psu-2")));
    QVERIFY(m_doc->removeRack(QStringLiteral("rack-3")));
    verifyRowsMatchDocument();
    m_doc->setLab(demoLab());
    verifyRowsMatchDocument();
    while (!m_doc->lab().boards.isEmpty())
        QVERIFY(m_doc->removeBoard(m_doc->lab().boards.last().id));
    QCOMPARE(m_model->rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestBoardTableModel)
#include "tst_boardtablemodel.moc"
