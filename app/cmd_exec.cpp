// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardconnection.h"
#include "cli.h"
#include "sshcommand.h"
#include "sshconfig.h"
#include "sshsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QPointer>
#include <QSemaphore>

#include <csignal>
#include <cstring>
#include <thread>
#include <unistd.h>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

void writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // reader went away; the remote output is dropped like ssh does
        done += n;
    }
}

int signalNumber(const QString &name)
{
    static const QList<QPair<const char *, int>> names = {
        {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},
        {"ABRT", SIGABRT}, {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"SEGV", SIGSEGV},
        {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"USR1", SIGUSR1},
        {"USR2", SIGUSR2}};
    for (const auto &[n, v] : names) {
        if (name == QLatin1String(n))
            return v;
    }
    return 0;
}

// The command line of `hivelab exec`: the parser and the options it knows.
struct ExecCommand
{
    ExecCommand();

    QCommandLineParser parser;
    const QCommandLineOption port{
        {QStringLiteral("p"), QStringLiteral("port")},
        tr("SSH port, %1 (default: from ~/.ssh/config, else 22).").arg(rangeText(1, 65535)),
        QStringLiteral("PORT")};
    const QCommandLineOption identity{{QStringLiteral("i"), QStringLiteral("identity")},
                                      tr("Private key file (may be repeated)."),
                                      QStringLiteral("KEYFILE")};
    const QCommandLineOption acceptNew{
        QStringList{QStringLiteral("accept-new-host-key"), QStringLiteral("accept-new-host-keys")},
        tr("Trust and store the host key of a host seen for the first time. A changed key is "
           "always refused.")};
    const QCommandLineOption passwordStdin{
        QStringLiteral("password-stdin"),
        tr("Read the login password from the first line of stdin (the rest is forwarded).")};
    const QCommandLineOption noStdin{QStringLiteral("n"),
                                     tr("Do not forward stdin (the command reads EOF).")};
    const QCommandLineOption tty{{QStringLiteral("t"), QStringLiteral("tty")},
                                 tr("Request a pseudo-terminal.")};
    const QCommandLineOption timeout{
        QStringLiteral("connect-timeout"),
        tr("Seconds to wait for connect and handshake, %1 (default 10).")
            .arg(rangeText(1, MaxConnectTimeoutSeconds)),
        QStringLiteral("SECONDS"), QStringLiteral("10")};
    const QCommandLineOption knownHosts{
        QStringLiteral("known-hosts"),
        tr("known_hosts file to use instead of Hivelab's own (its folder must exist)."),
        QStringLiteral("FILE")};
};

ExecCommand::ExecCommand()
{
    parser.setApplicationDescription(
        tr("Run one command on a board over SSH. Remote stdout/stderr stream to local "
           "stdout/stderr and local stdin is forwarded. Exits with the remote exit status "
           "(128+N when killed by signal N), or 255 when the connection, the host key or the "
           "login fails (reason on stderr). Reads ~/.ssh/config and uses ssh-agent and "
           "~/.ssh/id_ed25519, id_ecdsa, id_rsa; host keys are kept in Hivelab's own "
           "known_hosts under the XDG data directory."));
    parser.addHelpOption();
    parser.addOptions(
        {port, identity, acceptNew, passwordStdin, noStdin, tty, timeout, knownHosts});
    parser.addPositionalArgument(QStringLiteral("[USER@]HOST"), tr("Board to connect to."));
    parser.addPositionalArgument(QStringLiteral("CMD"), tr("Command and arguments (after --)."),
                                 QStringLiteral("-- CMD…"));
}

struct SplitArgs
{
    QStringList head; // program name, options and HOST: what the parser sees
    QStringList commandWords;
};

// Options may follow HOST (like ssh); the command starts after "--", or else at the first
// word after HOST that is not an option.
SplitArgs splitArgs(const QStringList &args)
{
    static const QStringList withValue = {QStringLiteral("-p"),
                                          QStringLiteral("--port"),
                                          QStringLiteral("-i"),
                                          QStringLiteral("--identity"),
                                          QStringLiteral("--connect-timeout"),
                                          QStringLiteral("--known-hosts")};
    SplitArgs split{{args.value(0)}, {}};
    bool haveHost = false;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--")) {
            split.commandWords = args.mid(i + 1);
            break;
        }
        if (a.startsWith(QLatin1Char('-')) && a.size() > 1) {
            split.head << a;
            if (withValue.contains(a) && i + 1 < args.size())
                split.head << args.at(++i);
            continue;
        }
        if (haveHost) {
            split.commandWords = args.mid(i);
            break;
        }
        haveHost = true;
        split.head << a;
    }
    return split;
}

// Parses the options; an exit code when the command ends here (help, usage error).
std::optional<int> parseExecArgs(QCommandLineParser &parser, const SplitArgs &split)
{
    if (!parser.parse(split.head)) {
        printErr(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, QStringLiteral("exec")));
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1 || split.commandWords.isEmpty()) {
        printErr(tr("Usage: hivelab exec [USER@]HOST [-p PORT] [-i KEYFILE] "
                    "[--accept-new-host-key] [--password-stdin] -- CMD…"));
        return ExitUsage;
    }
    return std::nullopt;
}

