// SPDX-License-Identifier: GPL-3.0-or-later
#include "nodeavailability.h"

namespace Hivelab {

NodeAvailability::NodeAvailability(LabDocument *document, QObject *parent)
    : SwarmStatus(document, parent)
{}

QString NodeAvailability::dockerWord(Availability availability)
{
    switch (availability) {
    case Availability::Active:
        return QStringLiteral("active");
    case Availability::Drain:
        return QStringLiteral("drain");
    case Availability::Pause:
        return QStringLiteral("pause");
    }
    return QStringLiteral("active");
}

void NodeAvailability::report()
{
    const QHash<QString, SwarmNode> byBoard = nodeByBoard();
    const QString word = dockerWord(m_availability);
    QStringList todo;
    for (const QString &id : boardIds()) {
        if (!byBoard.contains(id))
            finishBoard(id, false, tr("Not in the swarm."));
        else
            todo << id;
    }
    m_pending = int(todo.size());
    if (todo.isEmpty()) {
        finishJob();
        return;
    }
    for (const QString &id : std::as_const(todo)) {
        const SwarmNode node = byBoard.value(id);
        // Node IDs are Docker's own hex IDs: safe on a command line.
        runOn(managerBoardId(),
              QStringLiteral("docker node update --availability %1 %2").arg(word, node.id),
              [this, id, node, word](const Remote &r) {
                  if (!r.ok()) {
                      finishBoard(id, false, tr("docker node update failed: %1").arg(describe(r)));
                  } else {
                      document()->setNodeAvailability(id, word);
                      switch (m_availability) {
                      case Availability::Drain:
                          finishBoard(id, true,
                                      tr("%1 drained: its tasks move to other nodes.")
                                          .arg(node.hostname));
                          break;
                      case Availability::Pause:
                          finishBoard(id, true,
                                      tr("%1 paused: no new tasks, running ones stay.")
                                          .arg(node.hostname));
                          break;
                      case Availability::Active:
                          finishBoard(id, true,
                                      tr("%1 active: it takes tasks again.").arg(node.hostname));
                          break;
                      }
                  }
                  if (--m_pending == 0)
                      finishJob();
              });
    }
}

} // namespace Hivelab
