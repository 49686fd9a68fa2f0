// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshtransfer.h"

#include "sshcommand.h"
#include "sshsession.h"

#include <QFileInfo>
#include <QRandomGenerator>
#include <QTimer>

namespace Hivelab {

namespace {

constexpr qint64 kChunk = 256 * 1024;
constexpr qint64 kMaxQueued = 1024 * 1024;

} // namespace

SshTransfer::SshTransfer(SshSession *session, Direction direction, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_direction(direction)
{}

SshTransfer::~SshTransfer()
{
    if (m_command)
        m_command->cancel();
}

SshTransfer *SshTransfer::upload(SshSession *session, const QString &localPath,
                                 const QString &remotePath, int mode, QObject *parent)
{
    auto *t = new SshTransfer(session, Direction::Upload, parent);
    t->m_localPath = localPath;
    t->m_remotePath = remotePath;
    t->m_mode = mode;
    QTimer::singleShot(0, t, &SshTransfer::startUpload);
    return t;
}

SshTransfer *SshTransfer::download(SshSession *session, const QString &remotePath,
                                   const QString &localPath, QObject *parent)
{
    auto *t = new SshTransfer(session, Direction::Download, parent);
    t->m_localPath = localPath;
    t->m_remotePath = remotePath;
    QTimer::singleShot(0, t, &SshTransfer::startDownload);
    return t;
}

void SshTransfer::cancel()
{
    if (m_finished)
        return;
    if (m_command)
        m_command->cancel();
    fail(SshError::Cancelled, tr("Cancelled."));
}

void SshTransfer::fail(SshError code, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_command) {
        disconnect(m_command, nullptr, this, nullptr);
        m_command->cancel();
    }
    if (m_target)
        m_target->cancelWriting();
    m_error.code = code;
    m_error.message = message;
    Q_EMIT finished(m_error);
}

void SshTransfer::succeed()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(SshErrorInfo());
}

void SshTransfer::startUpload()
{
    if (m_finished)
        return;
    if (!m_session) {
        fail(SshError::Disconnected, tr("The session is gone."));
        return;
    }
    m_source.setFileName(m_localPath);
    if (!m_source.open(QIODevice::ReadOnly)) {
        fail(SshError::TransferFailed,
             tr("Cannot read %1: %2").arg(m_localPath, m_source.errorString()));
        return;
    }
    m_total = m_source.size();
    m_remoteTemp =
        m_remotePath + QStringLiteral(".hivelab-tmp-%1")
                           .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    if (m_method == Method::Exec)
        startExecUpload();
    else
        startSftp();
}

void SshTransfer::startExecUpload()
{
    m_used = Method::Exec;
    m_source.seek(0);
    m_hash.reset();
    m_done = 0;
    // umask 077: the half-written file is private until chmod gives it its real mode.
    m_command = m_session->exec(
        QStringLiteral("umask 077 && cat > %1").arg(SshSession::shellQuote(m_remoteTemp)));
    connect(m_command, &SshCommand::started, this, &SshTransfer::feedUpload);
    connect(m_command, &SshCommand::stdinWritten, this, [this](qint64 bytes) {
        m_done += bytes;
        Q_EMIT progressChanged(m_done, m_total);
        feedUpload();
    });
    connect(m_command, &SshCommand::stderrData, this, [this](const QByteArray &d) {
        if (m_remoteError.size() < 4096)
            m_remoteError += d;
    });
    connect(m_command, &SshCommand::finished, this,
            [this](int status, const QString &, const SshErrorInfo &error) {
                if (error.isError()) {
                    fail(error.code, error.message);
                } else if (status != 0) {
                    fail(SshError::TransferFailed,
                         tr("Cannot write %1 on the board: %2")
                             .arg(m_remoteTemp, QString::fromUtf8(m_remoteError).trimmed()));
                } else {
                    finishUpload();
                }
            });
}

void SshTransfer::feedUpload()
{
    if (m_finished || !m_command || !m_source.isOpen())
        return;
    while (m_command->pendingStdinBytes() < kMaxQueued && !m_source.atEnd()) {
        const QByteArray chunk = m_source.read(kChunk);
        if (chunk.isEmpty())
            break;
        m_hash.addData(chunk);
        m_command->writeStdin(chunk);
    }
    if (m_source.atEnd()) {
        m_source.close();
        m_command->closeStdin();
    }
}

