// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshtestserver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>
#include <csignal>
#include <unistd.h>

namespace Hivelab {

SshTestServer::SshTestServer(Kind kind)
    : m_kind(kind)
{}

SshTestServer::~SshTestServer()
{
    stop();
}

QString SshTestServer::whyUnavailable()
{
    if (::geteuid() != 0)
        return QStringLiteral("needs root: sshd and Dropbear refuse to run test servers as a user");
    for (const char *tool : {"/usr/sbin/sshd", "/usr/sbin/dropbear", "/usr/bin/dropbearkey",
                             "/usr/bin/ssh-keygen", "/usr/sbin/useradd"}) {
        if (!QFile::exists(QString::fromLatin1(tool)))
            return QStringLiteral("%1 missing (packaging/install-deps.sh test)").arg(tool);
    }
    return QString();
}

QByteArray SshTestServer::run(const QString &program, const QStringList &args, int *rc,
                              const QByteArray &stdinData)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        if (rc)
            *rc = -1;
        return QByteArray();
    }
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        p.kill();
    p.waitForFinished(1000);
    if (rc)
        *rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput();
}

bool SshTestServer::generateKey(const QString &path, const QString &type, const QString &passphrase)
{
    QStringList args = {QStringLiteral("-q"), QStringLiteral("-t"), type,
                        QStringLiteral("-N"), passphrase,           QStringLiteral("-a"),
                        QStringLiteral("4")};
    if (type == QLatin1String("rsa"))
        args << QStringLiteral("-b") << QStringLiteral("2048");
    int rc = -1;
    run(QStringLiteral("ssh-keygen"), args << QStringLiteral("-f") << path, &rc);
    return rc == 0;
}

SshConnectOptions SshTestServer::loopbackOptions(const QString &knownHostsPath) const
{
    SshConnectOptions o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = m_port;
    o.knownHostsPath = knownHostsPath;
    o.acceptNewHostKey = true;
    return o;
}

quint16 SshTestServer::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QString SshTestServer::hostKeyPath(const QString &type) const
{
    return dir() + QStringLiteral("/hostkey%1-%2").arg(m_generation).arg(type);
}

bool SshTestServer::makeHostKeys(QString *error)
{
    ++m_generation;
    for (const QString &type : std::as_const(m_keyTypes)) {
        const QString key = hostKeyPath(type);
        int rc = 0;
        if (m_kind == Kind::OpenSsh) {
            run(QStringLiteral("ssh-keygen"),
                {QStringLiteral("-q"), QStringLiteral("-t"), type, QStringLiteral("-N"), QString(),
                 QStringLiteral("-C"), QString(), QStringLiteral("-f"), key},
                &rc);
        } else {
            run(QStringLiteral("dropbearkey"),
                {QStringLiteral("-t"), type, QStringLiteral("-f"), key}, &rc);
            // ssh-keygen -lf needs the public half in OpenSSH format.
            const QByteArray pub = run(QStringLiteral("dropbearkey"),
                                       {QStringLiteral("-y"), QStringLiteral("-f"), key});
            QFile out(key + QStringLiteral(".pub"));
            for (const QByteArray &line : pub.split('\n')) {
                if (line.startsWith("ssh-") || line.startsWith("ecdsa-")) {
                    out.open(QIODevice::WriteOnly);
                    out.write(line + '\n');
                }
            }
        }
        if (rc != 0 || !QFile::exists(key)) {
            *error = QStringLiteral("host key generation failed for %1").arg(key);
            return false;
        }
    }
    return true;
}

QString SshTestServer::hostKeyFingerprint(const QString &type) const
{
    const QString pub = hostKeyPath(type.isEmpty() ? m_keyTypes.value(0) : type) +
                        QStringLiteral(".pub");
    const QByteArray out = run(QStringLiteral("ssh-keygen"), {QStringLiteral("-lf"), pub});
    const QList<QByteArray> fields = out.split(' ');
    return fields.size() > 1 ? QString::fromLatin1(fields.at(1)) : QString();
}

QByteArray SshTestServer::knownHostsLine(const QString &type) const
{
    QFile pub(hostKeyPath(type.isEmpty() ? m_keyTypes.value(0) : type) + QStringLiteral(".pub"));
    if (!pub.open(QIODevice::ReadOnly))
        return QByteArray();
    const QList<QByteArray> fields = pub.readAll().trimmed().split(' ');
    return "[127.0.0.1]:" + QByteArray::number(m_port) + ' ' + fields.value(0) + ' ' +
           fields.value(1) + '\n';
}

