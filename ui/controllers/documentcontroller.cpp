// SPDX-License-Identifier: GPL-3.0-or-later
#include "documentcontroller.h"

#include "demolab.h"
#include "labdocument.h"

#include <QFileInfo>
#include <QSettings>

namespace Hivelab {

namespace {
const QString RecentFilesKey = QStringLiteral("recentFiles");
} // namespace

DocumentController::DocumentController(LabDocument *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
{}

bool DocumentController::open(const QString &path, LabFileError *error)
{
    const auto lab = LabFile::load(path, error);
    if (!lab)
        return false;
    m_document->setFilePath(path);
    m_document->setLab(*lab);
    addRecentFile(path);
    return true;
}

bool DocumentController::save(const QString &path, LabFileError *error)
{
    if (!LabFile::save(m_document->lab(), path, error))
        return false;
    m_document->setFilePath(path);
    m_document->setModified(false);
    addRecentFile(path);
    Q_EMIT saved(path);
    return true;
}

void DocumentController::openDemo()
{
    m_document->setFilePath(QString());
    m_document->setLab(demoLab());
}

void DocumentController::newLab(const QString &name)
{
    Lab lab;
    lab.name = name;
    m_document->setFilePath(QString());
    m_document->setLab(lab);
}

QStringList DocumentController::recentFiles() const
{
    return QSettings().value(RecentFilesKey).toStringList();
}

void DocumentController::clearRecentFiles()
{
    QSettings().remove(RecentFilesKey);
}

void DocumentController::addRecentFile(const QString &path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(abs);
    files.prepend(abs);
    while (files.size() > MaxRecentFiles)
        files.removeLast();
    QSettings().setValue(RecentFilesKey, files);
}

} // namespace Hivelab
