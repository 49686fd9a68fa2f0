// SPDX-License-Identifier: GPL-3.0-or-later
#include "logconsole.h"

#include "theme.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
constexpr int MaxEntries = 5000;
}

LogConsole::LogConsole(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter log…"));
    // The clear button comes on the turn after the filter's first paint (eventFilter()).
    m_filter->installEventFilter(this);
    m_board = new QComboBox(this);
    m_board->addItem(tr("All boards"), QString());
    m_board->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *copy = new QToolButton(this);
    copy->setIcon(Theme::icon(QStringLiteral("copy")));
    copy->setToolTip(tr("Copy the shown lines"));
    auto *clearButton = new QToolButton(this);
    clearButton->setIcon(Theme::icon(QStringLiteral("edit-delete")));
    clearButton->setToolTip(tr("Clear the log"));
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_board);
    bar->addWidget(copy);
    bar->addWidget(clearButton);
    layout->addLayout(bar);
    m_view = new QPlainTextEdit(this);
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(MaxEntries);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_view, 1);
    connect(m_filter, &QLineEdit::textChanged, this, &LogConsole::refilter);
    connect(m_board, &QComboBox::currentIndexChanged, this, &LogConsole::refilter);
    connect(copy, &QToolButton::clicked, this, [this]() {
        QString selected = m_view->textCursor().selectedText();
        selected.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
        QApplication::clipboard()->setText(selected.isEmpty() ? visibleText() : selected);
    });
    connect(clearButton, &QToolButton::clicked, this, &LogConsole::clear);
}

bool LogConsole::eventFilter(QObject *watched, QEvent *event)
{
    // The style looks the clear button's icon up in the desktop's icon theme: a tenth of the
    // window's start-up instructions under callgrind (tests/bench/startup.sh). The log starts
    // as the tab behind the check results, where nothing of it is painted, so the lookup waits
    // until the filter is first on screen.
    if (watched == m_filter && event->type() == QEvent::Paint) {
        m_filter->removeEventFilter(this);
        QTimer::singleShot(0, m_filter, [this]() { m_filter->setClearButtonEnabled(true); });
    }
    return QWidget::eventFilter(watched, event);
}

void LogConsole::append(const QString &text, const QStringList &boardIds, Severity severity)
{
    Entry e{QDateTime::currentDateTime(), severity, boardIds, text};
    m_entries.append(e);
    if (m_entries.size() > MaxEntries)
        m_entries.removeFirst();
    if (!m_onScreen) {
        m_stale = true;
        return;
    }
    prepareView();
    if (matches(e))
        m_view->appendPlainText(format(e));
}

void LogConsole::setOnScreen(bool onScreen)
{
    m_onScreen = onScreen;
    if (!onScreen)
        return;
    prepareView();
    if (m_stale)
        refilter();
}

void LogConsole::prepareView()
{
    // The font is looked up (fontconfig) and the lines laid out only for a console on screen:
    // the log starts as the tab behind the check results.
    if (m_viewReady)
        return;
    m_viewReady = true;
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void LogConsole::setBoards(const QList<QPair<QString, QString>> &boards)
{
    const QString current = m_board->currentData().toString();
    const QSignalBlocker blocker(m_board);
    m_board->clear();
    m_board->addItem(tr("All boards"), QString());
    for (const auto &b : boards)
        m_board->addItem(b.second, b.first);
    m_board->setCurrentIndex(qMax(0, m_board->findData(current)));
    if (m_board->currentData().toString() != current)
        refilter();
}

void LogConsole::setTextFilter(const QString &text)
{
    m_filter->setText(text);
}

void LogConsole::setBoardFilter(const QString &boardId)
{
    m_board->setCurrentIndex(qMax(0, m_board->findData(boardId)));
}

QString LogConsole::visibleText() const
{
    return m_stale ? shownLines().join(QLatin1Char('\n')) : m_view->toPlainText();
}

void LogConsole::clear()
{
    m_entries.clear();
    m_stale = false;
    m_view->clear();
}

bool LogConsole::matches(const Entry &e) const
{
    const QString board = m_board->currentData().toString();
    if (!board.isEmpty() && !e.boardIds.contains(board))
        return false;
    const QString f = m_filter->text();
    return f.isEmpty() || e.text.contains(f, Qt::CaseInsensitive);
}

QString LogConsole::format(const Entry &e) const
{
    const QString level = e.severity == Severity::Error     ? QStringLiteral("ERROR ")
                          : e.severity == Severity::Warning ? QStringLiteral("WARN  ")
                                                            : QStringLiteral("      ");
    return e.time.toString(QStringLiteral("HH:mm:ss ")) + level + e.text;
}

QStringList LogConsole::shownLines() const
{
    QStringList lines;
    for (const Entry &e : std::as_const(m_entries)) {
        if (matches(e))
            lines.append(format(e));
    }
    return lines;
}

void LogConsole::refilter()
{
    if (!m_onScreen) {
        m_stale = true;
        return;
    }
    prepareView();
    m_stale = false;
    m_view->setPlainText(shownLines().join(QLatin1Char('\n')));
    m_view->moveCursor(QTextCursor::End);
}

} // namespace Hivelab
