// SPDX-License-Identifier: GPL-3.0-or-later
// Start-up baseline for tests/bench/startup.sh: the least a Qt 6 widgets app of Hivelab's shape
// does before its first frame — a main window with a menu bar, a QGraphicsView of 50 items
// (rounded cards with a line of text) and two docks. Like `hivelab --screenshot FILE`, it saves
// the window once its first frame is painted and quits.
#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QListWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QPointer>
#include <QTextEdit>
#include <QTimer>

#include <cstdio>

namespace {

// Saves `window` after the first paint of `painted` (the event loop's next turn) and quits.
class FirstPaint : public QObject
{
public:
    FirstPaint(QWidget *window, QString path)
        : QObject(window)
        , m_window(window)
        , m_path(std::move(path))
    {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            QTimer::singleShot(0, this, [this]() {
                std::fprintf(stderr, "first frame painted at %lld ms since the epoch\n",
                             QDateTime::currentMSecsSinceEpoch());
                const bool ok = m_window->grab().save(m_path);
                std::fprintf(stderr, ok ? "Screenshot saved\n" : "Could not save\n");
                QCoreApplication::exit(ok ? 0 : 1);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget *m_window;
    QString m_path;
    bool m_done = false;
};

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const qsizetype shot = args.indexOf(QStringLiteral("--screenshot"));

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Baseline"));
    window.resize(1440, 900);
    window.menuBar()
        ->addMenu(QStringLiteral("&File"))
        ->addAction(QStringLiteral("&Quit"), &app, &QApplication::quit);
    auto *scene = new QGraphicsScene(&window);
    for (int i = 0; i < 50; ++i) {
        const QPointF at(40 + (i / 10) * 260, 40 + (i % 10) * 80);
        auto *card = scene->addRect(QRectF(0, 0, 230, 66), QPen(Qt::gray), QBrush(Qt::white));
        card->setPos(at);
        card->setFlag(QGraphicsItem::ItemIsMovable);
        auto *label = new QGraphicsSimpleTextItem(QStringLiteral("node-%1").arg(i), card);
        label->setPos(48, 8);
    }
    auto *view = new QGraphicsView(scene);
    view->setRenderHint(QPainter::Antialiasing);
    window.setCentralWidget(view);
    auto *left = new QDockWidget(QStringLiteral("Inventory"), &window);
    auto *list = new QListWidget(left);
    for (int i = 0; i < 50; ++i)
        list->addItem(QStringLiteral("node-%1").arg(i));
    left->setWidget(list);
    window.addDockWidget(Qt::LeftDockWidgetArea, left);
    auto *bottom = new QDockWidget(QStringLiteral("Log"), &window);
    bottom->setWidget(new QTextEdit(bottom));
    window.addDockWidget(Qt::BottomDockWidgetArea, bottom);
    if (shot >= 0 && shot + 1 < args.size())
        view->viewport()->installEventFilter(new FirstPaint(&window, args.at(shot + 1)));
    window.show();
    return QApplication::exec();
}
