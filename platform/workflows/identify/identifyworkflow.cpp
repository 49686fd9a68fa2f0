// SPDX-License-Identifier: GPL-3.0-or-later
#include "identifyworkflow.h"

#include "labdocument.h"
#include "swarmnode.h"

namespace Hivelab {

namespace {
// The identification prints a few KiB; a board cannot make the job hold more.
constexpr int IdentifyTimeoutMs = 20000;
} // namespace

IdentifyWorkflow::IdentifyWorkflow(LabDocument *document, QObject *parent)
    : WorkflowJob(document, parent)
{
    setCommandTimeoutMs(IdentifyTimeoutMs);
}

std::optional<HostFacts> IdentifyWorkflow::facts(const QString &boardId) const
{
    const auto it = m_facts.constFind(boardId);
    if (it == m_facts.cend())
        return std::nullopt;
    return *it;
}

QString IdentifyWorkflow::summary(const HostFacts &f)
{
    QStringList parts;
    for (const QString &s : {f.hostname, f.modelName(), f.debianArch(), f.osPrettyName})
        if (!s.isEmpty())
            parts << s;
    if (!f.dockerVersion.isEmpty())
        parts << tr("Docker %1").arg(f.dockerVersion);
    return parts.join(QStringLiteral(", "));
}

void IdentifyWorkflow::begin()
{
    const QStringList run = selectLabBoards();
    // Node labels once every board answered: a manager may sign in after its workers.
    const auto identifiedAll = afterAll(int(run.size()), [this]() { readNodeLabels(); });
    RemoteOptions options;
    options.asRoot = false;
    options.logAs = tr("identify: hostname, model, arch, OS, disks, Docker");
    for (const QString &id : run) {
        runOn(
            id, HostFacts::compoundCommand(),
            [this, id, identifiedAll](const Remote &r) {
                identified(id, r);
                identifiedAll();
                finishJob();
            },
            options);
    }
}

void IdentifyWorkflow::identified(const QString &boardId, const Remote &r)
{
    if (r.error.isError() && r.exitStatus < 0) {
        finishBoard(boardId, false, describe(r));
        return;
    }
    const HostFacts f = HostFacts::parseCompound(r.out);
    m_facts.insert(boardId, f);
    if (f.swarmRole().isEmpty())
        finishSignedIn(boardId);
    else
        m_members << boardId;
}

void IdentifyWorkflow::finishSignedIn(const QString &boardId)
{
    const QString what = summary(m_facts.value(boardId));
    finishBoard(boardId, true, what.isEmpty() ? tr("Signed in.") : tr("Signed in: %1").arg(what));
}

void IdentifyWorkflow::readNodeLabels()
{
    QString manager;
    for (const QString &id : std::as_const(m_members)) {
        const HostFacts &f = m_facts[id];
        if (f.swarmManager && !m_asked.contains(id) && !m_listed.contains(f.swarmNodeId)) {
            manager = id;
            break;
        }
    }
    if (manager.isEmpty()) {
        for (const QString &id : std::as_const(m_members)) {
            if (!m_listed.contains(m_facts.value(id).swarmNodeId))
                log(id, tr("Node labels not read: no manager of its swarm signed in."));
            finishSignedIn(id);
        }
        m_members.clear();
        return;
    }
    m_asked.insert(manager);
    HttpRequest nodes;
    nodes.path = "/nodes";
    RemoteOptions options;
    options.asRoot = false;
    callEngine(
        manager, nodes,
        [this, manager](const Remote &r) {
            if (r.engineOk()) {
                for (const SwarmNode &node : SwarmNode::parseList(r.out)) {
                    m_listed.insert(node.id);
                    for (const QString &id : std::as_const(m_members)) {
                        if (m_facts.value(id).swarmNodeId == node.id)
                            m_facts[id].swarmNodeLabels = node.labels;
                    }
                }
            } else {
                log(manager, tr("Cannot list the swarm's nodes: %1").arg(describe(r)));
            }
            readNodeLabels();
            finishJob();
        },
        options);
}

} // namespace Hivelab