void SshTransfer::finishUpload()
{
    m_sha256 = m_hash.result().toHex();
    const QString tmp = SshSession::shellQuote(m_remoteTemp);
    const QString script =
        QStringLiteral("sum=$(sha256sum < %1) || { rm -f %1; exit 3; }; "
                       "if [ \"${sum%% *}\" != %2 ]; then rm -f %1; echo 'checksum mismatch' >&2; "
                       "exit 4; fi; chmod %3 %1 && mv -f %1 %4 || { rm -f %1; exit 5; }")
            .arg(tmp, QString::fromLatin1(m_sha256), QString::number(m_mode, 8),
                 SshSession::shellQuote(m_remotePath));
    m_remoteError.clear();
    m_command = m_session->exec(script);
    connect(m_command, &SshCommand::stderrData, this, [this](const QByteArray &d) {
        if (m_remoteError.size() < 4096)
            m_remoteError += d;
    });
    connect(m_command, &SshCommand::finished, this,
            [this](int status, const QString &, const SshErrorInfo &error) {
                if (error.isError())
                    fail(error.code, error.message);
                else if (status != 0)
                    fail(SshError::TransferFailed,
                         tr("Could not verify and move %1 into place (exit %2): %3")
                             .arg(m_remotePath)
                             .arg(status)
                             .arg(QString::fromUtf8(m_remoteError).trimmed()));
                else
                    succeed();
            });
}

void SshTransfer::startDownload()
{
    if (m_finished)
        return;
    if (!m_session) {
        fail(SshError::Disconnected, tr("The session is gone."));
        return;
    }
    m_target = std::make_unique<QSaveFile>(m_localPath);
    if (!m_target->open(QIODevice::WriteOnly)) {
        fail(SshError::TransferFailed,
             tr("Cannot write %1: %2").arg(m_localPath, m_target->errorString()));
        return;
    }
    if (m_method == Method::Exec)
        startExecDownload();
    else
        startSftp();
}

void SshTransfer::startExecDownload()
{
    m_used = Method::Exec;
    m_target->seek(0);
    m_target->resize(0);
    m_hash.reset();
    m_done = 0;
    // Size first (for progress), then the bytes, then the board's own checksum of the file.
    const QString path = SshSession::shellQuote(m_remotePath);
    m_command =
        m_session->exec(QStringLiteral("wc -c < %1 >&2 && cat %1 && sha256sum < %1 >&2").arg(path));
    connect(m_command, &SshCommand::stdoutData, this, [this](const QByteArray &d) {
        if (m_target->write(d) != d.size()) {
            fail(SshError::TransferFailed,
                 tr("Cannot write %1: %2").arg(m_localPath, m_target->errorString()));
            return;
        }
        m_hash.addData(d);
        m_done += d.size();
        Q_EMIT progressChanged(m_done, m_total);
    });
    connect(m_command, &SshCommand::stderrData, this, [this](const QByteArray &d) {
        if (m_remoteError.size() < 4096)
            m_remoteError += d;
        if (m_total < 0 && m_remoteError.contains('\n'))
            m_total = m_remoteError.left(m_remoteError.indexOf('\n')).trimmed().toLongLong();
    });
    connect(m_command, &SshCommand::finished, this,
            [this](int status, const QString &, const SshErrorInfo &error) {
                if (error.isError()) {
                    fail(error.code, error.message);
                    return;
                }
                const QList<QByteArray> lines = m_remoteError.trimmed().split('\n');
                if (status != 0 || lines.size() < 2) {
                    fail(SshError::TransferFailed,
                         tr("Cannot read %1 on the board: %2")
                             .arg(m_remotePath, QString::fromUtf8(m_remoteError).trimmed()));
                    return;
                }
                m_sha256 = m_hash.result().toHex();
                const QByteArray remoteSum = lines.last().split(' ').first();
                if (remoteSum != m_sha256) {
                    fail(SshError::TransferFailed,
                         tr("Checksum mismatch downloading %1 (file changed while reading?).")
                             .arg(m_remotePath));
                    return;
                }
                if (!m_target->commit()) {
                    fail(SshError::TransferFailed,
                         tr("Cannot save %1: %2").arg(m_localPath, m_target->errorString()));
                    return;
                }
                succeed();
            });
}

// ---- SFTP v3 (draft-ietf-secsh-filexfer-02), only what a file copy needs ------------------------

