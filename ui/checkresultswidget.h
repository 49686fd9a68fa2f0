// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace Hivelab {

class WrappedLabel;

/// Check results dock: quorum summary and the findings with severity icons (empty until the
/// first setReport()). Clicking a finding announces the objects it concerns so the window can
/// select them.
class CheckResultsWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckResultsWidget)
public:
    explicit CheckResultsWidget(QWidget *parent = nullptr);

    void setReport(const CheckReport &report, const Lab &lab);
    const CheckReport &report() const { return m_report; }
    QTreeWidget *tree() const { return m_tree; }
    QString summaryText() const;

Q_SIGNALS:
    void findingActivated(const QStringList &objectIds);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    class WrappingDelegate;
    /// Docks ignore a wrapped label's height-for-width: reserve the height its text needs.
    void fitSummary();

    CheckReport m_report;
    QLabel *m_summaryIcon;
    WrappedLabel *m_summary;
    QTreeWidget *m_tree;
    WrappingDelegate *m_delegate;
};

} // namespace Hivelab
