// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "demolab.h"
#include "labdocument.h"
#include "labfile.h"

#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>

namespace Hivelab {

MainWindow::MainWindow(LabDocument *document, QWidget *parent)
    : QMainWindow(parent)
    , m_document(document)
{
    setCentralWidget(new QLabel(tr("No lab open"), this));
    resize(1280, 800);
    connect(m_document, &LabDocument::reset, this, &MainWindow::updateTitle);
    connect(m_document, &LabDocument::modifiedChanged, this, &MainWindow::updateTitle);
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::openDemo()
{
    m_document->setFilePath(QString());
    m_document->setLab(demoLab());
}

bool MainWindow::openFile(const QString &path)
{
    LabFileError error;
    const auto lab = LabFile::load(path, &error);
    if (!lab) {
        QMessageBox::warning(this, tr("Cannot open lab"), error.toString());
        return false;
    }
    m_document->setFilePath(path);
    m_document->setLab(*lab);
    return true;
}

void MainWindow::updateTitle()
{
    const QString name = m_document->filePath().isEmpty()
                             ? m_document->lab().name
                             : QFileInfo(m_document->filePath()).fileName();
    setWindowTitle(name.isEmpty() ? tr("Hivelab") : name + QStringLiteral("[*]"));
    setWindowModified(m_document->isModified());
}

} // namespace Hivelab
