// SPDX-License-Identifier: GPL-3.0-or-later
#include "identifyworkflow.h"

#include "labdocument.h"

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
    RemoteOptions options;
    options.asRoot = false;
    options.logAs = tr("identify: hostname, model, arch, OS, disks, Docker");
    for (const QString &id : run) {
        runOn(
            id, HostFacts::compoundCommand(),
            [this, id](const Remote &r) {
                if (r.error.isError() && r.exitStatus < 0) {
                    finishBoard(id, false, describe(r));
                } else {
                    const HostFacts f = HostFacts::parseCompound(r.out);
                    m_facts.insert(id, f);
                    const QString what = summary(f);
                    finishBoard(id, true,
                                what.isEmpty() ? tr("Signed in.") : tr("Signed in: %1").arg(what));
                }
                finishJob();
            },
            options);
    }
}

} // namespace Hivelab
