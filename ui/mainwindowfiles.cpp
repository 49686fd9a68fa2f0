// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the File menu's dialogs and messages over DocumentController, and canvas export.
#include "mainwindow.h"

#include "documentcontroller.h"
#include "labdocument.h"
#include "labfile.h"
#include "logconsole.h"
#include "theme.h"
#include "topologyscene.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QPainter>
#include <QStatusBar>
#include <QSvgGenerator>

namespace Hivelab {

void MainWindow::openDemo()
{
    m_files->openDemo();
    log(tr("Opened the demo lab \"%1\".").arg(m_document->lab().name));
}

bool MainWindow::loadFile(const QString &path, QString *error)
{
    LabFileError fileError;
    if (!m_files->open(path, &fileError)) {
        if (error)
            *error = fileError.toString();
        log(tr("Cannot open %1").arg(fileError.toString()), {}, Severity::Error);
        return false;
    }
    log(tr("Opened %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::openFile(const QString &path)
{
    QString error;
    if (loadFile(path, &error))
        return true;
    QMessageBox::warning(this, tr("Cannot open lab"), error);
    return false;
}

bool MainWindow::saveToFile(const QString &path, QString *error)
{
    LabFileError fileError;
    if (!m_files->save(path, &fileError)) {
        if (error)
            *error = fileError.toString();
        log(tr("Cannot save %1").arg(fileError.toString()), {}, Severity::Error);
        return false;
    }
    log(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    QMessageBox::StandardButton answer;
    if (m_unsavedPrompt) {
        answer = m_unsavedPrompt();
    } else {
        answer = QMessageBox::warning(
            this, tr("Unsaved changes"),
            tr("The lab \"%1\" has unsaved changes. Save them first?").arg(m_document->lab().name),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    }
    if (answer == QMessageBox::Save) {
        onSave();
        return !m_document->isModified();
    }
    return answer == QMessageBox::Discard;
}

void MainWindow::newLab()
{
    if (!maybeSave())
        return;
    m_files->newLab(tr("Untitled lab"));
    log(tr("Started a new, empty lab."));
}

void MainWindow::onOpen()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Lab"), QFileInfo(m_document->filePath()).absolutePath(),
        tr("Hivelab labs (*.%1);;All files (*)").arg(QLatin1String(LabFile::FileSuffix)));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::onSave()
{
    if (m_document->filePath().isEmpty()) {
        onSaveAs();
        return;
    }
    QString error;
    if (!saveToFile(m_document->filePath(), &error))
        QMessageBox::warning(this, tr("Cannot save lab"), error);
}

void MainWindow::onSaveAs()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Lab As"),
        m_document->filePath().isEmpty() ? m_document->lab().name + QStringLiteral(".hivelab")
                                         : m_document->filePath(),
        tr("Hivelab labs (*.%1)").arg(QLatin1String(LabFile::FileSuffix)));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".") + QLatin1String(LabFile::FileSuffix);
    QString error;
    if (!saveToFile(path, &error))
        QMessageBox::warning(this, tr("Cannot save lab"), error);
}

void MainWindow::onExport(bool svg)
{
    const QString suffix = svg ? QStringLiteral("svg") : QStringLiteral("png");
    const QString path = QFileDialog::getSaveFileName(
        this, svg ? tr("Export Canvas as SVG") : tr("Export Canvas as PNG"),
        m_document->lab().name + QLatin1Char('.') + suffix,
        svg ? tr("SVG drawings (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const bool ok = svg ? exportSvg(path) : exportPng(path);
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(path));
}

bool MainWindow::exportPng(const QString &path)
{
    const QStringList selected = m_scene->selectedBoardIds();
    m_scene->selectBoards({});
    m_scene->setItemCaching(false);
    const QRectF source = m_scene->itemsBoundingRect().adjusted(-24, -24, 24, 24);
    const qreal scale = 2.0; // crisp on high-DPI screens and in documents
    QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Theme::canvasBackground());
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    m_scene->render(&painter, QRectF(QPointF(0, 0), source.size() * scale), source);
    painter.end();
    m_scene->setItemCaching(true);
    m_scene->selectBoards(selected);
    const bool ok = image.save(path, "PNG");
    log(ok ? tr("Exported the canvas to %1").arg(path) : tr("Could not write %1").arg(path), {},
        ok ? Severity::Info : Severity::Error);
    return ok;
}

bool MainWindow::exportSvg(const QString &path)
{
    const QStringList selected = m_scene->selectedBoardIds();
    m_scene->selectBoards({});
    m_scene->setItemCaching(false);
    const QRectF source = m_scene->itemsBoundingRect().adjusted(-24, -24, 24, 24);
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(source.size().toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
    generator.setTitle(m_document->lab().name);
    generator.setDescription(tr("Hivelab topology of %1").arg(m_document->lab().name));
    QPainter painter;
    bool ok = painter.begin(&generator);
    if (ok) {
        m_scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
        ok = painter.end();
    }
    m_scene->setItemCaching(true);
    m_scene->selectBoards(selected);
    ok = ok && QFileInfo(path).size() > 0;
    log(ok ? tr("Exported the canvas to %1").arg(path) : tr("Could not write %1").arg(path), {},
        ok ? Severity::Info : Severity::Error);
    return ok;
}

QStringList MainWindow::recentFiles() const
{
    return m_files->recentFiles();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files.at(i);
        QAction *a = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        a->setEnabled(QFileInfo::exists(path));
        connect(a, &QAction::triggered, this, [this, path]() {
            if (maybeSave())
                openFile(path);
        });
    }
    if (files.isEmpty())
        m_recentMenu->addAction(tr("No recent labs"))->setEnabled(false);
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("&Clear List")), &QAction::triggered, m_files,
            &DocumentController::clearRecentFiles);
}

} // namespace Hivelab
