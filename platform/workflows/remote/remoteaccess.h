// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "certificateauthority.h"
#include "workflowjob.h"

#include <memory>

namespace Hivelab {

class RemoteAccessStore;

/// "Remote access": the lab's Docker engines on TLS with client verification (port 2376), so
/// the laptop's docker CLI reaches the swarm directly (docs/REMOTE.md). Per board, in parallel:
/// look at the board (hostname, addresses, init system, the running engine's command line,
/// daemon.json, the certificate deployed); issue its server certificate from the lab's CA when
/// missing, due, not covering the board's names and addresses, or in Renew mode (SANs:
/// hostnames, planned and discovered addresses, localhost, 127.0.0.1); write the CA, the
/// certificate and the key (0600) to /etc/docker/hivelab as root through stdin (never on a
/// command line, never world-readable on the way), sha256-checked, renamed into place; merge
/// TLS into /etc/docker/daemon.json; restart the engine — systemd with a drop-in that drops a
/// `-H` from the unit's ExecStart, else the engine's own command line without its -H/--tls
/// flags — and, if it does not answer, restore the old daemon.json and restart it the old way
/// (reported as rolled back). The laptop's client certificate is issued on the way.
/// Status mode changes nothing: a board succeeds when it serves the lab's current
/// certificate on 2376 and no renewal is due. DockerGroup mode adds the login user to the
/// board's `docker` group (for ssh:// contexts). Async job, GUI thread.
class RemoteAccess : public WorkflowJob
{
    Q_OBJECT
public:
    enum class Mode {
        Setup,       // issue what is missing or due, deploy where it differs, restart
        Renew,       // re-issue every certificate (server and client) and redeploy
        Status,      // only look
        DockerGroup, // add the login user to the docker group
    };
    Q_ENUM(Mode)

    /// What happened on a board (per board, after it finished).
    enum class BoardState {
        Unknown,
        Enabled,        // restarted with TLS
        AlreadyEnabled, // the current certificate already served, nothing changed
        RolledBack,     // the engine did not come up with TLS: old config restored, restarted
        RollbackFailed, // … and did not come up with the old one either
        NotSetUp,       // status: no TLS, or another certificate than the lab's
        RenewalDue,     // status: set up, but the certificate expires soon
    };
    Q_ENUM(BoardState)

    RemoteAccess(LabDocument *document, RemoteAccessStore *store, QObject *parent = nullptr);
    ~RemoteAccess() override;

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    void setValidDays(int days) { m_validDays = days; }
    void setRenewBeforeDays(int days) { m_renewBeforeDays = days; }
    /// Seconds to wait for a restarted engine to answer (default 30).
    void setEngineWaitSeconds(int seconds) { m_engineWaitSeconds = seconds; }

    BoardState boardState(const QString &boardId) const { return m_states.value(boardId); }
    /// The board's server certificate as stored on the laptop (after the run).
    CertificateInfo certificate(const QString &boardId) const;
    /// The laptop's client certificate (after the run).
    CertificateInfo clientCertificate() const;

protected:
    void begin() override;

private:
    struct Probe
    {
        QString hostname;
        QStringList addresses;
        bool systemd = false;
        QStringList execStart; // systemd: the unit's ExecStart argv
        QString pid;           // the running engine (no systemd)
        QStringList argv;      // its command line
        QString logFile;       // where its stderr goes
        QByteArray daemonJson;
        bool haveDaemonJson = false;
        QByteArray deployedSha256; // the certificate on the board
        bool listening = false;    // something listens on 2376
    };
    void probe(const QString &id);
    void onProbed(const QString &id, const Probe &p);
    struct RootFile
    {
        QString path;
        QByteArray data;
        int mode;
    };
    void status(const QString &id, const Probe &p);
    void deploy(const QString &id, const Probe &p);
    void writeFiles(const QString &id, const Probe &p, QList<RootFile> files);
    /// Writes `data` to `path` as root (stdin, sha256-checked, renamed into place), then `next`.
    void writeRootFile(const QString &id, const QString &path, const QByteArray &data, int mode,
                       const std::function<void()> &next);
    void restart(const QString &id, const Probe &p);
    void addToDockerGroup(const QString &id);
    void finish(const QString &id, BoardState state, bool ok, const QString &message);

    RemoteAccessStore *m_store;
    Mode m_mode = Mode::Setup;
    int m_validDays;
    int m_renewBeforeDays;
    int m_engineWaitSeconds = 30;
    std::unique_ptr<CertificateAuthority> m_ca;
    QHash<QString, BoardState> m_states;
};

} // namespace Hivelab