namespace {

enum : quint8 {
    FxpInit = 1,
    FxpVersion = 2,
    FxpOpen = 3,
    FxpClose = 4,
    FxpRead = 5,
    FxpWrite = 6,
    FxpStatus = 101,
    FxpHandle = 102,
    FxpData = 103,
};
constexpr quint32 FxfRead = 0x01, FxfWrite = 0x02, FxfCreat = 0x08, FxfTrunc = 0x10, FxfExcl = 0x20;
constexpr quint32 AttrPermissions = 0x04;
constexpr quint32 FxOk = 0, FxEof = 1;
constexpr qint64 kSftpBlock = 64 * 1024;
constexpr int kSftpPipeline = 16;

QByteArray u32(quint32 v)
{
    QByteArray b(4, Qt::Uninitialized);
    b[0] = char(v >> 24);
    b[1] = char(v >> 16);
    b[2] = char(v >> 8);
    b[3] = char(v);
    return b;
}

QByteArray u64(quint64 v)
{
    return u32(quint32(v >> 32)) + u32(quint32(v));
}

QByteArray str(const QByteArray &s)
{
    return u32(quint32(s.size())) + s;
}

quint32 getU32(const QByteArray &b, int *pos)
{
    if (*pos + 4 > b.size()) {
        *pos = b.size() + 1;
        return 0;
    }
    const auto *d = reinterpret_cast<const uchar *>(b.constData() + *pos);
    *pos += 4;
    return (quint32(d[0]) << 24) | (quint32(d[1]) << 16) | (quint32(d[2]) << 8) | d[3];
}

QByteArray getStr(const QByteArray &b, int *pos)
{
    const quint32 len = getU32(b, pos);
    if (*pos > b.size() || len > quint32(b.size() - *pos)) {
        *pos = b.size() + 1;
        return QByteArray();
    }
    const QByteArray out = b.mid(*pos, int(len));
    *pos += int(len);
    return out;
}

} // namespace

void SshTransfer::startSftp()
{
    m_used = Method::Sftp;
    m_stage = SftpStage::Init;
    SshExecOptions opts;
    opts.subsystem = true;
    m_sftp = m_session->exec(QStringLiteral("sftp"), opts);
    connect(m_sftp, &SshCommand::started, this, [this]() { sendSftp(FxpInit, u32(3)); });
    connect(m_sftp, &SshCommand::stdoutData, this, &SshTransfer::onSftpData);
    connect(m_sftp, &SshCommand::finished, this,
            [this](int, const QString &, const SshErrorInfo &error) {
                if (error.code == SshError::Cancelled || error.code == SshError::Disconnected)
                    fail(error.code, error.message);
                else
                    sftpFailed(error.isError() ? error.message
                                               : tr("the SFTP server ended the session"),
                               true);
            });
}

void SshTransfer::sendSftp(quint8 type, const QByteArray &payload)
{
    if (m_sftp)
        m_sftp->writeStdin(u32(quint32(payload.size() + 1)) + char(type) + payload);
}

void SshTransfer::sftpFailed(const QString &why, bool canFallBack)
{
    if (m_finished)
        return;
    if (m_sftp) {
        disconnect(m_sftp, nullptr, this, nullptr);
        m_sftp->cancel();
        m_sftp->deleteLater();
    }
    if (canFallBack && m_stage == SftpStage::Init && m_method == Method::Auto) {
        // No SFTP server (typical for Dropbear): stream through `cat` instead.
        if (m_direction == Direction::Upload)
            startExecUpload();
        else
            startExecDownload();
        return;
    }
    fail(SshError::TransferFailed, tr("SFTP transfer of %1 failed: %2").arg(m_remotePath, why));
}

void SshTransfer::onSftpData(const QByteArray &data)
{
    m_sftpIn += data;
    while (m_sftpIn.size() >= 4 && !m_finished) {
        int pos = 0;
        const quint32 len = getU32(m_sftpIn, &pos);
        if (len > 1024 * 1024) {
            sftpFailed(tr("malformed reply"), false);
            return;
        }
        if (quint32(m_sftpIn.size() - 4) < len)
            return;
        const QByteArray packet = m_sftpIn.mid(4, int(len));
        m_sftpIn.remove(0, int(len) + 4);
        handleSftpPacket(packet);
    }
}

