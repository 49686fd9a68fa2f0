// SPDX-License-Identifier: GPL-3.0-or-later
// Canvas benchmark: 200 boards in 20 racks. Prints frame times for render, zoom and pan, and
// the cost of a simulated drag (per mouse move, and the drop with its undo command). Frames are
// paced like a 60 Hz screen: a frame is its step and the event-loop turn that paints it; for the
// rest of its 16.7 ms the event loop runs whatever else is due (work done on idle turns), and
// the longest of those turns is printed too (what it adds to the next frame's latency at worst).
// --quick: a quarter of the frames, for instruction counts under valgrind --tool=callgrind
// (--dump-before='*repaintFrames*' --dump-after='*repaintFrames*': one dump per phase).
// --grab DIR: also saves the view as PNGs (fitted, mid-zoom, settled, 100 %) to compare the
// canvas's look before and after a change (grabbing makes snapshots: timings are not comparable).
// Next to each wall-clock figure: the GUI thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which the
// machine's load changes less (not Qt's raster worker threads, whose fills the GUI thread waits
// for). --frames: one line per frame of the zoom, settle and pan phases (wall and CPU ms, the
// viewport area painted, and what the items did: blits, scaled blits, direct paints, snapshots
// made in the frame, snapshots made on the idle turns after it).
#include "boardcatalog.h"
#include "boarditem.h"
#include "canvasmetrics.h"
#include "labcheck.h"
#include "labdocument.h"
#include "labgenerators.h"
#include "theme.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "snapshotitem.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPaintEvent>
#include <QScrollBar>
#include <QTest>
#include <QThread>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>

using namespace Hivelab;

namespace {
struct Stats
{
    double median = 0;
    double p95 = 0;
    double max = 0;
};

// CPU time of the calling thread (ms): what a frame cost the GUI thread, descheduling aside.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Frame
{
    double wall = 0;
    double cpu = 0;
    qint64 painted = 0; // viewport pixels painted
    SnapshotItem::PaintCounts items;
    int madeAfter = 0;   // snapshots made on the idle turns before the next frame
    bool onIdle = false; // painted by an event-loop turn between the paced frames
};

// Viewport pixels painted since the last call.
class PaintedArea : public QObject
{
public:
    qint64 take() { return std::exchange(m_pixels, 0); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            for (const QRect &r : static_cast<QPaintEvent *>(event)->region())
                m_pixels += qint64(r.width()) * r.height();
        }
        return QObject::eventFilter(watched, event);
    }

private:
    qint64 m_pixels = 0;
};
PaintedArea paintedArea;
bool perFrame = false;

SnapshotItem::PaintCounts operator-(const SnapshotItem::PaintCounts &a,
                                    const SnapshotItem::PaintCounts &b)
{
    return {a.blits - b.blits, a.scaled - b.scaled, a.direct - b.direct,
            a.madeInFrame - b.madeInFrame, a.madeOnIdle - b.madeOnIdle};
}

QList<Frame> frames; // of the phase printed next

Stats stats(QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    Stats s;
    if (ms.isEmpty())
        return s;
    s.median = ms.at(ms.size() / 2);
    s.p95 = ms.at(qMin(int(ms.size()) - 1, int(ms.size() * 0.95)));
    s.max = ms.last();
    return s;
}

void print(const char *what, const Stats &s, const Stats &cpu = {})
{
    std::printf("| %-44s | %8.2f | %8.2f | %8.2f | %8.2f | %8.2f | %8.2f |\n", what, s.median,
                s.p95, s.max, cpu.median, cpu.p95, cpu.max);
}

// A phase measured with repaintFrames(): wall clock, GUI thread CPU and, with --frames, each
// frame.
void printFrames(const char *what)
{
    QList<double> wall;
    QList<double> cpu;
    for (const Frame &f : std::as_const(frames)) {
        wall.append(f.wall);
        cpu.append(f.cpu);
    }
    print(what, stats(wall), stats(cpu));
    if (perFrame) {
        for (int i = 0; i < frames.size(); ++i) {
            const Frame &f = frames.at(i);
            std::printf("|   %s %3d: wall %6.2f cpu %6.2f, painted %4lld kpx; blit %3d scaled "
                        "%3d direct %3d made in frame %3d, after %3d\n",
                        f.onIdle ? "idle " : "frame", i, f.wall, f.cpu, f.painted / 1000,
                        f.items.blits, f.items.scaled, f.items.direct, f.items.madeInFrame,
                        f.madeAfter);
        }
    }
    frames.clear();
}

QList<double> idleTurns; // event-loop turns between frames that did something (ms)

// The turns between the frames of the phase printed last.
void printIdleTurns()
{
    print("  turns between those frames (> 0.1 ms)",
          idleTurns.isEmpty() ? Stats() : stats(idleTurns));
    idleTurns.clear();
}

double msSince(QElapsedTimer &t)
{
    return t.nsecsElapsed() / 1e6;
}

