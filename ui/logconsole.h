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
    void refilter();

    QList<Entry> m_entries;
    QLineEdit *m_filter;
    QComboBox *m_board;
    QPlainTextEdit *m_view;
};

} // namespace Hivelab
