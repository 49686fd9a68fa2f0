// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockersetup.h"

#include "labdocument.h"

namespace Hivelab {

namespace {

constexpr int InstallTimeoutMs = 20 * 60 * 1000; // apt on a slow SD card and a slow mirror
constexpr int StartTimeoutMs = 60 * 1000;
// Lines the board prints on stdout when it passed a step (see install()).
constexpr char InstalledMarker[] = "hivelab-step:installed";
constexpr char StartedMarker[] = "hivelab-step:started";

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
    // Install, start and wait in one command: no round trip between the steps. apt's progress
    // (Status-Fd) comes on stdout, its messages on stderr (kept for the error message).
    const QString packages = installPackages(p).join(QLatin1Char(' '));
    const QString command =
        QStringLiteral("export DEBIAN_FRONTEND=noninteractive; "
                       "apt-get update -q -o APT::Status-Fd=3 3>&1 1>&2 && "
                       "apt-get install -y -q --no-install-recommends -o APT::Status-Fd=3 "
                       "%1 3>&1 1>&2 && echo %2 && ")
            .arg(packages, QLatin1String(InstalledMarker)) +
        engineUpScript(p.initSystem, m_engineWaitSeconds);
    runEngineScript(id, command, QStringLiteral("apt-get install -y %1").arg(packages), true);
}

QStringList DockerSetup::installPackages(const BoardProbe &probe)
{
    // Of docker.io's Recommends only what the swarm needs: without ca-certificates the engine has
    // no roots (pulls and manifest reads from Docker Hub or any public registry fail with
    // "x509: certificate signed by unknown authority"); with AppArmor enforced and no
    // apparmor_parser, Docker 20.10 fails every container start ("the docker-default profile
    // could not be loaded"). git, xz-utils, cgroupfs-mount and needrestart are not needed.
    QStringList packages = {QStringLiteral("docker.io"), QStringLiteral("ca-certificates")};
    if (probe.appArmorEnabled)
        packages << QStringLiteral("apparmor");
    return packages;
}

void DockerSetup::startEngine(const QString &id)
{
    const BoardProbe p = m_probes.value(id);
    runEngineScript(id, engineUpScript(p.initSystem, m_engineWaitSeconds),
                    startEngineCommand(p.initSystem), false);
}

void DockerSetup::runEngineScript(const QString &id, const QString &command, const QString &logAs,
                                  bool installing)
{
    // What the board reported so far: the steps it passed, apt's last progress step logged.
    struct Seen
    {
        bool installed = false;
        bool started = false;
        int aptStep = -1;
    };
    auto seen = std::make_shared<Seen>();
    RemoteOptions options;
    options.timeoutMs =
        (installing ? InstallTimeoutMs : StartTimeoutMs) + m_engineWaitSeconds * 1000;
    options.logAs = tr("%1, then wait until `docker info` answers (at most %2 s)")
                        .arg(logAs)
                        .arg(m_engineWaitSeconds);
    options.outputLine = [this, id, seen](const QByteArray &line) {
        if (line == InstalledMarker) {
            seen->installed = true;
            m_started.insert(id);
            log(id, tr("docker.io installed."));
        } else if (line == StartedMarker) {
            seen->started = true;
            m_started.insert(id);
            log(id, tr("Engine started, waiting until it answers."));
        } else if (const AptStatus status = parseAptStatus(line); status.valid) {
            // At most one line per tenth of each apt run (a fresh board installs ~100
            // packages, five status lines each); a lower percentage starts the next run.
            const int step = int(status.percent) / 10;
            if (step == seen->aptStep)
                return;
            seen->aptStep = step;
            log(id, tr("apt %1%: %2").arg(int(status.percent)).arg(status.text));
        }
    };
    runOn(
        id, command,
        [this, id, seen, installing](const Remote &r) {
            const QString failed = seen->started ? tr("The Docker engine did not come up: %1")
                                   : (seen->installed || !installing)
                                       ? tr("Starting the Docker engine failed: %1")
                                       : tr("Installing docker.io failed: %1");
            if (endBoardIfFailed(id, r, failed))
                return;
            const QList<QByteArray> lines = r.out.trimmed().split('\n');
            const QString version = QString::fromUtf8(lines.last().trimmed());
            document()->setNodeState(id, NodeState::DockerReady);
            finishBoard(id, true, tr("Docker %1 started.").arg(version));
            finishJob();
        },
        options);
}

DockerSetup::AptStatus DockerSetup::parseAptStatus(const QByteArray &line)
{
    // pmstatus:PACKAGE:PERCENT:TEXT (dpkg), dlstatus:N:PERCENT:TEXT (downloads); TEXT may hold ':'.
    AptStatus status;
    if (!line.startsWith("pmstatus:") && !line.startsWith("dlstatus:"))
        return status;
    const QList<QByteArray> parts = line.split(':');
    if (parts.size() < 4)
        return status;
    bool ok = false;
    status.percent = parts.at(2).toDouble(&ok);
    // Written so that NaN ("nan" reads as a number) fails too.
    if (!ok || !(status.percent >= 0 && status.percent <= 100))
        return status;
    status.text = QString::fromUtf8(
                      line.mid(parts.at(0).size() + parts.at(1).size() + parts.at(2).size() + 3))
                      .trimmed();
    status.valid = !status.text.isEmpty();
    return status;
}

QString DockerSetup::engineUpScript(InitSystem::Kind init, int waitSeconds)
{
    // Start (its own exit status: 90 when it failed), then a bounded poll on the board itself:
    // one round trip instead of one per attempt. `docker info` runs once the socket exists (a Go
    // client start each 0.1 s would compete with dockerd for the CPU), and every second anyway
    // for an engine configured to listen elsewhere.
    const int tries = qMax(1, waitSeconds * 10);
    return QStringLiteral("( %1 ) || exit 90; echo %2; "
                          "i=0; while [ $i -lt %3 ]; do "
                          "if { [ -S /var/run/docker.sock ] || [ $((i % 10)) -eq 9 ]; } && "
                          "docker info >/dev/null 2>&1; then "
                          "docker version --format '{{.Server.Version}}'; exit 0; fi; "
                          "i=$((i+1)); sleep 0.1; done; "
                          "echo 'the engine did not answer in time' >&2; "
                          "tail -n 3 /var/log/dockerd.log >&2 2>/dev/null; exit 1")
        .arg(startEngineCommand(init), QLatin1String(StartedMarker), QString::number(tries));
}

} // namespace Hivelab
