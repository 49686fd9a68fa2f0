// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For GUI tests: a page's child widget by object name, with a warning naming it when missing
// (the test then fails on the null pointer with that name in the log).

#include <QString>
#include <QWidget>
#include <QtGlobal>

namespace HivelabTest {

template <typename T> T *find(QWidget *page, const char *name)
{
    T *w = page->findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qWarning("no widget %s", name);
    return w;
}

} // namespace HivelabTest