void SshTransfer::handleSftpPacket(const QByteArray &packet)
{
    if (packet.isEmpty())
        return;
    const quint8 type = quint8(packet.at(0));
    int pos = 1;
    if (type == FxpVersion) {
        const QByteArray path =
            m_direction == Direction::Upload ? m_remoteTemp.toUtf8() : m_remotePath.toUtf8();
        const quint32 flags =
            m_direction == Direction::Upload ? (FxfWrite | FxfCreat | FxfTrunc | FxfExcl) : FxfRead;
        // The temporary file is private (0600) until chmod gives it the requested mode.
        const QByteArray attrs =
            m_direction == Direction::Upload ? u32(AttrPermissions) + u32(0600) : u32(0);
        m_stage = SftpStage::Open;
        sendSftp(FxpOpen, u32(m_nextId++) + str(path) + u32(flags) + attrs);
        return;
    }
    const quint32 id = getU32(packet, &pos);
    if (type == FxpHandle && m_stage == SftpStage::Open) {
        m_handle = getStr(packet, &pos);
        m_stage = SftpStage::Transfer;
        pumpSftp();
        return;
    }
    if (type == FxpStatus) {
        const quint32 code = getU32(packet, &pos);
        const QString message = QString::fromUtf8(getStr(packet, &pos));
        if (m_stage == SftpStage::Closing) {
            if (code != FxOk) {
                sftpFailed(message, false);
                return;
            }
            // Let the SFTP channel close completely before the next channel opens: Dropbear
            // 2022.83 aborts the whole connection (assertion on sent_close) when a channel
            // opens while a subsystem channel is still closing.
            disconnect(m_sftp, nullptr, this, nullptr);
            connect(m_sftp, &SshCommand::finished, this, [this]() {
                if (m_direction == Direction::Upload)
                    finishUpload();
                else
                    verifyDownload();
            });
            m_sftp->closeStdin();
            return;
        }
        if (m_stage == SftpStage::Open || code > FxEof ||
            (code == FxEof && m_direction == Direction::Upload)) {
            // An open that fails means a path or permission problem, not a missing SFTP server.
            sftpFailed(tr("%1 (%2)").arg(message).arg(code), false);
            return;
        }
        if (!m_inFlight.isEmpty() && m_inFlight.first().first == id)
            m_inFlight.removeFirst();
        if (code == FxEof)
            m_eof = true;
        pumpSftp();
        return;
    }
    if (type == FxpData && m_direction == Direction::Download) {
        const QByteArray data = getStr(packet, &pos);
        if (m_inFlight.isEmpty() || m_inFlight.first().first != id || m_shortRead) {
            sftpFailed(tr("reply out of order or after a short read"), false);
            return;
        }
        if (data.size() < m_inFlight.first().second)
            m_shortRead = true; // only acceptable at the end of the file
        m_inFlight.removeFirst();
        if (m_target->write(data) != data.size()) {
            fail(SshError::TransferFailed,
                 tr("Cannot write %1: %2").arg(m_localPath, m_target->errorString()));
            return;
        }
        m_hash.addData(data);
        m_done += data.size();
        Q_EMIT progressChanged(m_done, m_total);
        pumpSftp();
        return;
    }
    sftpFailed(tr("unexpected reply type %1").arg(type), false);
}

void SshTransfer::pumpSftp()
{
    if (m_finished || m_stage != SftpStage::Transfer)
        return;
    if (m_direction == Direction::Upload) {
        const qint64 acked = m_offset - [this]() {
            qint64 pending = 0;
            for (const auto &r : std::as_const(m_inFlight))
                pending += r.second;
            return pending;
        }();
        if (acked != m_done) {
            m_done = acked;
            Q_EMIT progressChanged(m_done, m_total);
        }
        while (m_inFlight.size() < kSftpPipeline && !m_source.atEnd()) {
            const QByteArray chunk = m_source.read(kSftpBlock);
            if (chunk.isEmpty())
                break;
            m_hash.addData(chunk);
            const quint32 id = m_nextId++;
            sendSftp(FxpWrite, u32(id) + str(m_handle) + u64(quint64(m_offset)) + str(chunk));
            m_inFlight.append({id, chunk.size()});
            m_offset += chunk.size();
        }
        if (m_source.atEnd() && m_inFlight.isEmpty()) {
            m_source.close();
            m_stage = SftpStage::Closing;
            sendSftp(FxpClose, u32(m_nextId++) + str(m_handle));
        }
        return;
    }
    while (!m_eof && !m_shortRead && m_inFlight.size() < kSftpPipeline) {
        const quint32 id = m_nextId++;
        sendSftp(FxpRead, u32(id) + str(m_handle) + u64(quint64(m_offset)) + u32(kSftpBlock));
        m_inFlight.append({id, kSftpBlock});
        m_offset += kSftpBlock;
    }
    if ((m_eof || m_shortRead) && m_inFlight.isEmpty()) {
        m_stage = SftpStage::Closing;
        sendSftp(FxpClose, u32(m_nextId++) + str(m_handle));
    }
}

void SshTransfer::verifyDownload()
{
    m_sha256 = m_hash.result().toHex();
    m_remoteError.clear();
    m_remoteOutput.clear();
    m_command =
        m_session->exec(QStringLiteral("sha256sum < %1").arg(SshSession::shellQuote(m_remotePath)));
    connect(m_command, &SshCommand::stdoutData, this,
            [this](const QByteArray &d) { m_remoteOutput += d.left(4096); });
    connect(m_command, &SshCommand::finished, this,
            [this](int status, const QString &, const SshErrorInfo &error) {
                if (error.isError()) {
                    fail(error.code, error.message);
                } else if (status != 0 || m_remoteOutput.left(64) != m_sha256) {
                    fail(SshError::TransferFailed,
                         tr("Checksum mismatch downloading %1 (file changed while reading?).")
                             .arg(m_remotePath));
                } else if (!m_target->commit()) {
                    fail(SshError::TransferFailed,
                         tr("Cannot save %1: %2").arg(m_localPath, m_target->errorString()));
                } else {
                    succeed();
                }
            });
}

} // namespace Hivelab
