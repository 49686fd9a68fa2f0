// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For item-model tests: the model under test over a document holding demoLab(), watched by
// QAbstractItemModelTester.

#include "demolab.h"
#include "labdocument.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QTest>

#include <memory>

namespace HivelabTest {

/// A second base of the test class (after QObject): createDemoLabModel() in init(),
/// destroyDemoLabModel() in cleanup().
template <typename Model> class DemoLabModelTest
{
protected:
    /// From then on any warning fails the test function: checkIndex() and the model tester
    /// report misuse as warnings.
    void createDemoLabModel()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        m_ownedDoc = std::make_unique<Hivelab::LabDocument>();
        m_ownedDoc->setLab(Hivelab::demoLab());
        m_ownedModel = std::make_unique<Model>(m_ownedDoc.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_ownedModel.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        m_doc = m_ownedDoc.get();
        m_model = m_ownedModel.get();
    }
    /// The tester first, the document last.
    void destroyDemoLabModel()
    {
        m_tester.reset();
        m_model = nullptr;
        m_ownedModel.reset();
        m_doc = nullptr;
        m_ownedDoc.reset();
    }

    std::unique_ptr<QAbstractItemModelTester> m_tester;
    Hivelab::LabDocument *m_doc = nullptr;
    Model *m_model = nullptr;

private:
    std::unique_ptr<Hivelab::LabDocument> m_ownedDoc;
    std::unique_ptr<Model> m_ownedModel;
};

} // namespace HivelabTest
