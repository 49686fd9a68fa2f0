// SPDX-License-Identifier: GPL-3.0-or-later
#include "stackdeploy.h"

#include "composefile.h"

#include <QRegularExpression>

namespace Hivelab {

namespace {

// An image reference as a registry names it; anything else (variables, spaces) is not looked
// up and never reaches an HTTP request line.
bool isPlainImageReference(const QString &image)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._/:@-]*$"));
    return image.size() <= 512 && re.match(image).hasMatch();
}

} // namespace

StackDeploy::StackDeploy(LabDocument *document, QObject *parent)
    : SwarmStatus(document, parent)
{}

bool StackDeploy::isValidStackName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"));
    return re.match(name).hasMatch();
}

void StackDeploy::setCompose(const QByteArray &yaml, const QString &stackName)
{
    m_compose = yaml;
    m_name = stackName;
}

void StackDeploy::begin()
{
    ComposeFile file;
    QString error;
    if (!file.parse(m_compose, &error)) {
        failJob(tr("The Compose file cannot be read: %1").arg(error));
        return;
    }
    if (m_name.isEmpty())
        m_name = file.projectName();
    if (!isValidStackName(m_name)) {
        failJob(m_name.isEmpty()
                    ? tr("Name the stack (the Compose file has no top-level name).")
                    : tr("\"%1\" is not a stack name: use letters, digits, '_', '.' and '-', "
                         "starting with a letter or digit, at most 63 characters.")
                          .arg(m_name));
        return;
    }
    const QStringList local = file.localFileReferences();
    if (!local.isEmpty()) {
        failJob(tr("The Compose file refers to files next to it (%1); the stack is deployed on "
                   "a manager, where they are not. Use images with the files built in, or "
                   "configs and secrets created on the swarm (external: true).")
                    .arg(local.join(QStringLiteral(", "))));
        return;
    }
    for (const ComposeFile::Service &s : file.services()) {
        ServicePlan plan;
        plan.service = s.name;
        plan.image = s.image;
        m_plans << plan;
    }
    SwarmStatus::begin();
}

void StackDeploy::report()
{
    setBoards({managerBoardId()});
    for (const SwarmNode &n : nodes()) {
        if (n.isReady() && n.availability != QLatin1String("Drain"))
            m_nodeArchs << StackPlacement::normalNodeArchitecture(n.platformArchitecture);
    }
    log(managerBoardId(), tr("Stack %1: %2 service(s); looking up their images from this manager.")
                              .arg(m_name)
                              .arg(m_plans.size()));
    inspect(0);
}

void StackDeploy::inspect(int index)
{
    setProgress(index, m_plans.size() + 1);
    if (index >= m_plans.size()) {
        deploy();
        return;
    }
    ServicePlan &plan = m_plans[index];
    if (plan.image.isEmpty() || !isPlainImageReference(plan.image)) {
        plan.checkError = plan.image.isEmpty() ? tr("no image") : tr("not a plain image reference");
        inspect(index + 1);
        return;
    }
    HttpRequest request;
    request.path = "/distribution/" + plan.image.toUtf8() + "/json";
    RemoteOptions options;
    options.timeoutMs = 30000; // a registry that does not answer
    callEngine(
        managerBoardId(), request,
        [this, index](const Remote &r) {
            if (r.cancelled)
                return;
            ServicePlan &p = m_plans[index];
            const ImagePlatforms platforms = ImagePlatforms::parseDistribution(r.out);
            if (r.error.isError())
                p.checkError = describe(r);
            else if (!platforms.isValid())
                p.checkError = platforms.error;
            else
                p.platforms = platforms.platforms;
            if (p.checked())
                log(managerBoardId(),
                    tr("%1: %2 is published for %3.")
                        .arg(p.service, p.image, p.platforms.join(QStringLiteral(", "))));
            inspect(index + 1);
        },
        options);
}

void StackDeploy::deploy()
{
    ComposeFile file;
    file.parse(m_compose, nullptr);
    const QList<ComposeFile::Service> services = file.services();
    QStringList unrunnable;
    for (ServicePlan &plan : m_plans) {
        ComposeFile::Service own;
        for (const ComposeFile::Service &s : services) {
            if (s.name == plan.service)
                own = s;
        }
        plan.spreadAdded =
            file.addSpreadPreference(plan.service, StackPlacement::rackSpreadDescriptor());
        if (!plan.checked()) {
            m_warnings << tr("Service %1: the architectures of %2 were not checked (%3).")
                              .arg(plan.service,
                                   plan.image.isEmpty() ? tr("its image") : plan.image,
                                   plan.checkError);
            continue;
        }
        plan.fit = StackPlacement::fit(plan.platforms, m_nodeArchs);
        if (!StackPlacement::constrainsArchitecture(own.constraints)) {
            plan.constraintsAdded =
                StackPlacement::architectureConstraints(plan.platforms, m_nodeArchs);
            file.addConstraints(plan.service, plan.constraintsAdded);
        }
        if (plan.fit.runnable == 0 && plan.fit.total > 0) {
            unrunnable << plan.service;
            m_warnings << tr("Service %1 cannot run on any board: %2 is published for %3, the "
                             "swarm's boards are %4.")
                              .arg(plan.service, plan.image,
                                   plan.platforms.join(QStringLiteral(", ")),
                                   plan.fit.missingArchs.join(QStringLiteral(", ")));
        } else if (!plan.fit.fitsAll()) {
            m_warnings << tr("Service %1 only runs on %2 boards (%3 of %4).")
                              .arg(plan.service,
                                   plan.fit.runnableArchs.join(QStringLiteral(" and ")))
                              .arg(plan.fit.runnable)
                              .arg(plan.fit.total);
        }
    }
    m_amended = file.toYaml();
    for (const QString &w : std::as_const(m_warnings))
        log(managerBoardId(), w);
    if (!unrunnable.isEmpty() && !m_force) {
        failJob(tr("Not deployed: %1 would never start on this swarm (force to deploy anyway).")
                    .arg(unrunnable.join(QStringLiteral(", "))));
        return;
    }
    if (m_dryRun) {
        setProgress(m_plans.size() + 1, m_plans.size() + 1);
        finishBoard(managerBoardId(), true,
                    tr("Checked; stack %1 not deployed (dry run).").arg(m_name));
        finishJob();
        return;
    }
    RemoteOptions options;
    options.stdinData = m_amended;
    options.timeoutMs = 120000; // networks and services of a large stack
    // The name is checked (isValidStackName): safe on the command line.
    runOn(
        managerBoardId(), QStringLiteral("docker stack deploy --compose-file - %1").arg(m_name),
        [this](const Remote &r) {
            if (r.cancelled)
                return;
            if (endBoardIfFailed(managerBoardId(), r, tr("docker stack deploy failed: %1")))
                return;
            setProgress(m_plans.size() + 1, m_plans.size() + 1);
            finishBoard(managerBoardId(), true,
                        tr("Stack %1 deployed: %2 service(s).").arg(m_name).arg(m_plans.size()));
            finishJob();
        },
        options);
}

} // namespace Hivelab
