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

} // namespace Hivelab
