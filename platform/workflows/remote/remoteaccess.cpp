// SPDX-License-Identifier: GPL-3.0-or-later
#include "remoteaccess.h"

#include "dockertls.h"
#include "filepush.h"
#include "labdocument.h"
#include "remoteaccessstore.h"
#include "sha256.h"
#include "sshsession.h"

#include <QDateTime>
#include <QHostAddress>

namespace Hivelab {

namespace {

QString q(const QString &text)
{
    return SshSession::shellQuote(text);
}

QString quoteAll(const QStringList &args)
{
    QStringList quoted;
    for (const QString &a : args)
        quoted << q(a);
    return quoted.join(QLatin1Char(' '));
}

QString dateText(const QDateTime &when)
{
    return when.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

const char *const PathLine = "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; ";
const char *const DropIn = "/etc/systemd/system/docker.service.d/hivelab-tls.conf";

} // namespace

RemoteAccess::RemoteAccess(LabDocument *document, RemoteAccessStore *store, QObject *parent)
    : WorkflowJob(document, parent)
    , m_store(store)
    , m_validDays(RemoteAccessStore::DefaultValidDays)
    , m_renewBeforeDays(RemoteAccessStore::DefaultRenewBeforeDays)
{}

RemoteAccess::~RemoteAccess() = default;

CertificateInfo RemoteAccess::certificate(const QString &boardId) const
{
    return m_store->boardCertificate(boardId);
}

CertificateInfo RemoteAccess::clientCertificate() const
{
    return m_store->clientCertificate();
}

void RemoteAccess::begin()
{
    const QStringList run = skipWindowsBoards(
        selectLabBoards(), tr("Remote access to Windows boards is not supported yet."));
    if (m_mode == Mode::Setup || m_mode == Mode::Renew) {
        QString error;
        std::optional<CertificateAuthority> ca = m_store->loadOrCreateCa(&error);
        if (!ca) {
            failJob(tr("The lab's certificate authority: %1").arg(error));
            finishJob();
            return;
        }
        m_ca = std::make_unique<CertificateAuthority>(std::move(*ca));
        if (!m_store->ensureClient(*m_ca, m_validDays, m_renewBeforeDays, m_mode == Mode::Renew,
                                   &error)) {
            failJob(tr("The laptop's client certificate: %1").arg(error));
            finishJob();
            return;
        }
        log(QString(), tr("Client certificate in %1, valid until %2.")
                           .arg(m_store->clientFolder(),
                                dateText(m_store->clientCertificate().notAfter)));
    } else if (m_mode == Mode::Status && !m_store->hasCa()) {
        log(QString(), tr("No certificate authority for this lab yet (in %1).")
                           .arg(m_store->folder()));
    }
    setProgress(0, run.size());
    for (const QString &id : run) {
        if (m_mode == Mode::DockerGroup)
            addToDockerGroup(id);
        else
            probe(id);
    }
    finishJob(); // when there was no board to run
}

void RemoteAccess::probe(const QString &id)
{
    const QString cert = DockerTls::boardCertificatePath();
    const QString script =
        QString::fromLatin1(PathLine) +
        QStringLiteral(
            "echo \"hostname=$(hostname)\"; "
            "echo \"addresses=$(ip -o addr show 2>/dev/null | base64 -w0)\"; "
            "if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then "
            "echo init=systemd; "
            "echo \"execstart=$(systemctl show -p ExecStart docker 2>/dev/null | head -n 1)\"; "
            "fi; "
            "pid=$(cat /var/run/docker.pid 2>/dev/null); "
            "if [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; then echo \"pid=$pid\"; "
            "echo \"argv=$(base64 -w0 </proc/$pid/cmdline)\"; "
            "echo \"log=$(readlink /proc/$pid/fd/2)\"; fi; "
            "if [ -f /etc/docker/daemon.json ]; then "
            "echo \"daemonjson=$(base64 -w0 </etc/docker/daemon.json)\"; fi; "
            "if [ -f %1 ]; then echo \"deployed=$(sha256sum <%1 | cut -d' ' -f1)\"; fi; "
            // 2376 = 0x0948, state 0A = LISTEN
            "if grep -qE ':0948 [0-9A-F:]+ 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null; "
            "then echo listening=yes; fi")
            .arg(q(cert));
    RemoteOptions options;
    options.logAs = tr("look at the engine, daemon.json and the certificate deployed");
    runOn(
        id, script,
        [this, id](const Remote &r) {
            if (!r.ok()) {
                finish(id, BoardState::Unknown, false, tr("Could not look at the board: %1").arg(describe(r)));
                return;
            }
            Probe p;
            for (const QByteArray &raw : r.out.split('\n')) {
                const QString line = QString::fromUtf8(raw);
                const QString key = line.section(QLatin1Char('='), 0, 0);
                const QString value = line.section(QLatin1Char('='), 1);
                if (key == QLatin1String("hostname")) {
                    p.hostname = value.trimmed();
                } else if (key == QLatin1String("addresses")) {
                    p.addresses = DockerTls::hostAddresses(
                        QString::fromUtf8(QByteArray::fromBase64(value.toLatin1())));
                } else if (key == QLatin1String("init")) {
                    p.systemd = value == QLatin1String("systemd");
                } else if (key == QLatin1String("execstart")) {
                    p.execStart = DockerTls::systemdExecStart(value);
                } else if (key == QLatin1String("pid")) {
                    p.pid = value.trimmed();
                } else if (key == QLatin1String("argv")) {
                    const QByteArray argv = QByteArray::fromBase64(value.toLatin1());
                    for (const QByteArray &a : argv.split('\0')) {
                        if (!a.isEmpty())
                            p.argv << QString::fromUtf8(a);
                    }
                } else if (key == QLatin1String("log")) {
                    p.logFile = value.trimmed();
                } else if (key == QLatin1String("daemonjson")) {
                    p.daemonJson = QByteArray::fromBase64(value.toLatin1());
                    p.haveDaemonJson = true;
                } else if (key == QLatin1String("deployed")) {
                    p.deployedSha256 = value.trimmed().toLatin1();
                } else if (key == QLatin1String("listening")) {
                    p.listening = true;
                }
            }
            onProbed(id, p);
        },
        options);
}

void RemoteAccess::onProbed(const QString &id, const Probe &p)
{
    if (m_mode == Mode::Status) {
        status(id, p);
        return;
    }
    if (!p.systemd && p.pid.isEmpty()) {
        finishBoard(id, BoardResult::Outcome::DockerNotRunning,
                    tr("The Docker engine is not running: set up Docker first."));
        finishJob();
        return;
    }
    deploy(id, p);
}

void RemoteAccess::status(const QString &id, const Probe &p)
{
    const CertificateInfo local = m_store->boardCertificate(id);
    const bool tls = p.haveDaemonJson && DockerTls::daemonJsonHasTls(p.daemonJson);
    // The board's certificate in sha256sum's form (of the PEM file) against ours.
    Sha256 hash;
    const QByteArray pem = m_store->boardMaterial(id).certificatePem;
    hash.add(pem.constData(), pem.size());
    const bool current = local.valid && p.deployedSha256 == hash.hexDigest();
    if (!tls || !current || !p.listening) {
        const QString why = !tls ? tr("daemon.json has no TLS")
                            : !current
                                ? (p.deployedSha256.isEmpty()
                                       ? tr("no certificate deployed")
                                       : tr("the certificate deployed is not the lab's current one"))
                                : tr("nothing listens on %1").arg(DockerTls::Port);
        finish(id, BoardState::NotSetUp, false,
               tr("Remote access not set up: %1 (run `remote setup`).").arg(why));
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString expiry = tr("certificate valid until %1 (%n day(s) left)", nullptr,
                              int(local.daysLeft(now)))
                               .arg(dateText(local.notAfter));
    if (local.renewalDue(now, m_renewBeforeDays)) {
        finish(id, BoardState::RenewalDue, false,
               tr("TLS on %1; %2: renewal due (run `remote renew`).")
                   .arg(DockerTls::Port)
                   .arg(expiry));
        return;
    }
    finish(id, BoardState::AlreadyEnabled, true,
           tr("TLS on %1; %2.").arg(DockerTls::Port).arg(expiry));
}

void RemoteAccess::deploy(const QString &id, const Probe &p)
{
    const Board *b = board(id);
    QStringList dns = {QStringLiteral("localhost")};
    QStringList ips = {QStringLiteral("127.0.0.1")};
    const auto addName = [&dns, &ips](const QString &name) {
        const QString n = name.trimmed();
        if (n.isEmpty())
            return;
        if (!QHostAddress(n).isNull()) {
            if (!ips.contains(n))
                ips << n;
        } else if (!dns.contains(n, Qt::CaseInsensitive)) {
            dns << n;
        }
    };
    addName(p.hostname);
    if (b) {
        addName(b->hostname);
        addName(b->ip);
        addName(b->sshHost);
    }
    for (const QString &a : p.addresses)
        addName(a);

    CertificateAuthority::Issued material = m_store->boardMaterial(id);
    const CertificateInfo info = CertificateAuthority::inspect(material.certificatePem);
    QString why;
    const bool usable =
        m_mode != Mode::Renew && CertificateAuthority::keyMatches(material.certificatePem,
                                                                  material.keyPem) &&
        CertificateAuthority::verify(m_ca->certificatePem(), material.certificatePem,
                                     CertificateAuthority::Purpose::Server, &why) &&
        !info.renewalDue(QDateTime::currentDateTimeUtc(), m_renewBeforeDays) &&
        info.covers(dns, ips);
    if (!usable) {
        QString error;
        const QString cn = !p.hostname.isEmpty() ? p.hostname : (b ? b->sshTarget() : id);
        const std::optional<CertificateAuthority::Issued> issued =
            m_ca->issueServer(cn, dns, ips, m_validDays, &error);
        if (!issued || !m_store->saveBoardMaterial(id, *issued, &error)) {
            finish(id, BoardState::Unknown, false, tr("Could not issue the server certificate: %1").arg(error));
            return;
        }
        material = *issued;
        log(id, tr("Server certificate issued for %1, valid until %2.")
                    .arg((dns + ips).join(QStringLiteral(", ")),
                         dateText(CertificateAuthority::inspect(material.certificatePem).notAfter)));
    }

    Sha256 hash;
    hash.add(material.certificatePem.constData(), material.certificatePem.size());
    const bool deployed = p.deployedSha256 == hash.hexDigest();
    if (deployed && p.haveDaemonJson && DockerTls::daemonJsonHasTls(p.daemonJson) &&
        p.listening) {
        finish(id, BoardState::AlreadyEnabled, true,
               tr("TLS on %1 already set up with the current certificate.")
                   .arg(DockerTls::Port));
        return;
    }

    const DockerTls::DaemonArguments split =
        DockerTls::splitDaemonArguments(p.systemd ? p.execStart : p.argv);
    QString error;
    const std::optional<QByteArray> json =
        DockerTls::mergeDaemonJson(p.daemonJson, split.hosts, &error);
    if (!json) {
        finish(id, BoardState::Unknown, false, tr("/etc/docker/daemon.json left as it is: %1.").arg(error));
        return;
    }
    // The daemon.json goes in last, staged: the restart script swaps it in with a backup.
    writeFiles(id, p,
               {{DockerTls::boardCaPath(), m_ca->certificatePem(), 0644},
                {DockerTls::boardKeyPath(), material.keyPem, 0600},
                {DockerTls::boardCertificatePath(), material.certificatePem, 0644},
                {QStringLiteral("/etc/docker/daemon.json.hivelab-new"), *json, 0644}});
}

void RemoteAccess::writeFiles(const QString &id, const Probe &p, QList<RootFile> files)
{
    if (files.isEmpty()) {
        restart(id, p);
        return;
    }
    const RootFile f = files.takeFirst();
    writeRootFile(id, f.path, f.data, f.mode,
                  [this, id, p, files]() { writeFiles(id, p, files); });
}

void RemoteAccess::writeRootFile(const QString &id, const QString &path, const QByteArray &data,
                                 int mode, const std::function<void()> &next)
{
    Sha256 hash;
    hash.add(data.constData(), data.size());
    const QString command = FilePush::rootWriteCommand(path, hash.hexDigest(), mode);
    RemoteOptions options;
    options.stdinData = data; // keys through stdin: never in an argv
    options.logAs = tr("write %1 (mode %2, sha256-checked)").arg(path, QString::number(mode, 8));
    runOn(
        id, command,
        [this, id, path, next](const Remote &r) {
            if (!r.ok()) {
                finish(id, BoardState::Unknown, false,
                       tr("Could not write %1: %2").arg(path, describe(r)));
                return;
            }
            next();
        },
        options);
}

void RemoteAccess::restart(const QString &id, const Probe &p)
{
    const int tries = qMax(1, m_engineWaitSeconds * 2);
    // Shared by both ways: the new daemon.json goes in with a backup; on failure the backup
    // (or no file, if there was none) comes back.
    // Cancel or a lost connection must not stop the script half-way (engine down): it ignores
    // the hang-up and a closed output and always ends with the engine running.
    QString script =
        QString::fromLatin1(PathLine) +
        QStringLiteral(
            "trap '' HUP PIPE; "
            "J=/etc/docker/daemon.json; N=$J.hivelab-new; B=$J.hivelab-backup; "
            "if [ -f \"$J\" ]; then cp -p \"$J\" \"$B\" || exit 1; had=1; else had=0; fi; "
            "mv -f \"$N\" \"$J\" || exit 1; "
            "restore() { if [ $had = 1 ]; then mv -f \"$B\" \"$J\"; else rm -f \"$J\"; fi; }; "
            // One read of the status file: the process may go at any moment. A zombie (our
            // own child that exited) is not alive.
            "alive() { s=$(cat /proc/$1/status 2>/dev/null) && "
            "! printf '%s\\n' \"$s\" | grep -q '^State:[[:space:]]*Z'; }; ");
    if (p.systemd) {
        const DockerTls::DaemonArguments split = DockerTls::splitDaemonArguments(p.execStart);
        const bool dropIn = !split.hosts.isEmpty() && !split.args.isEmpty();
        script += QStringLiteral(
                      "up() { i=0; while [ $i -lt %1 ]; do docker info >/dev/null 2>&1 && "
                      "return 0; systemctl is-failed -q docker && return 1; sleep 0.5; "
                      "i=$((i+1)); done; return 1; }; ")
                      .arg(tries);
        // A drop-in of an earlier run is kept aside and comes back on failure, like daemon.json.
        script += QStringLiteral("D=%1; if [ -f \"$D\" ]; then cp -p \"$D\" \"$D.hivelab-backup\"; "
                                 "else rm -f \"$D.hivelab-backup\"; fi; "
                                 "restoredropin() { if [ -f \"$D.hivelab-backup\" ]; then "
                                 "mv -f \"$D.hivelab-backup\" \"$D\"; else rm -f \"$D\"; fi; }; ")
                      .arg(QString::fromLatin1(DropIn));
        if (dropIn) {
            // The classic conflict: `-H fd://` in the unit and "hosts" in daemon.json.
            script += QStringLiteral("mkdir -p /etc/systemd/system/docker.service.d && "
                                     "printf '[Service]\\nExecStart=\\nExecStart=%s\\n' %1 "
                                     ">\"$D\"; ")
                          .arg(q(split.args.join(QLatin1Char(' '))));
        }
        script += QStringLiteral(
            "systemctl daemon-reload; "
            "if systemctl restart docker && up; then rm -f \"$D.hivelab-backup\"; "
            "echo restarted; exit 0; fi; "
            "why=$(journalctl -u docker -p err -n 1 --no-pager -o cat 2>/dev/null); "
            "echo \"dockerd: ${why:-see journalctl -u docker}\" >&2; "
            "restore; restoredropin; systemctl daemon-reload; "
            "if systemctl restart docker && up; then exit 3; fi; exit 4");
    } else {
        // No init system runs the engine: restart it with its own command line, minus the
        // flags daemon.json now holds, its output where it went before.
        const DockerTls::DaemonArguments split = DockerTls::splitDaemonArguments(p.argv);
        const QString logFile = p.logFile.startsWith(QLatin1Char('/')) &&
                                        !p.logFile.startsWith(QLatin1String("/dev/"))
                                    ? p.logFile
                                    : QStringLiteral("/var/log/dockerd.log");
        script +=
            QStringLiteral(
                "L=%1; old=%2; [ -d \"$(dirname \"$L\")\" ] || L=/var/log/dockerd.log; "
                "up() { i=0; while [ $i -lt %3 ]; do docker info >/dev/null 2>&1 && return 0; "
                "alive \"$1\" || return 1; sleep 0.5; i=$((i+1)); done; return 1; }; "
                "stop() { kill \"$1\" 2>/dev/null; i=0; while alive \"$1\" && [ $i -lt 60 ]; "
                "do sleep 0.5; i=$((i+1)); done; ! alive \"$1\"; }; "
                "stop $old || { restore; echo 'the engine did not stop' >&2; exit 1; }; "
                "size=$(wc -c <\"$L\" 2>/dev/null || echo 0); "
                "setsid %4 >>\"$L\" 2>&1 </dev/null & new=$!; "
                "if up $new; then echo restarted; exit 0; fi; "
                // The engine's own reason, one line, from what was written since: the bare
                // "failed to …" it prints when it exits, else its last level=fatal line.
                "why=$(tail -c +$((size+1)) \"$L\" | grep -E '^failed' | tail -n 1); "
                "[ -n \"$why\" ] || why=$(tail -c +$((size+1)) \"$L\" | grep 'level=fatal' | "
                "tail -n 1 | sed -e 's/.*msg=//' -e 's/^\"//' -e 's/\"$//'); "
                "echo \"dockerd: ${why:-see $L}\" >&2; "
                "stop $new; restore; "
                "setsid %5 >>\"$L\" 2>&1 </dev/null & back=$!; "
                "if up $back; then exit 3; fi; exit 4")
                .arg(q(logFile), q(p.pid))
                .arg(tries)
                .arg(quoteAll(split.args), quoteAll(p.argv));
    }
    RemoteOptions options;
    options.timeoutMs = 2 * m_engineWaitSeconds * 1000 + 60000;
    options.logAs = p.systemd ? tr("restart the engine with TLS on %1 (systemd)")
                                    .arg(DockerTls::Port)
                              : tr("restart the engine with TLS on %1 (its own command line)")
                                    .arg(DockerTls::Port);
    runOn(
        id, script,
        [this, id](const Remote &r) {
            const CertificateInfo info = m_store->boardCertificate(id);
            if (r.ok()) {
                finish(id, BoardState::Enabled, true,
                       tr("TLS on %1 with client verification; certificate valid until %2.")
                           .arg(DockerTls::Port)
                           .arg(dateText(info.notAfter)));
                return;
            }
            if (!r.error.isError() && r.exitStatus == 3) {
                finish(id, BoardState::RolledBack, false,
                       tr("The engine did not start with TLS (%1); the previous daemon.json was "
                          "restored and the engine restarted without TLS.")
                           .arg(r.errorText()));
                return;
            }
            if (!r.error.isError() && r.exitStatus == 4) {
                finish(id, BoardState::RollbackFailed, false,
                       tr("The engine did not start with TLS, and not with the previous "
                          "daemon.json either (%1). Check the board.")
                           .arg(r.errorText()));
                return;
            }
            finish(id, BoardState::Unknown, false, tr("Restarting the engine failed: %1").arg(describe(r)));
        },
        options);
}

void RemoteAccess::addToDockerGroup(const QString &id)
{
    // SUDO_USER: the login user behind sudo; a root login needs no group.
    const QString script = QString::fromLatin1(PathLine) +
                           QStringLiteral(
                               "u=\"${SUDO_USER:-}\"; "
                               "if [ -z \"$u\" ] || [ \"$u\" = root ]; then "
                               "echo 'root: the docker socket is open to it already'; exit 0; fi; "
                               "getent group docker >/dev/null || groupadd docker || exit 1; "
                               "usermod -aG docker \"$u\" && echo \"$u is in the docker group\"");
    RemoteOptions options;
    options.logAs = tr("add the login user to the docker group");
    runOn(
        id, script,
        [this, id](const Remote &r) {
            if (!r.ok()) {
                finish(id, BoardState::Unknown, false,
                            tr("Could not add the user to the docker group: %1").arg(describe(r)));
                return;
            }
            finish(id, BoardState::Enabled, true, QString::fromUtf8(r.out.trimmed()));
        },
        options);
}

void RemoteAccess::finish(const QString &id, BoardState state, bool ok, const QString &message)
{
    m_states.insert(id, state);
    finishBoard(id, ok, message);
    int done = 0;
    for (const QString &b : boardIds())
        done += isBoardFinished(b) ? 1 : 0;
    setProgress(done, boardIds().size());
    finishJob();
}

} // namespace Hivelab