bool SshTestServer::setAuthorizedKeys(const QString &user, const QByteArray &keys)
{
    // sshd reads the file as the target user: the path must be readable by everyone.
    const auto open = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                      QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                      QFileDevice::ExeOther;
    QDir().mkpath(dir() + QStringLiteral("/authorized_keys"));
    QFile::setPermissions(dir(), open);
    QFile::setPermissions(dir() + QStringLiteral("/authorized_keys"), open);
    QFile f(dir() + QStringLiteral("/authorized_keys/") + user);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(keys);
    f.close();
    return f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                            QFileDevice::ReadGroup | QFileDevice::ReadOther);
}

bool SshTestServer::start(QString *error, const QString &hostKeyType, const QString &extraConfig)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    m_keyTypes = hostKeyType.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    m_extraConfig = extraConfig;
    m_port = freePort();
    return makeHostKeys(error) && launch(error);
}

bool SshTestServer::restartWithNewHostKey(QString *error, const QString &hostKeyType)
{
    stop();
    if (!hostKeyType.isEmpty())
        m_keyTypes = hostKeyType.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return makeHostKeys(error) && launch(error);
}

void SshTestServer::setFrozen(bool frozen)
{
    if (!m_process)
        return;
    // Parents first when stopping (no new children slip out), children first when resuming.
    QList<qint64> pids{m_process->processId()};
    for (int i = 0; i < pids.size(); ++i) {
        QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(pids.at(i)));
        if (children.open(QIODevice::ReadOnly)) {
            for (const QByteArray &pid : children.readAll().split(' '))
                if (pid.trimmed().toLongLong() > 0)
                    pids << pid.trimmed().toLongLong();
        }
    }
    if (!frozen)
        std::reverse(pids.begin(), pids.end());
    for (const qint64 pid : std::as_const(pids))
        ::kill(pid_t(pid), frozen ? SIGSTOP : SIGCONT);
    m_frozen = frozen;
}

bool SshTestServer::launch(QString *error)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    if (m_kind == Kind::OpenSsh) {
        QDir().mkpath(QStringLiteral("/run/sshd")); // privilege separation directory
        const QString config = dir() + QStringLiteral("/sshd_config");
        QFile f(config);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        // sshd keeps the first value of a keyword: test-specific lines go first.
        f.write(QString(m_extraConfig)
                    .replace(QLatin1String("%PORT%"), QString::number(m_port))
                    .replace(QLatin1String("%DIR%"), m_dir.path())
                    .toUtf8() +
                '\n');
        for (const QString &type : std::as_const(m_keyTypes))
            f.write(QStringLiteral("HostKey %1\n").arg(hostKeyPath(type)).toUtf8());
        f.write(QStringLiteral("ListenAddress 127.0.0.1\n"
                               "PidFile none\n"
                               "UsePAM no\n"
                               "AuthorizedKeysFile %1/authorized_keys/%u\n"
                               "StrictModes no\n"
                               "PermitRootLogin prohibit-password\n"
                               "AcceptEnv HL_*\n"
                               "MaxStartups 200\n"
                               "MaxSessions 50\n"
                               "LogLevel ERROR\n")
                    .arg(dir())
                    .toUtf8());
        // sshd refuses a second Subsystem line for the same name.
        if (!m_extraConfig.contains(QLatin1String("Subsystem sftp")))
            f.write("Subsystem sftp /usr/lib/openssh/sftp-server\n");
        f.close();
        m_process->start(QStringLiteral("/usr/sbin/sshd"),
                         {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config,
                          QStringLiteral("-p"), QString::number(m_port)});
    } else {
        QStringList args{QStringLiteral("-F"), QStringLiteral("-E"), QStringLiteral("-p"),
                         QStringLiteral("127.0.0.1:%1").arg(m_port)};
        for (const QString &type : std::as_const(m_keyTypes))
            args << QStringLiteral("-r") << hostKeyPath(type);
        m_process->start(QStringLiteral("/usr/sbin/dropbear"), args);
    }
    if (!m_process->waitForStarted(5000)) {
        *error = QStringLiteral("server did not start: %1").arg(m_process->errorString());
        return false;
    }
    // Ready when it accepts connections (bounded; each probe waits on the socket, not a timer).
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(200))
            return true;
        if (m_process->state() != QProcess::Running)
            break;
        m_process->waitForFinished(50);
    }
    *error = QStringLiteral("server on port %1 did not come up").arg(m_port);
    return false;
}

