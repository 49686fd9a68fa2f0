// SPDX-License-Identifier: GPL-3.0-or-later
#include "filepush.h"

#include "labdocument.h"
#include "sshsession.h"
#include "sshtransfer.h"

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
        finishBoard(id, BoardResult::Outcome::Ok,
                    tr("%n file(s) copied and verified (sha256).", nullptr, int(files.size())));
        finishJob();
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

void FilePush::cancelWork()
{
    const QList<QPointer<SshTransfer>> transfers = m_transfers.values();
    for (const QPointer<SshTransfer> &t : transfers) {
        if (t)
            t->cancel();
    }
}

} // namespace Hivelab
