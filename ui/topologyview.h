// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsView>

class QTimer;

namespace Hivelab {

class TopologyScene;

/// View on the topology canvas: Ctrl+wheel zoom around the cursor, fit, pan with the middle
/// button or Space+drag, rubber-band selection, arrow keys move the selection. GUI thread.
class TopologyView : public QGraphicsView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyView)
public:
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    qreal zoom() const { return transform().m11(); }
    void setZoom(qreal zoom);

    void zoomIn();
    void zoomOut();
    void fitAll();

Q_SIGNALS:
    void zoomChanged(qreal zoom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    TopologyScene *m_scene;
    bool m_panning = false;
    bool m_spaceHeld = false;
    bool m_autoFit = true; // keep fitting on resize until the user zooms
    QPoint m_panLast;
    QTimer *m_zoomSettle;
};

} // namespace Hivelab
