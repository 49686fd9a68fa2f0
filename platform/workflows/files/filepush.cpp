// SPDX-License-Identifier: GPL-3.0-or-later
#include "filepush.h"

#include "labdocument.h"
#include "sha256.h"
#include "sshsession.h"
#include "sshtransfer.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace Hivelab {

FilePush::FilePush(LabDocument *document, QObject *parent)
    : WorkflowJob(document, parent)
{}

void FilePush::setBoardFiles(const QString &boardId, const QList<FileCopy> &files)
{
    m_boardFiles.insert(boardId, files);
}

QByteArray FilePush::sha256(const QString &boardId, const QString &remotePath) const
{
    return m_sha256.value(boardId).value(remotePath);
}

QList<FileCopy> FilePush::filesFor(const QString &boardId) const
{
    return m_boardFiles.value(boardId, m_files);
}

void FilePush::begin()
{
    const QStringList run = skipWindowsBoards(
        selectLabBoards([this](const Board &b) { return !filesFor(b.id).isEmpty(); }),
        tr("Copying files to Windows boards is not supported yet."));
    for (const QString &id : run) {
        const QList<FileCopy> files = filesFor(id);
        if (std::any_of(files.cbegin(), files.cend(), [](const FileCopy &f) { return f.asRoot; })) {
            pushAsRoot(id, 0);
            continue;
        }
        withSession(
            id, [this, id](SshSession *session, const SshLogin &) { pushNext(id, session, 0); });
    }
    finishJob(); // when every board was Windows
}

void FilePush::pushNext(const QString &id, SshSession *session, int index)
{
    const QList<FileCopy> files = filesFor(id);
    if (index >= files.size()) {
        releaseSession(id, SshErrorInfo());
        boardDone(id, int(files.size()));
        return;
    }
    const FileCopy file = files.at(index);
    log(id, tr("%1 → %2 (mode %3)")
                .arg(file.localPath, file.remotePath, QString::number(file.mode, 8)));
    SshTransfer *transfer =
        SshTransfer::upload(session, file.localPath, file.remotePath, file.mode, this);
    m_transfers.insert(id, transfer);
    connect(transfer, &SshTransfer::finished, this,
            [this, id, session = QPointer<SshSession>(session), index, file,
             transfer](const SshErrorInfo &error) {
                m_transfers.remove(id);
                transfer->deleteLater();
                if (error.isError() || !session) {
                    releaseSession(id, error);
                    finishBoard(id, false, tr("%1: %2").arg(file.remotePath, error.message));
                    finishJob();
                    return;
                }
                m_sha256[id].insert(file.remotePath, transfer->sha256());
                log(id, tr("%1: sha256 %2 verified (%3)")
                            .arg(file.remotePath, QString::fromLatin1(transfer->sha256()),
                                 transfer->usedMethod() == SshTransfer::Method::Sftp
                                     ? QStringLiteral("SFTP")
                                     : QStringLiteral("exec")));
                pushNext(id, session, index + 1);
            });
}

void FilePush::boardDone(const QString &id, int files)
{
    finishBoard(id, BoardResult::Outcome::Ok,
                tr("%n file(s) copied and verified (sha256).", nullptr, files));
    finishJob();
}

QString FilePush::rootWriteCommand(const QString &path, const QByteArray &sha256Hex, int mode)
{
    const QFileInfo info(path);
    const QString folder = info.path();
    const QString temp = folder + QStringLiteral("/.") + info.fileName() +
                         QStringLiteral(".hivelab-tmp");
    // umask 077: the bytes (a private key, say) are never readable by others on the way.
    return QStringLiteral("umask 077; mkdir -p %1 && rm -f %2 && cat >%2 && "
                          "printf '%s  %s\\n' %3 %2 | sha256sum -c --status && "
                          "chown 0:0 %2 && chmod %4 %2 && mv -f %2 %5 || { rm -f %2; "
                          "echo 'failed (checksum, space or permissions):' %5 >&2; exit 1; }")
        .arg(SshSession::shellQuote(folder), SshSession::shellQuote(temp),
             QString::fromLatin1(sha256Hex), QString::number(mode, 8),
             SshSession::shellQuote(path));
}

void FilePush::pushAsRoot(const QString &id, int index)
{
    const QList<FileCopy> files = filesFor(id);
    if (index >= files.size()) {
        boardDone(id, int(files.size()));
        return;
    }
    const FileCopy file = files.at(index);
    QFile local(file.localPath);
    if (!file.remotePath.startsWith(QLatin1Char('/')) || !local.open(QIODevice::ReadOnly)) {
        finishBoard(id, false,
                    file.remotePath.startsWith(QLatin1Char('/'))
                        ? tr("Cannot read %1: %2").arg(file.localPath, local.errorString())
                        : tr("%1: a file written as root needs an absolute path.")
                              .arg(file.remotePath));
        finishJob();
        return;
    }
    const QByteArray data = local.readAll();
    Sha256 hash;
    hash.add(data.constData(), data.size());
    const QByteArray sum = hash.hexDigest();
    RemoteOptions options;
    options.stdinData = data; // never on a command line
    options.logAs = tr("%1 → %2 as root (mode %3)")
                        .arg(file.localPath, file.remotePath, QString::number(file.mode, 8));
    runOn(
        id, rootWriteCommand(file.remotePath, sum, file.mode),
        [this, id, index, file, sum](const Remote &r) {
            if (!r.ok()) {
                finishBoard(id, false, tr("%1: %2").arg(file.remotePath, describe(r)));
                finishJob();
                return;
            }
            m_sha256[id].insert(file.remotePath, sum);
            log(id, tr("%1: sha256 %2 verified (root, exec)")
                        .arg(file.remotePath, QString::fromLatin1(sum)));
            pushAsRoot(id, index + 1);
        },
        options);
}

void FilePush::cancelWork()
{
    const QList<QPointer<SshTransfer>> transfers = m_transfers.values();
    for (const QPointer<SshTransfer> &t : transfers) {
        if (t)
            t->cancel();
    }
}

} // namespace Hivelab
