// SPDX-License-Identifier: GPL-3.0-or-later
#include "opensshclient.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <memory>

namespace Hivelab {

QString OpenSshClient::defaultKnownHostsFile()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share");
    return dir + QStringLiteral("/hivelab/known_hosts");
}

void OpenSshClient::run(QObject *context, const QString &host, const QString &command,
                        const Options &options, Done done)
{
    const QString knownHosts =
        options.knownHostsFile.isEmpty() ? defaultKnownHostsFile() : options.knownHostsFile;
    QDir().mkpath(QFileInfo(knownHosts).absolutePath());
    QStringList args{
        QStringLiteral("-o"),
        QStringLiteral("BatchMode=yes"),
        QStringLiteral("-o"),
        QStringLiteral("ConnectTimeout=%1").arg(qMax(1, options.timeoutMs / 1000)),
        QStringLiteral("-o"),
        QStringLiteral("StrictHostKeyChecking=%1")
            .arg(options.acceptNewHostKey ? QStringLiteral("accept-new") : QStringLiteral("yes")),
        QStringLiteral("-o"),
        QStringLiteral("UserKnownHostsFile=") + knownHosts,
        QStringLiteral("-o"),
        QStringLiteral("LogLevel=ERROR"),
        QStringLiteral("-p"),
        QString::number(options.port)};
    if (!options.identityFile.isEmpty())
        args << QStringLiteral("-i") << options.identityFile << QStringLiteral("-o")
             << QStringLiteral("IdentitiesOnly=yes");
    args << QStringLiteral("--")
         << (options.user.isEmpty() ? host : options.user + QLatin1Char('@') + host) << command;

    auto *proc = new QProcess(context);
    auto finished = std::make_shared<bool>(false);
    auto out = std::make_shared<QByteArray>();
    const auto finish = [=](int code, const QString &error) {
        if (*finished)
            return;
        *finished = true;
        done(*out, code, error);
        proc->deleteLater();
    };
    QObject::connect(proc, &QProcess::readyReadStandardOutput, context, [=] {
        out->append(proc->read(options.maxOutputBytes - out->size()));
        if (out->size() >= options.maxOutputBytes)
            proc->readAllStandardOutput(); // drop the rest, keep the pipe flowing
    });
    QObject::connect(proc, &QProcess::finished, context, [=](int code, QProcess::ExitStatus st) {
        out->append(proc->read(options.maxOutputBytes - out->size()));
        const QString err = QString::fromUtf8(proc->readAllStandardError().left(2000)).trimmed();
        if (st != QProcess::NormalExit)
            finish(-1, tr("ssh was killed"));
        else if (code == 255)
            finish(code, err.isEmpty() ? tr("ssh failed (connection or authentication)") : err);
        else
            finish(code, QString());
    });
    QObject::connect(proc, &QProcess::errorOccurred, context, [=](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finish(-1, tr("cannot run ssh: %1").arg(proc->errorString()));
    });
    auto *timer = new QTimer(proc);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, context, [=] {
        proc->kill();
        finish(-1, tr("timed out after %1 ms").arg(options.timeoutMs));
    });
    timer->start(options.timeoutMs);
    proc->setProcessChannelMode(QProcess::SeparateChannels);
    proc->start(QStringLiteral("ssh"), args);
}

} // namespace Hivelab
