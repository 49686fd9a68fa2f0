// SPDX-License-Identifier: GPL-3.0-or-later
// Runs under tests/ui/a11y-session.sh: Qt posts accessibility events only while assistive
// technology is on, which takes an X server and an AT-SPI bus that says so.
#include "canvasaccessible.h"

#include "democanvas.h"
#include "demolab.h"
#include "labdocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAccessible>
#include <QApplication>
#include <QTest>
#include <QUndoStack>

using namespace Hivelab;

namespace {
// What a screen reader would be told: each event's type, the card's name when it was posted
// and, for a state change, which states changed.
struct Told
{
    QAccessible::Event type;
    QAccessible::Id id;
    QString name;
    QAccessible::State changed;
};
QList<Told> g_told;
void recordTold(QAccessibleEvent *event)
{
    QAccessibleInterface *iface = event->accessibleInterface();
    Told told{
        event->type(), event->uniqueId(), iface ? iface->text(QAccessible::Name) : QString(), {}};
    if (event->type() == QAccessible::StateChanged)
        told.changed = static_cast<QAccessibleStateChangeEvent *>(event)->changedStates();
    g_told.append(told);
}
int toldCount(QAccessible::Event type, QAccessible::Id id)
{
    int n = 0;
    for (const Told &t : std::as_const(g_told))
        n += t.type == type && t.id == id ? 1 : 0;
    return n;
}
int toldCount(QAccessible::Event type, const QString &namePrefix)
{
    int n = 0;
    for (const Told &t : std::as_const(g_told))
        n += t.type == type && t.name.startsWith(namePrefix) ? 1 : 0;
    return n;
}
} // namespace

class TestCanvasAccessible : public QObject, public HivelabTest::DemoCanvasTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void changesAreAnnounced();

private:
};

void TestCanvasAccessible::initTestCase()
{
    // The platform's bridge turns accessibility on once the AT-SPI bus answers.
    QTRY_VERIFY_WITH_TIMEOUT(QAccessible::isActive(), 20000);
    // Events come here instead of going to the bus.
    QAccessible::installUpdateHandler(recordTold);
}

void TestCanvasAccessible::init()
{
    QVERIFY(createDemoCanvas());
}

void TestCanvasAccessible::cleanup()
{
    destroyDemoCanvas();
}

void TestCanvasAccessible::changesAreAnnounced()
{
    g_told.clear();
    const QString id = QStringLiteral("pine64-4");
    QAccessibleInterface *canvas = QAccessible::queryAccessibleInterface(m_view);
    QAccessibleInterface *card = canvas->child(4);
    QVERIFY(card && card->text(QAccessible::Name).startsWith(id + QStringLiteral(",")));

    // State and role are in the name: each change is announced once, with the new name.
    g_told.clear();
    m_doc->setNodeState(id, NodeState::Offline);
    QCOMPARE(toldCount(QAccessible::NameChanged, id), 1);
    QVERIFY(toldCount(QAccessible::NameChanged,
                      id + QStringLiteral(", manager, Rack 2 slot 2, offline")) == 1);
    Board b = *m_doc->lab().board(id);
    b.role = Role::Worker;
    m_doc->updateBoard(b);
    QCOMPARE(toldCount(QAccessible::NameChanged, id), 2);
    QVERIFY(card->text(QAccessible::Name).contains(QStringLiteral("worker")));
    // The model, OS and findings are the description.
    g_told.clear();
    b.os = QStringLiteral("Armbian 25.5");
    m_doc->updateBoard(b);
    QCOMPARE(toldCount(QAccessible::DescriptionChanged, id), 1);
    QCOMPARE(toldCount(QAccessible::NameChanged, id), 0); // the name did not change
    // Nothing about a card that did not change.
    QCOMPARE(toldCount(QAccessible::NameChanged, QStringLiteral("pine64-3")), 0);

    // Selection and focus: a state change, and focus moves to the card.
    g_told.clear();
    m_view->activateWindow(); // a real X server: focus needs the active window
    QVERIFY(QTest::qWaitForWindowActive(m_view));
    m_view->setFocus();
    QTRY_VERIFY(m_view->hasFocus());
    m_scene->focusBoard(id);
    QCOMPARE(toldCount(QAccessible::Focus, id), 1);
    bool selectedTold = false;
    for (const Told &t : std::as_const(g_told))
        selectedTold |=
            t.type == QAccessible::StateChanged && t.name.startsWith(id) && t.changed.selected;
    QVERIFY(selectedTold);
    QVERIFY(card->state().selected && card->state().focused);

    // Cards that come and go: created once it is there, destroyed while it still is.
    g_told.clear();
    Board fresh;
    fresh.id = QStringLiteral("new-1");
    fresh.name = QStringLiteral("new-1");
    m_doc->addBoard(fresh);
    QCOMPARE(toldCount(QAccessible::ObjectCreated, QStringLiteral("new-1, ")), 1);
    QCOMPARE(canvas->childCount(), 11);
    QAccessible::Id freshId = 0;
    for (const Told &t : std::as_const(g_told))
        freshId = t.type == QAccessible::ObjectCreated ? t.id : freshId;
    QVERIFY(QAccessible::accessibleInterface(freshId));
    const QAccessible::Id cardId = QAccessible::uniqueId(card);
    m_doc->removeBoard(id);
    QCOMPARE(toldCount(QAccessible::ObjectDestroyed, cardId), 1);
    QCOMPARE(canvas->childCount(), 10);
    QVERIFY(!QAccessible::accessibleInterface(cardId));
    // A new lab: the cards of the old one go, those of the new one come.
    g_told.clear();
    m_doc->setLab(demoLab());
    QCOMPARE(toldCount(QAccessible::ObjectDestroyed, freshId), 1);
    QCOMPARE(toldCount(QAccessible::ObjectCreated, id + QStringLiteral(",")), 1);
    QCOMPARE(canvas->childCount(), 10);
}

QTEST_MAIN(TestCanvasAccessible)
#include "tst_canvasaccessible.moc"