constexpr qint64 FrameNs = 16'666'667;

// Runs the event loop until `ns` after `since`, timing each turn. A turn that repaints the
// viewport (a timer's work: a zoom settling, snapshots made on idle) is a frame on screen too,
// and counted with the phase's frames.
void idleUntil(const QElapsedTimer &since, qint64 ns)
{
    while (since.nsecsElapsed() < ns) {
        paintedArea.take();
        const SnapshotItem::PaintCounts before = SnapshotItem::paintCounts();
        const double cpu = threadCpuMs();
        QElapsedTimer turn;
        turn.start();
        QCoreApplication::processEvents();
        const qint64 took = turn.nsecsElapsed();
        if (const qint64 painted = paintedArea.take()) {
            Frame f;
            f.wall = took / 1e6;
            f.cpu = threadCpuMs() - cpu;
            f.painted = painted;
            f.items = SnapshotItem::paintCounts() - before;
            f.onIdle = true;
            frames.append(f);
        }
        if (took > 100'000)
            idleTurns.append(took / 1e6);
        else
            QThread::usleep(250); // nothing due: do not spin
    }
}

QList<double> repaintFrames(int count, const std::function<void(int)> &step)
{
    QList<double> out;
    for (int i = 0; i < count; ++i) {
        paintedArea.take();
        const SnapshotItem::PaintCounts before = SnapshotItem::paintCounts();
        const double cpu = threadCpuMs();
        QElapsedTimer t;
        t.start();
        step(i);
        // The view's own update path: dirty regions only, as on a real screen.
        QCoreApplication::processEvents();
        Frame f;
        f.wall = msSince(t);
        f.cpu = threadCpuMs() - cpu;
        f.painted = paintedArea.take();
        const SnapshotItem::PaintCounts after = SnapshotItem::paintCounts();
        f.items = after - before;
        out.append(f.wall);
        frames.append(f);
        const qsizetype at = frames.size() - 1;
        idleUntil(t, FrameNs);
        frames[at].madeAfter = SnapshotItem::paintCounts().madeOnIdle - after.madeOnIdle;
    }
    return out;
}

// The viewport as the user sees it now, when --grab was given.
void grab(QGraphicsView &view, const QString &dir, const char *name)
{
    if (dir.isEmpty())
        return;
    view.viewport()->grab().save(dir + QLatin1Char('/') + QLatin1String(name) +
                                 QStringLiteral(".png"));
}
} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Theme::apply(false);
    const int div = app.arguments().contains(QStringLiteral("--quick")) ? 4 : 1;
    perFrame = app.arguments().contains(QStringLiteral("--frames"));
    const int grabAt = int(app.arguments().indexOf(QStringLiteral("--grab")));
    const QString grabDir = grabAt > 0 ? app.arguments().value(grabAt + 1) : QString();

    const Lab lab = HivelabTest::canvasBenchLab(20, 10);
    LabDocument doc;
    QUndoStack stack;
    TopologyScene scene(&doc, &stack);
    TopologyView view(&scene);
    view.resize(1600, 1000);
    view.viewport()->installEventFilter(&paintedArea);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return 1;

    QElapsedTimer t;
    t.start();
    doc.setLab(lab);
    const double buildMs = msSince(t);
    t.restart();
    const CheckReport report = checkLab(doc.lab(), BoardCatalog::builtin());
    const double checkMs = msSince(t);

    std::printf("Canvas benchmark: %d boards in %d racks, viewport %dx%d, platform %s\n\n",
                int(lab.boards.size()), int(lab.racks.size()), view.viewport()->width(),
                view.viewport()->height(), qPrintable(QGuiApplication::platformName()));
    std::printf("| %-44s | %8s | %8s | %8s | %8s | %8s | %8s |\n", "What (ms)", "median", "p95",
                "max", "cpu med", "cpu p95", "cpu max");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------",
                "----------", "----------", "----------", "----------", "----------", "----------");
    print("Build scene from the lab (once)", {buildMs, buildMs, buildMs});
    print("Fault-domain check of the lab (once)", {checkMs, checkMs, checkMs});

    view.fitAll();
    repaintFrames(30 / div, [&view](int) { view.viewport()->update(); });
    printFrames("Full repaint, whole lab fitted (first: cold cache)");
    printIdleTurns();
    grab(view, grabDir, "fitted");
    // Zoom sweep: every frame at a new scale, so card caches are rebuilt each time.
    repaintFrames(40 / div, [&view, div, &grabDir](int i) {
        view.setZoom(0.3 + 0.02 * div * i);
        if (i == 20 / div)
            grab(view, grabDir, "zooming-70");
    });
    printFrames("Frame while zooming (new scale every frame)");
    printIdleTurns();
    // Wheel zoom: one notch (1.2x) from settled caches, then the settle that re-caches cards.
    view.settleZoom();
    view.setZoom(0.5);
    view.settleZoom();
    view.viewport()->repaint();
    QElapsedTimer pause;
    pause.start();
    idleUntil(pause, 20 * FrameNs);
    idleTurns.clear();
    frames.clear();
    QList<Frame> notches;
    QList<Frame> settles;
    for (int i = 0; i < 12 / (div > 1 ? 2 : 1); ++i) {
        repaintFrames(1, [&view, i](int) {
            if (i % 6 < 3)
                view.zoomIn();
            else
                view.zoomOut();
        });
        notches.append(std::exchange(frames, {}));
        // What the settle timer does, 250 ms after the step (the view repaints what it needs).
        repaintFrames(1, [&view](int) { view.settleZoom(); });
        // A pause before the next notch, as a user's.
        pause.start();
        idleUntil(pause, 20 * FrameNs);
        settles.append(std::exchange(frames, {}));
    }
    frames = notches;
    printFrames("Wheel notch: one 1.2x zoom step");
    frames = settles;
    printFrames("Zoom settled: the frame after the last step");
    printIdleTurns();
    grab(view, grabDir, "settled-50");
    // Pans as a user drags with the middle button: 30 px right and 12 px down a frame (1800 px/s),
    // then 30 px right and 12 px up. The first starts one frame after a zoom to 80 %, so that zoom
    // settles mid-pan; the second at 100 %, the zoom settled and the window idle a while.
    const auto pan = [&view, div]() {
        const QPoint start = view.viewport()->rect().center();
        QTest::mousePress(view.viewport(), Qt::MiddleButton, Qt::NoModifier, start);
        repaintFrames(60 / div, [&view, div, start](int i) {
            const int step = (i + 1) * div;
            const int down = step <= 30 ? step : 60 - step;
            QTest::mouseMove(view.viewport(), start - QPoint(30 * step, 12 * down));
        });
        QTest::mouseRelease(view.viewport(), Qt::MiddleButton, Qt::NoModifier,
                            start - QPoint(30 * 60, 0));
    };
    // Settled at `zoom` in the top left corner, the window idle a while, nothing counted yet.
    const auto restAt = [&view, &pause](qreal zoom) {
        view.setZoom(zoom);
        view.settleZoom();
        view.centerOn(view.sceneRect().topLeft());
        pause.start();
        idleUntil(pause, 20 * FrameNs);
        frames.clear();
        idleTurns.clear();
    };
    restAt(0.4);
    // The zoom to 80 % is painted before the drag starts, as a wheel notch is on its own turn
    // of the event loop: a zoom frame, on a row of its own (it was counted as the pan's first).
    repaintFrames(1, [&view](int) { view.setZoom(0.8); });
    printFrames("Zoom step to 80 % before that pan (one frame)");
    frames.clear();
    idleTurns.clear();
    pan();
    printFrames("Frame while panning at 80 %, zoom settling");
    printIdleTurns();
    restAt(1.0);
    pan();
    printFrames("Frame while panning at 100 %");
    printIdleTurns();
    grab(view, grabDir, "panned-100");

    // Drag: node-001 (rack 1) to rack 2, slot 11 (empty), 60 mouse moves.
    view.setZoom(0.6);
    BoardItem *item = scene.boardItem(QStringLiteral("board-1"));
    const QRectF target = scene.slotRect(QStringLiteral("rack-2"), 11);
    view.ensureVisible(QRectF(item->pos(), QSizeF(CanvasMetrics::CardWidth, 1))
                           .united(target)
                           .adjusted(-20, -20, 20, 20));
    view.viewport()->repaint();
    const QPoint from = view.mapFromScene(
        item->pos() + QPointF(CanvasMetrics::CardWidth / 2, CanvasMetrics::CardHeight / 2));
    const QPoint to = view.mapFromScene(target.center());
    QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QList<double> moves;
    const int moveCount = 60 / div;
    for (int i = 1; i <= moveCount; ++i) {
        QElapsedTimer mt;
        mt.start();
        QTest::mouseMove(view.viewport(), from + (to - from) * i / moveCount);
        QCoreApplication::processEvents();
        moves.append(msSince(mt));
    }
    print("Drag: one mouse move + repaint", stats(moves));
    t.restart();
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, to);
    QCoreApplication::processEvents(); // includes the debounced re-check
    const double dropMs = msSince(t);
    print("Drop: undo command, relayout, repaint", {dropMs, dropMs, dropMs});
    const bool moved =
        doc.lab().board(QStringLiteral("board-1"))->rackId == QLatin1String("rack-2");
    t.restart();
    stack.undo();
    QCoreApplication::processEvents();
    const double undoMs = msSince(t);
    print("Undo of the drop + repaint", {undoMs, undoMs, undoMs});
    std::printf("\nDrop landed in rack 2: %s; findings: %d\n", moved ? "yes" : "NO",
                int(report.findings.size()));
    return moved ? 0 : 1;
}