void SshTestServer::stop()
{
    if (!m_process)
        return;
    if (m_frozen)
        setFrozen(false);
    m_process->terminate();
    if (!m_process->waitForFinished(3000)) {
        m_process->kill();
        m_process->waitForFinished(3000);
    }
    m_process.reset();
}

// ---- SshTestUser -----------------------------------------------------------------------------

SshTestUser::SshTestUser()
    : m_name(QStringLiteral("hlt%1").arg(::getpid()))
    , m_password(QStringLiteral("pw-%1").arg(QRandomGenerator::global()->generate(), 0, 16))
{}

SshTestUser::~SshTestUser()
{
    if (!m_sudoers.isEmpty())
        QFile::remove(m_sudoers);
    if (m_created)
        SshTestServer::run(QStringLiteral("userdel"), {QStringLiteral("-f"), m_name});
}

SshAuth SshTestUser::passwordAuth() const
{
    SshAuth a;
    a.user = m_name;
    a.password = m_password;
    a.useAgent = false;
    return a;
}

bool SshTestUser::create(QString *error)
{
    // A stale account of a crashed earlier run with the same pid.
    SshTestServer::run(QStringLiteral("userdel"), {QStringLiteral("-f"), m_name});
    int rc = 0;
    SshTestServer::run(QStringLiteral("useradd"),
                       {QStringLiteral("-M"), QStringLiteral("-d"), home(), QStringLiteral("-s"),
                        QStringLiteral("/bin/sh"), m_name},
                       &rc);
    if (rc != 0) {
        *error = QStringLiteral("useradd %1 failed").arg(m_name);
        return false;
    }
    m_created = true;
    SshTestServer::run(QStringLiteral("chpasswd"), {}, &rc,
                       QStringLiteral("%1:%2\n").arg(m_name, m_password).toUtf8());
    if (rc != 0) {
        *error = QStringLiteral("chpasswd failed");
        return false;
    }
    SshTestServer::run(QStringLiteral("chown"), {m_name, home()}, &rc);
    QFile::setPermissions(home(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                      QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                      QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                      QFileDevice::ExeOther);
    return rc == 0;
}

bool SshTestUser::setAuthorizedKeys(const QByteArray &keys)
{
    const QString sshDir = home() + QStringLiteral("/.ssh");
    QDir().mkpath(sshDir);
    QFile f(sshDir + QStringLiteral("/authorized_keys"));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(keys);
    f.close();
    QFile::setPermissions(sshDir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    int rc = 0;
    SshTestServer::run(QStringLiteral("chown"), {QStringLiteral("-R"), m_name, sshDir}, &rc);
    return rc == 0;
}

bool SshTestUser::allowSudo(bool withoutPassword)
{
    QDir().mkpath(QStringLiteral("/etc/sudoers.d"));
    m_sudoers = QStringLiteral("/etc/sudoers.d/hivelab-test-%1").arg(m_name);
    QFile f(m_sudoers);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(QStringLiteral("%1 ALL=(ALL) %2ALL\n")
                .arg(m_name, withoutPassword ? QStringLiteral("NOPASSWD: ") : QString())
                .toUtf8());
    f.close();
    return f.setPermissions(QFileDevice::ReadOwner | QFileDevice::ReadGroup);
}

bool SshTestServers::start(QString *error, const QString &opensshConfig)
{
    user = std::make_unique<SshTestUser>();
    if (!user->create(error))
        return false;
    openssh = std::make_unique<SshTestServer>(SshTestServer::Kind::OpenSsh);
    if (!openssh->start(error, QStringLiteral("ed25519"), opensshConfig))
        return false;
    dropbear = std::make_unique<SshTestServer>(SshTestServer::Kind::Dropbear);
    return dropbear->start(error);
}

void SshTestServers::stop()
{
    openssh.reset();
    dropbear.reset();
    user.reset();
}

SshTestServer *SshTestServers::byName(const QString &name) const
{
    return name == QLatin1String("openssh") ? openssh.get() : dropbear.get();
}

} // namespace Hivelab
