// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmlabels.h"

namespace Hivelab {

SwarmLabels::SwarmLabels(LabDocument *document, QObject *parent)
    : SwarmStatus(document, parent)
{}

void SwarmLabels::report()
{
    const QHash<QString, SwarmNode> byBoard = nodeByBoard();
    QList<QPair<QString, SwarmNode>> todo;
    for (const QString &id : boardIds()) {
        if (!byBoard.contains(id)) {
            finishBoard(id, false, tr("Not in the swarm."));
            continue;
        }
        const SwarmNode n = byBoard.value(id);
        const NodeLabels::Diff diff = n.labelDiff(document()->lab(), id);
        if (diff.isEmpty()) {
            finishBoard(id, true, tr("%1: labels match the plan.").arg(n.hostname));
            continue;
        }
        m_differences.insert(id, diff);
        if (m_checkOnly)
            finishBoard(id, false,
                        tr("%1: labels differ from the plan: %2").arg(n.hostname, diff.describe()));
        else
            todo << qMakePair(id, n);
    }
    m_pending = int(todo.size());
    if (todo.isEmpty()) {
        finishJob();
        return;
    }
    for (const auto &[boardId, node] : std::as_const(todo)) {
        const QString id = boardId;
        const SwarmNode n = node;
        const NodeLabels::Diff diff = m_differences.value(id);
        callEngine(managerBoardId(), n.labelsRequest(diff.applied(n.labels)),
                   [this, id, n, diff](const Remote &r) {
                       if (r.engineOk())
                           finishBoard(id, true,
                                       tr("%1: labels set: %2").arg(n.hostname, diff.describe()));
                       else
                           finishBoard(
                               id, false,
                               tr("%1: labels could not be set: %2").arg(n.hostname, describe(r)));
                       if (--m_pending == 0)
                           finishJob();
                   });
    }
}

} // namespace Hivelab
