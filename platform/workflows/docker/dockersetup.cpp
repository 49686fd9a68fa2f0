// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockersetup.h"

#include "labdocument.h"

namespace Hivelab {

namespace {

constexpr int InstallTimeoutMs = 20 * 60 * 1000; // apt on a slow SD card and a slow mirror

} // namespace

DockerSetup::DockerSetup(LabDocument *document, QObject *parent)
    : WorkflowJob(document, parent)
{}

QString DockerSetup::startEngineCommand(InitSystem::Kind init)
{
    switch (init) {
    case InitSystem::Systemd:
        return QStringLiteral("systemctl enable docker >/dev/null 2>&1; systemctl start docker");
    case InitSystem::SysVInit:
        return QStringLiteral("update-rc.d docker defaults >/dev/null 2>&1; service docker start");
    case InitSystem::OpenRc:
        return QStringLiteral("rc-update add docker default >/dev/null 2>&1; "
                              "rc-service docker start");
    case InitSystem::None:
    case InitSystem::Unknown:
        break;
    }
    // Nothing on the board starts services: run dockerd ourselves, in its own session (setsid)
    // with every standard stream away from the SSH channel, so it outlives the channel and the
    // server does not wait for it. Its config comes from /etc/docker/daemon.json as usual. The
    // pid file, not pidof, tells whether one runs: pidof also sees containers' and other
    // namespaces' engines.
    return QStringLiteral(
        "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; "
        "if [ -s /var/run/docker.pid ] && kill -0 \"$(cat /var/run/docker.pid)\" 2>/dev/null; then "
        "echo 'dockerd already runs'; exit 0; fi; "
        "mkdir -p /var/log; "
        "if command -v setsid >/dev/null 2>&1; then "
        "setsid -f dockerd >>/var/log/dockerd.log 2>&1 </dev/null; "
        "else nohup dockerd >>/var/log/dockerd.log 2>&1 </dev/null & fi");
}

void DockerSetup::begin()
{
    const QStringList run = skipWindowsBoards(
        selectLabBoards(), tr("Windows boards are not supported yet: install Docker Engine for "
                              "Windows by hand."));
    for (const QString &id : run)
        probeBoard(id);
    finishJob(); // when every board was Windows
}

void DockerSetup::probeBoard(const QString &id)
{
    RemoteOptions options;
    options.logAs = tr("probe: docker, init system, root access");
    runOn(
        id, BoardProbe::script(),
        [this, id](const Remote &r) {
            if (r.error.isError()) {
                document()->setNodeState(id, NodeState::Offline);
                finishBoard(id, false, describe(r));
                finishJob();
                return;
            }
            const BoardProbe p = BoardProbe::parse(r.out);
            if (!p.valid) {
                document()->setNodeState(id, NodeState::Reachable);
                finishBoard(id, false, tr("Could not inspect the board: %1").arg(describe(r)));
                finishJob();
                return;
            }
            onProbed(id, p);
        },
        options);
}

void DockerSetup::onProbed(const QString &id, const BoardProbe &p)
{
    m_probes.insert(id, p);
    log(id, tr("%1 (%2), init: %3, docker: %4, engine: %5")
                .arg(p.osPretty.isEmpty() ? p.osId : p.osPretty, p.kernelArch,
                     InitSystem::name(p.initSystem),
                     p.dockerInstalled() ? p.docker.clientVersion : tr("not installed"),
                     p.engineRunning ? tr("running %1").arg(p.docker.serverVersion)
                                     : tr("not running")));
    if (!p.isRoot) {
        document()->setNodeState(id, NodeState::Reachable);
        finishBoard(id, false,
                    tr("No root access: log in as root or give the password sudo asks for."));
        finishJob();
        return;
    }
    if (p.engineRunning) {
        // A board already in the swarm keeps its swarm state (the status job owns it).
        if (document()->nodeState(id) != NodeState::SwarmReady)
            document()->setNodeState(id, NodeState::DockerReady);
        finishBoard(id, true, tr("Docker %1 is running.").arg(p.docker.serverVersion));
        finishJob();
        return;
    }
    document()->setNodeState(id, NodeState::Reachable);
    if (m_mode == Mode::Probe) {
        finishBoard(id, false,
                    p.dockerInstalled() ? tr("Docker is installed but the engine is not running.")
                                        : tr("Docker is not installed."));
        finishJob();
        return;
    }
    if (!p.dockerInstalled()) {
        install(id);
        return;
    }
    startEngine(id);
}

void DockerSetup::install(const QString &id)
{
    const BoardProbe p = m_probes.value(id);
    if (!m_allowInstall) {
        finishBoard(id, false, tr("Docker is not installed (installing was not allowed)."));
        finishJob();
        return;
    }
    if (!p.debianFamily() || !p.haveAptGet) {
        finishBoard(id, false,
                    tr("Docker is not installed, and Hivelab installs it only on Debian, Ubuntu, "
                       "Raspberry Pi OS and DietPi (this board runs %1). Install Docker by hand, "
                       "then run this step again.")
                        .arg(p.osPretty.isEmpty() ? tr("an unknown system") : p.osPretty));
        finishJob();
        return;
    }
    RemoteOptions options;
    options.timeoutMs = InstallTimeoutMs;
    options.logAs = QStringLiteral("apt-get install -y docker.io");
    runOn(
        id,
        QStringLiteral("export DEBIAN_FRONTEND=noninteractive; apt-get update -q && "
                       "apt-get install -y -q --no-install-recommends docker.io"),
        [this, id](const Remote &r) {
            if (endBoardIfFailed(id, r, tr("Installing docker.io failed: %1")))
                return;
            log(id, tr("docker.io installed."));
            m_started.insert(id);
            // Packages start the engine only where an init system runs (not in containers).
            startEngine(id);
        },
        options);
}

void DockerSetup::startEngine(const QString &id)
{
    const BoardProbe p = m_probes.value(id);
    RemoteOptions options;
    options.timeoutMs = 60000;
    runOn(
        id, startEngineCommand(p.initSystem),
        [this, id](const Remote &r) {
            if (endBoardIfFailed(id, r, tr("Starting the Docker engine failed: %1")))
                return;
            m_started.insert(id);
            waitForEngine(id);
        },
        options);
}

void DockerSetup::waitForEngine(const QString &id)
{
    // A bounded poll on the board itself: one round trip instead of one per attempt.
    const int tries = qMax(1, m_engineWaitSeconds * 2);
    const QString command =
        QStringLiteral("i=0; while [ $i -lt %1 ]; do "
                       "if docker info >/dev/null 2>&1; then "
                       "docker version --format '{{.Server.Version}}'; exit 0; fi; "
                       "i=$((i+1)); sleep 0.5; done; "
                       "echo 'the engine did not answer in time' >&2; "
                       "tail -n 3 /var/log/dockerd.log >&2 2>/dev/null; exit 1")
            .arg(tries);
    RemoteOptions options;
    options.timeoutMs = m_engineWaitSeconds * 1000 + 15000;
    options.logAs = tr("wait until `docker info` answers (at most %1 s)").arg(m_engineWaitSeconds);
    runOn(
        id, command,
        [this, id](const Remote &r) {
            if (endBoardIfFailed(id, r, tr("The Docker engine did not come up: %1")))
                return;
            const QString version = QString::fromUtf8(r.out.trimmed());
            document()->setNodeState(id, NodeState::DockerReady);
            finishBoard(id, true, tr("Docker %1 started.").arg(version));
            finishJob();
        },
        options);
}

} // namespace Hivelab
