// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QWidget>

class QLabel;

namespace Hivelab {

/// Step list shown at the wizard's side: done steps ticked, the current one highlighted.
class WizardSidebar : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WizardSidebar)
public:
    explicit WizardSidebar(const QStringList &steps, QWidget *parent = nullptr);
    void setCurrent(int index);
    int current() const { return m_current; }

private:
    QList<QLabel *> m_icons;
    QList<QLabel *> m_labels;
    int m_current = -1;
};

} // namespace Hivelab
