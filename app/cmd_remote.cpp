// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "dockertls.h"
#include "labdocument.h"
#include "labfile.h"
#include "remoteaccess.h"
#include "remoteaccessstore.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QString dateText(const QDateTime &when)
{
    return when.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString expiryText(const CertificateInfo &info)
{
    if (!info.valid)
        return tr("none");
    const qint64 days = info.daysLeft(QDateTime::currentDateTimeUtc());
    return days < 0 ? tr("expired %1").arg(dateText(info.notAfter))
                    : tr("valid until %1 (%2 days left)").arg(dateText(info.notAfter)).arg(days);
}

QJsonObject certificateJson(const CertificateInfo &info)
{
    if (!info.valid)
        return {};
    return QJsonObject{{QStringLiteral("subject"), info.subject},
                       {QStringLiteral("notAfter"), info.notAfter.toString(Qt::ISODate)},
                       {QStringLiteral("daysLeft"),
                        double(info.daysLeft(QDateTime::currentDateTimeUtc()))},
                       {QStringLiteral("sha256"), QString::fromLatin1(info.sha256)}};
}

// The board `docker context` points at: the one named, else the first manager, else the first.
const Board *contextBoard(const Lab &lab, const QStringList &ids)
{
    if (!ids.isEmpty())
        return lab.board(ids.first());
    const QList<const Board *> managers = lab.managers();
    if (!managers.isEmpty())
        return managers.first();
    return lab.boards.isEmpty() ? nullptr : &lab.boards.first();
}

// Runs the docker CLI (bounded); its output goes to stderr. Returns its exit code, -1 when it
// could not run.
int runDocker(const QString &docker, const QStringList &args, QByteArray *out = nullptr)
{
    QProcess p;
    p.start(docker, args);
    if (!p.waitForStarted(10000))
        return -1;
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        return -1;
    }
    if (out)
        *out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError().trimmed();
    if (!err.isEmpty())
        printErr(QString::fromLocal8Bit(err));
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// `docker context create NAME --docker SPEC`, or update when NAME exists.
int createContext(const QString &name, const QString &description, const QString &spec)
{
    const QString docker = QStandardPaths::findExecutable(QStringLiteral("docker"));
    if (docker.isEmpty()) {
        printErr(tr("The docker CLI is not installed here: run this yourself once it is:\n"
                    "  docker context create %1 --docker \"%2\"")
                     .arg(name, spec));
        return ExitFindings;
    }
    const bool exists =
        runDocker(docker, {QStringLiteral("context"), QStringLiteral("inspect"), name}) == 0;
    const int code = runDocker(docker, {QStringLiteral("context"),
                                        exists ? QStringLiteral("update") : QStringLiteral("create"),
                                        name, QStringLiteral("--description"), description,
                                        QStringLiteral("--docker"), spec});
    if (code != 0) {
        printErr(tr("docker context %1 %2 failed.")
                     .arg(exists ? QStringLiteral("update") : QStringLiteral("create"), name));
        return ExitFindings;
    }
    printOut(tr("docker context %1 %2: docker --context %2 info")
                 .arg(exists ? tr("updated") : tr("created"), name));
    return ExitOk;
}

const char *const RemoteUsage =
    QT_TRANSLATE_NOOP("Cli", "Usage: hivelab remote setup|status|renew FILE [BOARD…] "
                             "[--valid-days N] [--renew-before N] [--password-stdin] "
                             "[--accept-new-host-keys] [--json]");

} // namespace

int cmdRemote(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "TLS remote access to the lab's Docker engines (port 2376, client certificates; "
        "docs/REMOTE.md).\n"
        "  setup FILE   make the lab's certificate authority (kept on this computer), issue "
        "what is missing or due, and switch each engine to TLS with client verification; an "
        "engine that does not come back is rolled back to its previous configuration\n"
        "  status FILE  show each board's certificate and expiry; changes nothing; exits 1 when "
        "a board is not set up or its renewal is due\n"
        "  renew FILE   re-issue every certificate (boards and this computer) and redeploy\n"
        "Then `hivelab context FILE` makes the docker context. Progress per board on stderr, "
        "summary on stdout; exits 1 when any board failed."));
    WorkflowCli cli;
    cli.addOptions(&parser);
    const QCommandLineOption validDays(
        QStringLiteral("valid-days"),
        tr("Days new certificates are valid, %1 (default %2).")
            .arg(rangeText(1, RemoteAccessStore::CaValidDays))
            .arg(RemoteAccessStore::DefaultValidDays),
        QStringLiteral("N"), QString::number(RemoteAccessStore::DefaultValidDays));
    const QCommandLineOption renewBefore(
        QStringLiteral("renew-before"),
        tr("Re-issue certificates with fewer days left than this, %1 (default %2).")
            .arg(rangeText(0, RemoteAccessStore::CaValidDays))
            .arg(RemoteAccessStore::DefaultRenewBeforeDays),
        QStringLiteral("N"), QString::number(RemoteAccessStore::DefaultRenewBeforeDays));
    parser.addOptions({validDays, renewBefore});
    parser.addPositionalArgument(QStringLiteral("VERB"), tr("setup, status or renew."));
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    WorkflowCli::addBoardArguments(&parser);
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    const QString verb = positional.value(0);
    if (positional.size() < 2 ||
        !QStringList{QStringLiteral("setup"), QStringLiteral("status"), QStringLiteral("renew")}
             .contains(verb)) {
        printErr(tr(RemoteUsage));
        return ExitUsage;
    }
    const std::optional<int> days = intOption(parser, validDays, 1, RemoteAccessStore::CaValidDays);
    const std::optional<int> before =
        intOption(parser, renewBefore, 0, RemoteAccessStore::CaValidDays);
    if (!days || !before)
        return ExitUsage;
    const int prepared = cli.prepare(parser, positional.at(1), positional.mid(2));
    if (prepared >= 0)
        return prepared;
    RemoteAccessStore store(cli.document()->lab().name);
    RemoteAccess job(cli.document(), &store);
    job.setMode(verb == QLatin1String("setup")   ? RemoteAccess::Mode::Setup
                : verb == QLatin1String("renew") ? RemoteAccess::Mode::Renew
                                                 : RemoteAccess::Mode::Status);
    job.setValidDays(*days);
    job.setRenewBeforeDays(*before);
    return cli.run(&job, QStringLiteral("remote ") + verb, [&store, &job]() {
        WorkflowCli::Verdict v;
        const CertificateInfo client = store.clientCertificate();
        const CertificateInfo ca =
            CertificateAuthority::inspect(RemoteAccessStore::readFile(store.caCertificatePath()));
        v.line = tr("CA %1; client certificate %2 (%3)")
                     .arg(expiryText(ca), expiryText(client), store.clientFolder());
        QJsonObject boards;
        for (const QString &id : job.boardIds())
            boards.insert(id, certificateJson(store.boardCertificate(id)));
        v.jsonKey = QStringLiteral("certificates");
        v.json = QJsonObject{{QStringLiteral("folder"), store.folder()},
                             {QStringLiteral("ca"), certificateJson(ca)},
                             {QStringLiteral("client"), certificateJson(client)},
                             {QStringLiteral("boards"), boards}};
        return v;
    });
}

