// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssherror.h"

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QSaveFile>

#include <memory>

namespace Hivelab {

class SshCommand;
class SshSession;

/// Copies one file to or from a board over an SshSession. Async job on the session's thread.
/// Works through exec (`cat`), so it needs no SFTP server (Dropbear usually has none). Uploads go
/// to a temporary name next to the target, are checked with sha256sum on the board, get their
/// mode and are renamed into place; downloads are written to a QSaveFile and committed only
/// when the remote sha256sum matches.
class SshTransfer : public QObject
{
    Q_OBJECT
public:
    enum class Direction { Upload, Download };
    Q_ENUM(Direction)

    /// Async. `mode` is octal permission bits for the remote file (e.g. 0644).
    static SshTransfer *upload(SshSession *session, const QString &localPath,
                               const QString &remotePath, int mode = 0644,
                               QObject *parent = nullptr);
    /// Async. The local file appears (atomically) only on success.
    static SshTransfer *download(SshSession *session, const QString &remotePath,
                                 const QString &localPath, QObject *parent = nullptr);
    ~SshTransfer() override;
    Q_DISABLE_COPY_MOVE(SshTransfer)

    void cancel();
    Direction direction() const { return m_direction; }
    /// Hex SHA-256 of the transferred bytes (valid after success).
    QByteArray sha256() const { return m_sha256; }
    bool isFinished() const { return m_finished; }
    SshErrorInfo error() const { return m_error; }

Q_SIGNALS:
    void progressChanged(qint64 done, qint64 total);
    void finished(const Hivelab::SshErrorInfo &error);

private:
    SshTransfer(SshSession *session, Direction direction, QObject *parent);
    void startUpload();
    void feedUpload();
    void finishUpload();
    void startDownload();
    void fail(SshError code, const QString &message);
    void succeed();

    QPointer<SshSession> m_session;
    Direction m_direction;
    QString m_localPath;
    QString m_remotePath;
    QString m_remoteTemp;
    int m_mode = 0644;
    QFile m_source;
    std::unique_ptr<QSaveFile> m_target;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    QByteArray m_sha256;
    QByteArray m_remoteOutput;
    QByteArray m_remoteError;
    QPointer<SshCommand> m_command;
    qint64 m_done = 0;
    qint64 m_total = -1;
    bool m_finished = false;
    SshErrorInfo m_error;
};

} // namespace Hivelab
