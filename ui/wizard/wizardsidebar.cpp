// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizardsidebar.h"

#include <QGridLayout>
#include <QIcon>
#include <QLabel>
#include <QPalette>
#include <QVBoxLayout>

namespace Hivelab {

WizardSidebar::WizardSidebar(const QStringList &steps, QWidget *parent)
    : QWidget(parent)
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::AlternateBase));
    setPalette(pal);
    setMinimumWidth(240);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(16, 16, 16, 16);
    outer->setSpacing(14);

    auto *header = new QHBoxLayout;
    auto *logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/hivelab/wizard/hive.svg")).pixmap(40, 40));
    header->addWidget(logo);
    auto *title = new QLabel(tr("Hivelab setup"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    title->setFont(f);
    header->addWidget(title, 1);
    outer->addLayout(header);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(10);
    for (int i = 0; i < steps.size(); ++i) {
        auto *icon = new QLabel(this);
        icon->setFixedSize(16, 16);
        auto *label = new QLabel(steps.at(i), this);
        grid->addWidget(icon, i, 0);
        grid->addWidget(label, i, 1);
        m_icons << icon;
        m_labels << label;
    }
    outer->addLayout(grid);
    outer->addStretch(1);
    setCurrent(0);
}

void WizardSidebar::setCurrent(int index)
{
    m_current = index;
    for (int i = 0; i < m_labels.size(); ++i) {
        QFont f = font();
        f.setBold(i == index);
        m_labels[i]->setFont(f);
        QPalette pal = palette();
        if (i > index)
            pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
        m_labels[i]->setPalette(pal);
        const QString icon = i < index    ? QStringLiteral(":/hivelab/wizard/ok.svg")
                             : i == index ? QStringLiteral(":/hivelab/wizard/step-current.svg")
                                          : QStringLiteral(":/hivelab/wizard/pending.svg");
        m_icons[i]->setPixmap(QIcon(icon).pixmap(16, 16));
    }
}

} // namespace Hivelab
