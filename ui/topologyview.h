// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>

class QTimer;

namespace Hivelab {

class TopologyScene;

/// View on the topology canvas: Ctrl+wheel zoom around the cursor, fit, pan with the middle
/// button or Space+drag, rubber-band selection; arrow keys and Tab move between boards, Alt+arrows
/// move the focused board, the context-menu key or Shift+F10 opens its menu. GUI thread.
class TopologyView : public QGraphicsView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyView)
public:
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    TopologyScene *topologyScene() const { return m_scene; }
    qreal zoom() const { return transform().m11(); }
    void setZoom(qreal zoom);

    void zoomIn();
    void zoomOut();
    void fitAll();
    /// Ends a zoom now instead of 250 ms after its last step: sharp snapshots again.
    void settleZoom();
    /// Opens the focused board's menu (the canvas menu without one) beside its card: the
    /// context-menu key and Shift+F10.
    void openContextMenuFromKeyboard();

Q_SIGNALS:
    void zoomChanged(qreal zoom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    /// Asks the items on screen, and within half a screen around it, for their snapshot at
    /// this scale (made on idle turns, the ones on screen first).
    void prepareSnapshots();

    TopologyScene *m_scene;
    bool m_panning = false;
    bool m_spaceHeld = false;
    bool m_autoFit = true; // keep fitting on resize until the user zooms
    QPoint m_panLast;
    QTimer *m_zoomSettle;
    QTimer *m_prepare;
};

} // namespace Hivelab
