// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;

namespace Hivelab {

/// Log console dock: timestamped lines, filterable by text and by board, copyable.
class LogConsole : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogConsole)
public:
    explicit LogConsole(QWidget *parent = nullptr);

    /// boardIds: boards the line is about (empty: the whole lab).
    void append(const QString &text, const QStringList &boardIds = {},
                Severity severity = Severity::Info);
    /// Boards offered by the per-board filter: (id, name) pairs in display order.
    void setBoards(const QList<QPair<QString, QString>> &boards);
    void setTextFilter(const QString &text);
    void setBoardFilter(const QString &boardId);
    /// The lines currently shown, as plain text.
    QString visibleText() const;
    void clear();
    /// Whether the console is on screen (its dock's visibilityChanged). Off screen, as the tab
    /// behind another, lines are only kept; the view gets its monospace font and lays them out
    /// when it comes on screen. On screen until told otherwise.
    void setOnScreen(bool onScreen);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Entry
    {
        QDateTime time;
        Severity severity;
        QStringList boardIds;
        QString text;
    };
    bool matches(const Entry &e) const;
    QString format(const Entry &e) const;
    QStringList shownLines() const;
    void prepareView();
    void refilter();

    QList<Entry> m_entries;
    bool m_onScreen = true;
    bool m_stale = false;     // off screen: the view lags behind m_entries
    bool m_viewReady = false; // the view has its font
    QLineEdit *m_filter;
    QComboBox *m_board;
    QPlainTextEdit *m_view;
};

} // namespace Hivelab
