// SPDX-License-Identifier: GPL-3.0-or-later
#include "cardwriterwidget.h"

#include "blockdevice.h"
#include "boardcatalog.h"
#include "cardpreparation.h"
#include "cardwriting.h"
#include "labcommands.h"
#include "labdocument.h"
#include "plural.h"
#include "wholerowsview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Hivelab {

namespace {

enum Column { BoardColumn, ImageColumn, CardColumn, BootColumn, ProgressColumn, ColumnCount };

const QString FileChoice = QStringLiteral("\x01file");

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString driveText(const Drive &d)
{
    QString text = QStringLiteral("%1 · %2").arg(d.path, sizeText(d.size));
    if (!d.model.isEmpty())
        text += QStringLiteral(" · ") + d.model;
    const QString bus = d.transport.isEmpty() ? d.type : d.transport;
    if (!bus.isEmpty())
        text += QStringLiteral(" (%1)").arg(bus);
    if (!d.mountpoints.isEmpty())
        text += CardWriterWidget::tr(" · mounted");
    return text;
}

struct DriveListing
{
    QList<Drive> drives;
    QString error;
};

DriveListing listOfferedDrives()
{
    DriveListing out;
    const QList<Drive> all = BlockDevice::listDrives(&out.error);
    const QStringList system = BlockDevice::systemDisks();
    for (const Drive &d : all) {
        if (DriveRules::isOffered(d, system))
            out.drives << d;
    }
    return out;
}

bool dialogConfirm(QWidget *parent, const QString &question, const QString &typeName)
{
    if (QMessageBox::warning(parent, CardWriterWidget::tr("Write cards"), question,
                             QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) !=
        QMessageBox::Yes)
        return false;
    if (typeName.isEmpty())
        return true;
    bool ok = false;
    const QString typed = QInputDialog::getText(
        parent, CardWriterWidget::tr("Larger than any card"),
        CardWriterWidget::tr("Type %1 to write it anyway:").arg(typeName), QLineEdit::Normal,
        QString(), &ok);
    return ok && typed.trimmed() == typeName;
}

} // namespace

