// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workflowjob.h"

#include <QPointer>

namespace Hivelab {

class SshSession;
class SshTransfer;

/// One file to put on a board. Plain value type.
struct FileCopy
{
    QString localPath;
    QString remotePath; // absolute, or relative to the login user's home
    int mode = 0644;    // permission bits of the remote file
    bool asRoot = false; // owned by root (e.g. under /etc): written through sudo, see FilePush
};

/// "Push files": copies local files to boards, each one verified by the board's sha256sum and
/// renamed into place only then (SshTransfer: SFTP where the server has it, else `cat` over
/// exec, as Dropbear boards need). Files are written as the board's login user. Boards run in
/// parallel over the job's pool, a board's files one after the other; a board stops at its
/// first failed file. The same list for every board of the run (setFiles) and/or lists of
/// their own for some boards (setBoardFiles: e.g. each board's own certificate). Files marked
/// asRoot (a board with any such file: all its files) go as root instead — sudo when the login
/// user is not root — over exec: the bytes through stdin after the sudo password line, never in
/// an argv; written under umask 077 to a temporary name, sha256-checked, chowned to root,
/// chmodded and renamed into place (rootWriteCommand()). Windows boards: NotSupported. Async
/// job, GUI thread.
class FilePush : public WorkflowJob
{
    Q_OBJECT
public:
    explicit FilePush(LabDocument *document, QObject *parent = nullptr);

    /// Files for every board of the run (lab order, board filter applies).
    void setFiles(const QList<FileCopy> &files) { m_files = files; }
    /// Files for this board instead of the common list; boards with a list of their own run
    /// even when the common list is empty.
    void setBoardFiles(const QString &boardId, const QList<FileCopy> &files);

    /// Hex SHA-256 of what reached the board at `remotePath` (empty unless it was verified).
    QByteArray sha256(const QString &boardId, const QString &remotePath) const;

    /// The root shell command that reads a file's bytes from stdin and puts them at `path`
    /// (absolute) with `mode`, owned by root, only if their SHA-256 is `sha256Hex`; exits
    /// non-zero (and leaves nothing behind) otherwise. Shared with jobs that write root files
    /// themselves (remote access).
    static QString rootWriteCommand(const QString &path, const QByteArray &sha256Hex, int mode);

protected:
    void begin() override;
    void cancelWork() override;

private:
    QList<FileCopy> filesFor(const QString &boardId) const;
    void pushNext(const QString &id, SshSession *session, int index);
    void pushAsRoot(const QString &id, int index);
    void boardDone(const QString &id, int files);

    QList<FileCopy> m_files;
    QHash<QString, QList<FileCopy>> m_boardFiles;
    QHash<QString, QHash<QString, QByteArray>> m_sha256; // board -> remote path -> hex
    QHash<QString, QPointer<SshTransfer>> m_transfers;
};

} // namespace Hivelab
