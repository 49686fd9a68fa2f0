// SPDX-License-Identifier: GPL-3.0-or-later
#include "formswarmpage.h"

#include "boardcatalog.h"
#include "labdocument.h"

#include "swarmformation.h"

namespace Hivelab {

namespace {

QString loginUser(const Board &b)
{
    return b.sshUser.isEmpty() ? BoardCatalog::builtin().defaultLoginUser(b) : b.sshUser;
}

} // namespace

FormSwarmPage::FormSwarmPage(SetupWizard *wizard)
    : RemoteStepPage(wizard, SetupWizard::FormSwarmPageId, tr("&Form swarm"))
{
    setTitle(tr("Form the swarm"));
    setSubTitle(tr("The first manager starts the swarm; the other boards join it with a token."));
}

QString FormSwarmPage::formationCommands(const Lab &lab)
{
    QList<const Board *> managers;
    QList<const Board *> workers;
    for (const Board &b : lab.boards) {
        if (b.role == Role::Manager)
            managers << &b;
        else
            workers << &b;
    }
    if (managers.isEmpty())
        return tr("# Choose at least one manager on the previous step.");
    const Board *first = managers.first();
    const QString addr = first->ip.isEmpty() ? first->sshTarget() : first->ip;
    QString text;
    text +=
        tr("# 1. On %1 (%2): start the swarm and print the join tokens\n").arg(first->name, addr);
    text += QStringLiteral("docker swarm init --advertise-addr %1\n").arg(addr);
    text += QStringLiteral("docker swarm join-token -q manager\n");
    text += QStringLiteral("docker swarm join-token -q worker\n");
    if (managers.size() > 1) {
        text += tr("\n# 2. On each other manager, with the manager token:\n");
        for (int i = 1; i < managers.size(); ++i)
            text += QStringLiteral("ssh %1@%2 docker swarm join --token MANAGER-TOKEN %3:2377\n")
                        .arg(loginUser(*managers[i]), managers[i]->sshTarget(), addr);
    }
    if (!workers.isEmpty()) {
        text += tr("\n# 3. On each worker, with the worker token:\n");
        for (const Board *w : workers)
            text += QStringLiteral("ssh %1@%2 docker swarm join --token WORKER-TOKEN %3:2377\n")
                        .arg(loginUser(*w), w->sshTarget(), addr);
    }
    return text;
}

QString FormSwarmPage::skipReason(const Board &board) const
{
    if (board.isWindows())
        return tr("Windows board: join it by hand with the worker command above.");
    return RemoteStepPage::skipReason(board);
}

WorkflowJob *FormSwarmPage::createJob()
{
    auto *job = new SwarmFormation(m_wizard->document(), this);
    job->setOperation(SwarmFormation::Operation::Form);
    return job;
}

QString FormSwarmPage::instructionsHtml() const
{
    return tr("<p>Press <i>Form swarm</i>: Hivelab starts the swarm on the first manager (or "
              "reuses the one your managers already run), joins every other board to it in "
              "parallel, promotes the planned managers only while the swarm keeps its quorum, and "
              "checks that every board is Ready in its planned role. Join tokens never appear in "
              "logs or on the boards' command lines. Running it again changes nothing that is "
              "already right. By hand, the same steps are:</p>") +
           QStringLiteral("<pre>%1</pre>")
               .arg(formationCommands(m_wizard->document()->lab()).toHtmlEscaped());
}

QString FormSwarmPage::doneText() const
{
    return tr("%1 of %2 boards in the swarm");
}

} // namespace Hivelab