CardWriterWidget::CardWriterWidget(LabDocument *document,
                                   std::function<void(QUndoCommand *)> pushEdit, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_pushEdit(std::move(pushEdit))
{
    m_confirm = [this](const QString &q, const QString &name) { return dialogConfirm(this, q, name); };
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *table = new WholeRowsView<QTableWidget>(0, ColumnCount, this);
    table->setEmptyHint(tr("No boards in the lab yet: their cards are listed here once the "
                           "Discover step has added them."));
    m_table = table;
    m_table->setObjectName(QStringLiteral("cardTable"));
    m_table->setAccessibleName(tr("Cards to write"));
    m_table->setHorizontalHeaderLabels(
        {tr("Board"), tr("Image"), tr("Card"), tr("Boots as"), tr("Progress")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(BoardColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ImageColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(CardColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(BootColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ProgressColumn, QHeaderView::Fixed);
    header->resizeSection(ProgressColumn, 120);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    m_keepPasswords = new QCheckBox(tr("&Keep DietPi console passwords in the keychain"), this);
    m_keepPasswords->setObjectName(QStringLiteral("keepConsolePasswords"));
    m_keepPasswords->setChecked(true);
    m_keepPasswords->setToolTip(
        tr("DietPi cards get a random password for root and dietpi (SSH takes keys only). "
           "Ticked, it is kept in the keychain before the card is written, and a card is not "
           "prepared when there is no keychain; unticked, nobody is told it (log in with the "
           "key)."));
    layout->addWidget(m_keepPasswords);

    auto *row = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("cardSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    reserveSummaryLines();
    row->addWidget(m_summary, 1);
    m_refresh = new QPushButton(tr("&Refresh drives"), this);
    m_refresh->setObjectName(QStringLiteral("refreshDrives"));
    m_write = new QPushButton(tr("&Write cards"), this);
    m_write->setObjectName(QStringLiteral("writeCards"));
    m_write->setToolTip(tr("Download the images if needed, write and verify every chosen card, "
                           "then give each its board's first-boot identity"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelCards"));
    row->addWidget(m_refresh);
    row->addWidget(m_write);
    row->addWidget(m_cancel);
    layout->addLayout(row);

    connect(m_refresh, &QPushButton::clicked, this, &CardWriterWidget::refreshDrives);
    connect(m_write, &QPushButton::clicked, this, [this]() { writeCards(); });
    connect(m_cancel, &QPushButton::clicked, this, &CardWriterWidget::cancel);
    setSummary(tr("Choose an image and a card for each board to write. Cards, USB drives and "
                  "loop devices are offered; the system's own disks never are."));
    updateButtons();
}

CardWriterWidget::~CardWriterWidget() = default;

void CardWriterWidget::reload()
{
    if (isRunning())
        return;
    buildRows();
    refreshDrives();
}

void CardWriterWidget::buildRows()
{
    const Lab &lab = m_document->lab();
    const BoardCatalog &catalog = BoardCatalog::builtin();
    m_boardIds.clear();
    m_table->setRowCount(0);
    for (const Board &b : lab.boards) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_boardIds << b.id;
        auto *name = new QTableWidgetItem(b.name.isEmpty() ? b.id : b.name);
        name->setToolTip(b.id);
        m_table->setItem(r, BoardColumn, name);

        auto *image = new QComboBox(m_table);
        image->setObjectName(QStringLiteral("image-") + b.id);
        image->setAccessibleName(tr("Image for %1").arg(name->text()));
        image->addItem(tr("— choose an image"), QString());
        int suggested = -1;
        for (const ImageDownloadInfo *d : catalog.downloadsForModel(b.model)) {
            QString text = d->name;
            if (!d->isVerifiable())
                text += tr(" (unverified)");
            image->addItem(text, d->id);
            image->setItemData(image->count() - 1,
                               tr("%1 %2\n%3%4")
                                   .arg(d->name, d->version, d->url,
                                        d->isVerifiable()
                                            ? QString()
                                            : tr("\nUnverified: the vendor publishes no checksum."))
                                   .trimmed(),
                               Qt::ToolTipRole);
            if (suggested < 0 && !b.os.isEmpty() && d->name.contains(b.os.section(QLatin1Char(' '), 0, 0), Qt::CaseInsensitive))
                suggested = image->count() - 1;
        }
        image->addItem(tr("Image file…"), FileChoice);
        if (suggested > 0)
            image->setCurrentIndex(suggested);
        image->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        image->setMinimumContentsLength(22);
        connect(image, &QComboBox::activated, this, [this, image](int index) {
            if (image->itemData(index).toString() != FileChoice)
                return;
            const QString path = QFileDialog::getOpenFileName(
                this, tr("OS image"), QString(),
                tr("Disk images (*.img *.raw *.xz *.gz *.zst *.bz2 *.zip *.7z);;All files (*)"));
            image->setCurrentIndex(0);
            if (!path.isEmpty())
                setImage(m_boardIds.value(m_table->indexAt(image->pos()).row()), path);
        });
        m_table->setCellWidget(r, ImageColumn, image);

        auto *card = new QComboBox(m_table);
        card->setObjectName(QStringLiteral("card-") + b.id);
        card->setAccessibleName(tr("Card for %1").arg(name->text()));
        card->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        card->setMinimumContentsLength(14);
        fillCardCombo(card, QString());
        connect(card, &QComboBox::currentIndexChanged, this, &CardWriterWidget::updateButtons);
        m_table->setCellWidget(r, CardColumn, card);

        auto *boots = new QTableWidgetItem(CardPreparation::preview(lab, b.id));
        boots->setData(Qt::AccessibleTextRole, boots->text());
        boots->setToolTip(tr("Hostname · address · login user written on the card's boot "
                             "partition (cloud-init or dietpi.txt)"));
        m_table->setItem(r, BootColumn, boots);

        auto *bar = new QProgressBar(m_table);
        bar->setRange(0, 100);
        bar->setValue(0);
        bar->setFormat(QString());
        bar->setTextVisible(true);
        bar->setAccessibleName(tr("Progress of %1").arg(name->text()));
        m_table->setCellWidget(r, ProgressColumn, bar);
    }
    if (lab.boards.isEmpty())
        setSummary(tr("No boards in the plan yet: add or discover boards first."));
    updateButtons();
}

void CardWriterWidget::fillCardCombo(QComboBox *combo, const QString &keep)
{
    const QString current = keep.isEmpty() ? combo->currentData().toString() : keep;
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(tr("— not written"), QString());
    for (const Drive &d : std::as_const(m_drives)) {
        combo->addItem(driveText(d), d.path);
        combo->setItemData(combo->count() - 1, driveText(d), Qt::ToolTipRole);
    }
    if (!current.isEmpty() && combo->findData(current) < 0)
        combo->addItem(current, current);
    combo->setCurrentIndex(qMax(0, combo->findData(current)));
}

void CardWriterWidget::refreshDrives()
{
    m_refresh->setEnabled(false);
    auto *watcher = new QFutureWatcher<DriveListing>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher]() {
        watcher->deleteLater();
        const DriveListing listing = watcher->result();
        m_drives = listing.drives;
        for (int r = 0; r < m_table->rowCount(); ++r)
            fillCardCombo(qobject_cast<QComboBox *>(m_table->cellWidget(r, CardColumn)), QString());
        if (!listing.error.isEmpty())
            setSummary(tr("Cannot list drives: %1").arg(listing.error));
        else if (m_drives.isEmpty())
            setSummary(tr("No card, USB drive or loop device found: insert a card and press "
                          "Refresh drives."));
        updateButtons();
        Q_EMIT drivesListed();
    });
    watcher->setFuture(QtConcurrent::run(listOfferedDrives));
}

int CardWriterWidget::rowOf(const QString &boardId) const
{
    return int(m_boardIds.indexOf(boardId));
}

void CardWriterWidget::setImage(const QString &boardId, const QString &source)
{
    const int r = rowOf(boardId);
    if (r < 0)
        return;
    auto *combo = qobject_cast<QComboBox *>(m_table->cellWidget(r, ImageColumn));
    int index = combo->findData(source);
    if (index < 0) {
        combo->insertItem(combo->count() - 1, QFileInfo(source).fileName(), source);
        index = combo->count() - 2;
        combo->setItemData(index, source, Qt::ToolTipRole);
    }
    combo->setCurrentIndex(index);
    updateButtons();
}

void CardWriterWidget::setCard(const QString &boardId, const QString &devicePath)
{
    const int r = rowOf(boardId);
    if (r < 0)
        return;
    fillCardCombo(qobject_cast<QComboBox *>(m_table->cellWidget(r, CardColumn)), devicePath);
    updateButtons();
}

bool CardWriterWidget::writeCards()
{
    if (isRunning())
        return false;
    QList<CardWriting::Card> cards;
    QList<int> rows;
    QStringList erased;
    QStringList mounts;
    QString largeName;
    QStringList problems;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString device =
            qobject_cast<QComboBox *>(m_table->cellWidget(r, CardColumn))->currentData().toString();
        if (device.isEmpty())
            continue;
        const QString board = m_table->item(r, BoardColumn)->text();
        const QString source =
            qobject_cast<QComboBox *>(m_table->cellWidget(r, ImageColumn))->currentData().toString();
        if (source.isEmpty() || source == FileChoice) {
            problems << tr("Choose an image for %1.").arg(board);
            continue;
        }
        const BlockDevice::Target t = BlockDevice::inspect(device);
        if (!t.refusal.isEmpty()) {
            problems << tr("Not writing %1: %2.").arg(device, t.refusal);
            continue;
        }
        for (const CardWriting::Card &c : std::as_const(cards)) {
            if (c.target.path == t.path)
                problems << tr("%1 is chosen for two boards.").arg(t.path);
        }
        if (t.isBlock && t.size > DriveRules::LargeDeviceBytes && largeName.isEmpty())
            largeName = QFileInfo(t.path).fileName();
        erased << tr("%1 (%2) for %3").arg(t.path, sizeText(t.size), board);
        mounts << t.drive.mountpoints;
        cards << CardWriting::Card{m_boardIds.at(r), source, t};
        rows << r;
    }
    if (!problems.isEmpty() || cards.isEmpty()) {
        setSummary(problems.isEmpty() ? tr("Choose a card for at least one board.")
                                       : problems.join(QLatin1Char(' ')));
        return false;
    }
    QString question = tr("This erases everything on:\n%1").arg(erased.join(QLatin1Char('\n')));
    if (!mounts.isEmpty())
        question += tr("\n\nFirst unmounted: %1").arg(mounts.join(QStringLiteral(", ")));
    if (!largeName.isEmpty())
        question += tr("\n\n%1 is larger than any card.").arg(largeName);
    if (!m_confirm(question, largeName)) {
        setSummary(tr("Nothing written."));
        return false;
    }
    for (const QString &m : std::as_const(mounts)) {
        QString error;
        if (!BlockDevice::unmount(m, &error)) {
            setSummary(tr("Cannot unmount %1: %2. Nothing written.").arg(m, error));
            return false;
        }
    }

    m_runRows = rows;
    m_written = 0;
    m_results.clear();
    for (int r : std::as_const(rows)) {
        auto *bar = qobject_cast<QProgressBar *>(m_table->cellWidget(r, ProgressColumn));
        bar->setValue(0);
        bar->setFormat(CardWriting::stageName(CardWriting::Stage::Waiting));
        bar->setToolTip(QString());
    }
    delete m_job;
    m_job = new CardWriting(this);
    m_job->setKeyPath(m_keyPath);
    m_job->setConsolePassword(m_keepPasswords->isChecked()
                                  ? CardPreparationJob::ConsolePassword::Keychain
                                  : CardPreparationJob::ConsolePassword::Random);
    connect(m_job, &CardWriting::progressChanged, this,
            [this](int card, CardWriting::Stage stage, qint64 done, qint64 total) {
                auto *bar = qobject_cast<QProgressBar *>(
                    m_table->cellWidget(m_runRows.at(card), ProgressColumn));
                const int percent = total > 0 ? int(qBound(qint64(0), done * 100 / total, qint64(100)))
                                    : stage == CardWriting::Stage::Done ? 100
                                                                        : bar->value();
                bar->setValue(percent);
                bar->setFormat(total > 0 ? QStringLiteral("%1 %p%").arg(CardWriting::stageName(stage))
                                         : CardWriting::stageName(stage));
            });
    connect(m_job, &CardWriting::cardFinished, this, [this](int card, bool ok, const QString &message) {
        const int r = m_runRows.at(card);
        auto *bar = qobject_cast<QProgressBar *>(m_table->cellWidget(r, ProgressColumn));
        // Not by colour alone: the text says it.
        bar->setFormat(ok ? tr("✓ done") : m_job->stage(card) == CardWriting::Stage::Cancelled
                                               ? tr("– cancelled")
                                               : tr("✕ failed"));
        bar->setToolTip(message);
        m_results.insert(m_boardIds.at(r), message);
    });
    connect(m_job, &CardWriting::finished, this, &CardWriterWidget::onFinished);
    setSummary(plural(int(cards.size()), tr("Writing %1 card…"), tr("Writing %1 cards…")));
    m_job->start(m_document->lab(), cards);
    updateButtons();
    Q_EMIT runningChanged(true);
    return true;
}

void CardWriterWidget::cancel()
{
    if (m_job && m_job->isRunning()) {
        m_job->cancel();
        setSummary(tr("Cancelling: every card keeps a zeroed first MiB, so none half-boots."));
    }
}

bool CardWriterWidget::isRunning() const
{
    return m_job && m_job->isRunning();
}

QString CardWriterWidget::resultFor(const QString &boardId) const
{
    return m_results.value(boardId);
}

QString CardWriterWidget::summary() const
{
    return m_summary->text();
}

void CardWriterWidget::onFinished()
{
    const QStringList prepared = m_job->preparedBoards();
    const Lab &now = m_document->lab();
    QList<Board> before;
    QList<Board> after;
    for (const QString &id : prepared) {
        const Board *was = now.board(id);
        const Board *is = m_job->lab().board(id);
        if (!was || !is)
            continue;
        // Only what the card got changes: the rest of the board may have been edited meanwhile.
        Board changed = *was;
        changed.firstBoot = is->firstBoot;
        if (changed.ip.isEmpty())
            changed.ip = is->ip; // allocated from the pool for the card
        before << *was;
        after << changed;
    }
    if (!after.isEmpty())
        m_pushEdit(new EditBoardsCommand(m_document, before, after,
                                         plural(int(after.size()), tr("Write %1 card"),
                                                tr("Write %1 cards"))));
    const int total = int(m_runRows.size());
    m_written = int(prepared.size());
    const int failed = total - m_written;
    QString text = tr("%1 of %2 cards written, verified and given their first-boot identity.")
                       .arg(prepared.size())
                       .arg(total);
    if (failed > 0)
        text += QLatin1Char(' ') + plural(failed, tr("%1 card did not finish: see its row."),
                                          tr("%1 cards did not finish: see their rows."));
    else
        text += tr(" Put each card in its board and power it on.");
    QString service;
    bool noKeychain = false;
    for (int card = 0; card < total; ++card) {
        if (service.isEmpty())
            service = m_job->consolePasswordPlace(card).first;
        noKeychain = noKeychain || m_job->refusedForKeychain(card);
    }
    if (!service.isEmpty())
        text += QLatin1Char(' ') + tr("DietPi console passwords (root and dietpi) are in the "
                                      "keychain, service %1, one account per board (see its "
                                      "row).")
                                       .arg(service);
    if (noKeychain)
        text += QLatin1Char(' ') +
                tr("No keychain could keep a DietPi console password: unlock or set up the "
                   "keychain, or untick “Keep DietPi console passwords in the keychain” for a "
                   "random password nobody is told (log in with the key), and write again.");
    setSummary(text);
    for (int r = 0; r < m_table->rowCount(); ++r)
        m_table->item(r, BootColumn)->setText(CardPreparation::preview(m_document->lab(), m_boardIds.at(r)));
    updateButtons();
    Q_EMIT runningChanged(false);
    Q_EMIT finished();
}

void CardWriterWidget::setSummary(const QString &text)
{
    m_summary->setText(text);
}

void CardWriterWidget::reserveSummaryLines()
{
    // Two lines whatever the text says: the introduction takes two, the drive listing's answer
    // a moment after the page shows takes one, and the table above grew by a line when it came.
    const QMargins m = m_summary->contentsMargins();
    m_summary->setMinimumHeight(2 * m_summary->fontMetrics().lineSpacing() + m.top() + m.bottom());
}

void CardWriterWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        reserveSummaryLines();
}

void CardWriterWidget::updateButtons()
{
    const bool running = isRunning();
    bool anyCard = false;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        auto *card = qobject_cast<QComboBox *>(m_table->cellWidget(r, CardColumn));
        anyCard = anyCard || !card->currentData().toString().isEmpty();
        card->setEnabled(!running);
        m_table->cellWidget(r, ImageColumn)->setEnabled(!running);
    }
    m_write->setEnabled(!running && anyCard);
    m_keepPasswords->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_refresh->setEnabled(!running);
}

} // namespace Hivelab
