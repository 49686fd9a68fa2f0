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
/// Bytes travel over the "sftp" subsystem when the server has one (a small SFTP v3 client on an
/// SshCommand channel, pipelined), else through exec (`cat`; Dropbear usually has no SFTP).
/// Uploads go to a private temporary name next to the target, are checked with sha256sum on the
/// board, get their mode and are renamed into place; downloads are written to a QSaveFile and
/// committed only when the board's sha256sum matches.
class SshTransfer : public QObject
{
    Q_OBJECT
public:
    enum class Direction { Upload, Download };
    Q_ENUM(Direction)
    /// How the bytes travel. Auto: SFTP when the server has it, else `cat` over exec.
    enum class Method { Auto, Sftp, Exec };
    Q_ENUM(Method)

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
    /// Call right after upload()/download(), before control returns to the event loop.
    void setMethod(Method method) { m_method = method; }
    /// The method actually used (Sftp or Exec) once the data moved.
    Method usedMethod() const { return m_used; }
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
    void startExecUpload();
    void startExecDownload();
    void startSftp();
    void onSftpData(const QByteArray &data);
    void handleSftpPacket(const QByteArray &packet);
    void sendSftp(quint8 type, const QByteArray &payload);
    void pumpSftp();
    void sftpFailed(const QString &why, bool canFallBack);
    void verifyDownload();
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

    Method m_method = Method::Auto;
    Method m_used = Method::Auto;
    enum class SftpStage { Init, Open, Transfer, Closing };
    SftpStage m_stage = SftpStage::Init;
    QPointer<SshCommand> m_sftp;
    QByteArray m_sftpIn;
    QByteArray m_handle;
    quint32 m_nextId = 1;
    qint64 m_offset = 0;
    QList<QPair<quint32, qint64>> m_inFlight; // request id, bytes asked/sent (in order)
    bool m_eof = false;
    bool m_shortRead = false;
};

} // namespace Hivelab
