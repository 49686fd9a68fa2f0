// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labfile.h"

#include <QObject>
#include <QStringList>

namespace Hivelab {

class LabDocument;

/// What the main window does with lab files, without any dialog: open, save, new, the demo
/// lab and the recent-files list (QSettings key "recentFiles"). Synchronous, GUI thread; lab
/// files are small (LabFile::MaxFileBytes). Outcomes are LabFileError values and signals; the
/// window words its own messages.
class DocumentController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DocumentController)
public:
    static constexpr int MaxRecentFiles = 8;

    explicit DocumentController(LabDocument *document, QObject *parent = nullptr);

    LabDocument *document() const { return m_document; }

    /// Replaces the open lab with the file's content; on failure nothing changes.
    bool open(const QString &path, LabFileError *error);
    /// Writes the lab to path; on success it becomes the document's path and is unmodified.
    bool save(const QString &path, LabFileError *error);
    void openDemo();
    void newLab(const QString &name);

    /// Most recent first, absolute paths.
    QStringList recentFiles() const;
    void clearRecentFiles();

Q_SIGNALS:
    void saved(const QString &path);

private:
    void addRecentFile(const QString &path);

    LabDocument *m_document;
};

} // namespace Hivelab