int cmdContext(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Make (or update) the docker context for the lab, `hivelab-LAB`, pointing at a manager "
        "(the first one, or BOARD): over TLS on 2376 with the client certificate `hivelab "
        "remote setup` made, and print the equivalent DOCKER_HOST, DOCKER_TLS_VERIFY and "
        "DOCKER_CERT_PATH. --ssh makes `hivelab-LAB-ssh` over SSH instead (the login user needs "
        "the docker socket: --add-to-docker-group adds them to the board's docker group, which "
        "is as good as root there). The docker CLI keeps its contexts under DOCKER_CONFIG "
        "(default ~/.docker)."));
    WorkflowCli cli;
    cli.addOptions(&parser, false);
    const QCommandLineOption ssh(QStringLiteral("ssh"), tr("An ssh:// context instead of TLS."));
    const QCommandLineOption group(
        QStringLiteral("add-to-docker-group"),
        tr("With --ssh: add the login user to the board's docker group first."));
    parser.addOptions({ssh, group});
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    parser.addPositionalArgument(QStringLiteral("BOARD"), tr("The manager to point at."),
                                 QStringLiteral("[BOARD]"));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.size() > 2 ||
        (parser.isSet(group) && !parser.isSet(ssh))) {
        printErr(tr("Usage: hivelab context FILE [BOARD] [--ssh [--add-to-docker-group "
                    "[--password-stdin]]]"));
        return ExitUsage;
    }
    const int prepared = cli.prepare(parser, positional.first(), positional.mid(1));
    if (prepared >= 0)
        return prepared;
    const Lab &lab = cli.document()->lab();
    const Board *target = contextBoard(lab, cli.boardIds());
    if (!target) {
        printErr(tr("%1 has no boards.").arg(positional.first()));
        return ExitUsage;
    }
    const QString host = !target->ip.isEmpty() ? target->ip : target->sshTarget();
    const QString name = DockerTls::contextName(lab.name);
    const QString description = tr("Hivelab lab %1 (%2)").arg(lab.name, target->id);

    if (parser.isSet(ssh)) {
        if (parser.isSet(group)) {
            RemoteAccessStore store(lab.name);
            RemoteAccess job(cli.document(), &store);
            job.setMode(RemoteAccess::Mode::DockerGroup);
            const int code = cli.run(&job, QStringLiteral("docker group"));
            if (code != ExitOk)
                return code;
        }
        const QString url = DockerTls::sshDockerHost(target->sshUser, host, target->sshPort);
        printOut(QStringLiteral("DOCKER_HOST=") + url);
        return createContext(DockerTls::sshContextName(lab.name), description,
                             QStringLiteral("host=") + url);
    }

    RemoteAccessStore store(lab.name);
    const QString dir = store.clientFolder();
    if (!store.clientCertificate().valid) {
        printErr(tr("No client certificate for lab %1 in %2: run `hivelab remote setup %3` "
                    "first.")
                     .arg(lab.name, dir, positional.first()));
        return ExitFindings;
    }
    if (dir.contains(QLatin1Char(',')) || dir.contains(QLatin1Char('='))) {
        printErr(tr("The docker CLI cannot take a certificate folder whose path holds ',' or "
                    "'=' (%1).")
                     .arg(dir));
        return ExitFindings;
    }
    const QString url = QStringLiteral("tcp://%1:%2").arg(host).arg(DockerTls::Port);
    printOut(QStringLiteral("DOCKER_HOST=%1").arg(url));
    printOut(QStringLiteral("DOCKER_TLS_VERIFY=1"));
    printOut(QStringLiteral("DOCKER_CERT_PATH=%1").arg(dir));
    const QString spec = QStringLiteral("host=%1,ca=%2/ca.pem,cert=%2/cert.pem,key=%2/key.pem")
                             .arg(url, QDir::cleanPath(dir));
    return createContext(name, description, spec);
}

} // namespace Hivelab::Cli
