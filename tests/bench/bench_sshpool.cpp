// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark, not a test: `uname -a` on N boards through SshPool versus a shell loop of `ssh`
// (with and without ControlMaster). Prints wall times and ratios.
//
//   hivelab_bench_ssh [--local N]                  N loopback sshd "boards" (root needed)
//   hivelab_bench_ssh --targets FILE --key KEY     one USER@HOST:PORT per line (lab boards)
#include "sshpool.h"
#include "sshpooltask.h"
#include "sshtestserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Hivelab;

namespace {

struct Target
{
    QString user;
    QString host;
    quint16 port = 22;
};

qint64 runPool(SshPool &pool, const QList<Target> &targets, const QString &key,
               const QString &knownHosts, int *failures)
{
    QElapsedTimer t;
    t.start();
    int done = 0;
    *failures = 0;
    QEventLoop loop;
    for (const Target &target : targets) {
        SshConnectOptions o;
        o.host = target.host;
        o.port = target.port;
        o.knownHostsPath = knownHosts;
        o.acceptNewHostKey = true;
        SshAuth a;
        a.user = target.user;
        a.identityFiles = {key};
        a.useAgent = false;
        SshPoolTask *task = pool.run(o, a, QStringLiteral("uname -a"));
        QObject::connect(task, &SshPoolTask::finished, &loop, [&, n = targets.size()](int status) {
            if (status != 0)
                ++*failures;
            if (++done == n)
                loop.quit();
        });
    }
    loop.exec();
    return t.elapsed();
}

qint64 runShellLoop(const QList<Target> &targets, const QString &key, const QString &knownHosts,
                    const QString &controlDir, int *failures)
{
    QString script;
    for (const Target &t : targets) {
        script += QStringLiteral("ssh -q -i '%1' -p %2 -o BatchMode=yes -o "
                                 "StrictHostKeyChecking=accept-new -o UserKnownHostsFile='%3' ")
                      .arg(key)
                      .arg(t.port)
                      .arg(knownHosts);
        if (!controlDir.isEmpty())
            script += QStringLiteral("-o ControlMaster=auto -o ControlPath='%1/cm-%C' "
                                     "-o ControlPersist=60 ")
                          .arg(controlDir);
        script += QStringLiteral("%1@%2 uname -a >/dev/null || echo fail\n").arg(t.user, t.host);
    }
    QElapsedTimer timer;
    timer.start();
    QProcess sh;
    sh.start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
    sh.waitForFinished(600000);
    *failures = int(sh.readAllStandardOutput().count("fail"));
    return timer.elapsed();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption local(QStringLiteral("local"),
                                   QStringLiteral("Start N loopback sshd boards (needs root)."),
                                   QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption targetsFile(QStringLiteral("targets"),
                                         QStringLiteral("File with USER@HOST:PORT per line."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption keyOption(
        QStringLiteral("key"), QStringLiteral("Private key for --targets."), QStringLiteral("KEY"));
    const QCommandLineOption limit(QStringLiteral("max-concurrent"),
                                   QStringLiteral("Pool concurrency limit."), QStringLiteral("N"),
                                   QStringLiteral("32"));
    parser.addOptions({local, targetsFile, keyOption, limit});
    parser.process(app);

    QTemporaryDir work;
    QList<Target> targets;
    QString key = parser.value(keyOption);
    std::vector<std::unique_ptr<SshTestServer>> servers;
    std::unique_ptr<SshTestUser> user;
    if (parser.isSet(targetsFile)) {
        QFile f(parser.value(targetsFile));
        if (!f.open(QIODevice::ReadOnly) || key.isEmpty()) {
            std::fprintf(stderr, "need a readable --targets file and --key\n");
            return 2;
        }
        for (const QByteArray &raw : f.readAll().split('\n')) {
            const QString line = QString::fromUtf8(raw).trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            Target t;
            const int at = line.indexOf(QLatin1Char('@'));
            const int colon = line.lastIndexOf(QLatin1Char(':'));
            t.user = at > 0 ? line.left(at) : QStringLiteral("root");
            t.host = line.mid(at + 1, colon > at ? colon - at - 1 : -1);
            t.port = colon > at ? quint16(line.mid(colon + 1).toUInt()) : 22;
            targets << t;
        }
    } else {
        const QString why = SshTestServer::whyUnavailable();
        if (!why.isEmpty()) {
            std::fprintf(stderr, "cannot start loopback boards: %s\n", qPrintable(why));
            return 2;
        }
        const int n = qBound(1, parser.value(local).toInt(), 200);
        key = work.path() + QStringLiteral("/id_ed25519");
        SshTestServer::run(QStringLiteral("ssh-keygen"),
                           {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                            QStringLiteral("-N"), QString(), QStringLiteral("-f"), key});
        QFile pub(key + QStringLiteral(".pub"));
        pub.open(QIODevice::ReadOnly);
        const QByteArray pubKey = pub.readAll();
        user = std::make_unique<SshTestUser>();
        QString error;
        if (!user->create(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        // sshd binds at most 16 sockets: 13 loopback addresses per server.
        const int perServer = 13;
        QString listen;
        for (int i = 2; i <= perServer; ++i)
            listen += QStringLiteral("ListenAddress 127.0.0.%1:%PORT%\n").arg(i);
        for (int i = 0; i < n; ++i) {
            if (i % perServer == 0) {
                servers.push_back(std::make_unique<SshTestServer>(SshTestServer::Kind::OpenSsh));
                if (!servers.back()->start(&error, QStringLiteral("ed25519"), listen)) {
                    std::fprintf(stderr, "%s\n", qPrintable(error));
                    return 2;
                }
                servers.back()->setAuthorizedKeys(user->name(), pubKey);
            }
            targets << Target{user->name(), QStringLiteral("127.0.0.%1").arg(i % perServer + 1),
                              servers.back()->port()};
        }
    }

    const QString kh = work.path() + QStringLiteral("/known_hosts");
    const QString khSsh = work.path() + QStringLiteral("/known_hosts_ssh");
    int fail = 0;
    std::printf("boards: %lld\n", qlonglong(targets.size()));
    const qint64 loop = runShellLoop(targets, key, khSsh, QString(), &fail);
    std::printf("ssh loop, no ControlMaster:        %6lld ms  (%d failed)\n", loop, fail);
    runShellLoop(targets, key, khSsh, work.path(), &fail); // opens the masters
    const qint64 loopCm = runShellLoop(targets, key, khSsh, work.path(), &fail);
    std::printf("ssh loop, ControlMaster (warm):     %6lld ms  (%d failed)\n", loopCm, fail);
    SshPool pool;
    pool.setMaxConcurrent(parser.value(limit).toInt());
    const qint64 cold = runPool(pool, targets, key, kh, &fail);
    std::printf("SshPool, new connections:           %6lld ms  (%d failed)\n", cold, fail);
    const qint64 warm = runPool(pool, targets, key, kh, &fail);
    std::printf("SshPool, reused connections:        %6lld ms  (%d failed)\n", warm, fail);
    std::printf("ratio ssh loop / pool (cold):       %6.1fx\n",
                double(loop) / double(qMax<qint64>(1, cold)));
    std::printf("ratio ssh+ControlMaster / pool warm: %6.1fx\n",
                double(loopCm) / double(qMax<qint64>(1, warm)));
    // Close the ControlMaster processes.
    for (const Target &t : targets)
        QProcess::execute(QStringLiteral("ssh"),
                          {QStringLiteral("-q"), QStringLiteral("-o"),
                           QStringLiteral("ControlPath=%1/cm-%C").arg(work.path()),
                           QStringLiteral("-p"), QString::number(t.port), QStringLiteral("-O"),
                           QStringLiteral("exit"), t.user + QLatin1Char('@') + t.host});
    return 0;
}