// Where and as whom to log in: [USER@]HOST and the options over ~/.ssh/config. Empty (after
// printing why) on a usage error.
std::optional<SshLogin> resolveLogin(const ExecCommand &cmd)
{
    const QCommandLineParser &parser = cmd.parser;
    QString destination = parser.positionalArguments().first();
    QString user;
    const int at = destination.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        user = destination.left(at);
        destination = destination.mid(at + 1);
    }
    quint16 explicitPort = 0;
    if (parser.isSet(cmd.port)) {
        const std::optional<int> p = intOption(parser, cmd.port, 1, 65535);
        if (!p)
            return std::nullopt;
        explicitPort = quint16(*p);
    }
    ConnectionSettings settings;
    if (!readConnectionOptions(parser, cmd.timeout, cmd.knownHosts, cmd.identity, &settings))
        return std::nullopt;
    settings.acceptNewHostKeys = parser.isSet(cmd.acceptNew);
    SshConfig config;
    QString configWarning;
    if (!BoardConnection::loadConfig(settings, &config, &configWarning))
        printErr(tr("Warning: %1").arg(configWarning));
    SshLogin login =
        BoardConnection::forDestination(destination, user, explicitPort, settings, &config);
    if (parser.isSet(cmd.passwordStdin)) {
        // What follows the password line on stdin goes to the remote command.
        QByteArray line = readStdinLine();
        login.auth.password = QString::fromUtf8(line);
        line.fill('\0');
    }
    return login;
}

// Streams the remote output to ours and sets `exitCode` like ssh when the command ends.
void streamOutput(SshCommand *job, QEventLoop &loop, int *exitCode)
{
    QObject::connect(job, &SshCommand::stdoutData, job,
                     [](const QByteArray &chunk) { writeAll(STDOUT_FILENO, chunk); });
    QObject::connect(job, &SshCommand::stderrData, job,
                     [](const QByteArray &chunk) { writeAll(STDERR_FILENO, chunk); });
    QObject::connect(
        job, &SshCommand::finished, &loop,
        [exitCode, &loop](int status, const QString &signal, const SshErrorInfo &error) {
            if (error.isError()) {
                printErr(QStringLiteral("hivelab exec: %1").arg(error.message));
                if (error.code == SshError::HostKeyUnknown)
                    printErr(tr("Run again with --accept-new-host-key to trust it."));
                *exitCode = ExitRemote;
            } else if (!signal.isEmpty()) {
                const int n = signalNumber(signal);
                *exitCode = n ? 128 + n : ExitRemote;
            } else {
                *exitCode = status;
            }
            loop.quit();
        });
}

// Forward local stdin from a reader thread; the semaphore bounds what is buffered.
void forwardStdin(SshCommand *job)
{
    auto credit = std::make_shared<QSemaphore>(4 * 1024 * 1024);
    QObject::connect(job, &SshCommand::stdinWritten, job,
                     [credit](qint64 bytes) { credit->release(int(bytes)); });
    QPointer<SshCommand> target(job);
    std::thread([credit, target]() {
        char buffer[64 * 1024];
        for (;;) {
            credit->acquire(int(sizeof buffer));
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) {
                credit->release(int(sizeof buffer));
                continue;
            }
            credit->release(int(sizeof buffer) - int(qMax<ssize_t>(n, 0)));
            QByteArray data(buffer, int(qMax<ssize_t>(n, 0)));
            QCoreApplication *app = QCoreApplication::instance();
            if (!app)
                return;
            QMetaObject::invokeMethod(
                app,
                [target, data, n]() {
                    if (!target)
                        return;
                    if (n > 0)
                        target->writeStdin(data);
                    else
                        target->closeStdin();
                },
                Qt::QueuedConnection);
            if (n <= 0)
                return;
        }
    }).detach();
}

} // namespace

int cmdExec(const QStringList &args)
{
    ExecCommand cmd;
    const SplitArgs split = splitArgs(args);
    if (const auto done = parseExecArgs(cmd.parser, split))
        return *done;
    // Like ssh: the words are joined with spaces and the remote shell parses them.
    const QString command = split.commandWords.join(QLatin1Char(' '));
    const std::optional<SshLogin> login = resolveLogin(cmd);
    if (!login)
        return ExitUsage;

    SshSession session;
    SshExecOptions execOptions;
    execOptions.pty = cmd.parser.isSet(cmd.tty);
    if (cmd.parser.isSet(cmd.noStdin))
        execOptions.closeStdin = true;
    SshCommand *job = session.exec(command, execOptions);

    int exitCode = ExitRemote;
    QEventLoop loop;
    streamOutput(job, loop, &exitCode);
    if (!cmd.parser.isSet(cmd.noStdin))
        forwardStdin(job);

    session.connectToHost(login->options, login->auth);
    loop.exec();
    return exitCode;
}

} // namespace Hivelab::Cli
