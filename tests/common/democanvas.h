// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For canvas tests: the topology scene and view over a document holding demoLab(), shown at
// 1400×900 and fitted, as a user first sees it.

#include "demolab.h"
#include "labdocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QTest>
#include <QUndoStack>

namespace HivelabTest {

/// A second base of the test class (after QObject): QVERIFY(createDemoCanvas()) in init(),
/// destroyDemoCanvas() in cleanup().
class DemoCanvasTest
{
protected:
    /// False when the view's window never appeared.
    bool createDemoCanvas()
    {
        m_doc = new Hivelab::LabDocument;
        m_doc->setLab(Hivelab::demoLab());
        m_stack = new QUndoStack;
        m_scene = new Hivelab::TopologyScene(m_doc, m_stack);
        m_view = new Hivelab::TopologyView(m_scene);
        m_view->resize(1400, 900);
        m_view->show();
        if (!QTest::qWaitForWindowExposed(m_view))
            return false;
        m_view->fitAll();
        return true;
    }
    void destroyDemoCanvas()
    {
        delete m_view;
        delete m_scene;
        delete m_stack;
        delete m_doc;
        m_view = nullptr;
        m_scene = nullptr;
        m_stack = nullptr;
        m_doc = nullptr;
    }

    Hivelab::LabDocument *m_doc = nullptr;
    QUndoStack *m_stack = nullptr;
    Hivelab::TopologyScene *m_scene = nullptr;
    Hivelab::TopologyView *m_view = nullptr;
};

} // namespace HivelabTest
