// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardprobe.h"
#include "workflowjob.h"

#include <QSet>

namespace Hivelab {

/// "Install Docker": per board (in parallel) detect Docker, whether the engine runs, the init
/// system and root access; install docker.io with apt on the Debian family when it is missing;
/// start the engine (systemctl, the init script, or dockerd detached under setsid when the board
/// has no init system) and wait, bounded, until `docker info` answers. Windows boards are
/// reported as not supported yet. Every board of the lab unless filtered. Updates
/// LabDocument::setNodeState (DockerReady / Reachable / Offline). Async job, GUI thread.
class DockerSetup : public WorkflowJob
{
    Q_OBJECT
public:
    enum class Mode {
        Probe, // only look; a board succeeds when its engine runs
        Setup, // install and start as needed
    };
    Q_ENUM(Mode)

    explicit DockerSetup(LabDocument *document, QObject *parent = nullptr);

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    /// Allow `apt-get install docker.io` (default true); when false a missing Docker fails.
    void setAllowInstall(bool allow) { m_allowInstall = allow; }
    /// Seconds to wait for a started engine to answer (default 30).
    void setEngineWaitSeconds(int seconds) { m_engineWaitSeconds = seconds; }

    /// What the last probe of the board found (valid() false before).
    BoardProbe probe(const QString &boardId) const { return m_probes.value(boardId); }
    /// True when this run started (or installed) the engine on the board.
    bool engineStartedByUs(const QString &boardId) const { return m_started.contains(boardId); }

    /// The root shell command that starts an installed engine on a board with this init system.
    static QString startEngineCommand(InitSystem::Kind init);
    /// startEngineCommand() (exit status 90 when it fails), then a bounded wait on the board
    /// until `docker info` answers; prints the engine's version last.
    static QString engineUpScript(InitSystem::Kind init, int waitSeconds);

    /// The packages `apt-get install --no-install-recommends` installs on a board without
    /// Docker: docker.io, ca-certificates (the engine pulls over TLS with the system's roots) and,
    /// where the kernel enforces AppArmor, apparmor (docs/SWARM.md).
    static QStringList installPackages(const BoardProbe &probe);

    /// One progress line of apt's APT::Status-Fd (`pmstatus:` or `dlstatus:`).
    struct AptStatus
    {
        bool valid = false;
        double percent = 0; // of the whole apt run
        QString text;       // e.g. "Unpacking docker.io (arm64)"
    };
    static AptStatus parseAptStatus(const QByteArray &line);

protected:
    void begin() override;

private:
    void probeBoard(const QString &id);
    void onProbed(const QString &id, const BoardProbe &probe);
    void install(const QString &id);
    void startEngine(const QString &id);
    /// Runs an engineUpScript() (after the install when `installing`), logs its steps and
    /// apt's progress as they come, ends the board.
    void runEngineScript(const QString &id, const QString &command, const QString &logAs,
                         bool installing);

    Mode m_mode = Mode::Setup;
    bool m_allowInstall = true;
    int m_engineWaitSeconds = 30;
    QHash<QString, BoardProbe> m_probes;
    QSet<QString> m_started;
};

} // namespace Hivelab
