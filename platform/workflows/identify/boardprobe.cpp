// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardprobe.h"

namespace Hivelab {

InitSystem::Kind InitSystem::detect(bool systemdRunDir, const QString &pid1Name,
                                    bool haveInitScript, bool haveOpenRc)
{
    // /run/systemd/system is systemd's own test for "booted with systemd" (sd_booted()).
    if (systemdRunDir || pid1Name == QLatin1String("systemd"))
        return Systemd;
    if (pid1Name == QLatin1String("openrc-init") ||
        (pid1Name == QLatin1String("init") && haveOpenRc))
        return OpenRc;
    if (pid1Name == QLatin1String("init") || pid1Name == QLatin1String("runit") ||
        pid1Name == QLatin1String("busybox"))
        return haveInitScript ? SysVInit : None;
    // Containers and sandboxes: PID 1 is a shell, tini, a supervisor… nothing starts services.
    return pid1Name.isEmpty() ? Unknown : None;
}

QString InitSystem::name(Kind kind)
{
    switch (kind) {
    case Systemd:
        return QStringLiteral("systemd");
    case SysVInit:
        return QStringLiteral("sysvinit");
    case OpenRc:
        return QStringLiteral("openrc");
    case None:
        return QStringLiteral("none");
    case Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

bool BoardProbe::debianFamily() const
{
    static const QStringList family = {QStringLiteral("debian"), QStringLiteral("ubuntu"),
                                       QStringLiteral("raspbian"), QStringLiteral("dietpi"),
                                       QStringLiteral("armbian")};
    if (dietPi || family.contains(osId))
        return true;
    const QStringList like = osIdLike.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &l : like) {
        if (family.contains(l))
            return true;
    }
    return false;
}

QString BoardProbe::script()
{
    // One round trip. Every line is "key=value"; the docker info JSON comes last on one line.
    // /proc/1/comm needs no procps (minimal images lack ps); `timeout` bounds a hung engine.
    // Values go out through printf '%s' (kv): dash's echo (sh under sudo) would turn the "\n" inside
    // docker's JSON (a swarm's CA certificate) into real newlines and cut it.
    return QStringLiteral(
        "PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; export LC_ALL=C; "
        "kv() { printf '%s=%s\\n' \"$1\" \"$2\"; }; echo 'hl-probe 1'; "
        "kv uid \"$(id -u)\"; "
        "kv hostname \"$(hostname 2>/dev/null || cat /etc/hostname)\"; "
        "if [ -r /etc/os-release ]; then ( . /etc/os-release; kv os_id \"$ID\"; "
        "kv os_like \"$ID_LIKE\"; kv os_pretty \"$PRETTY_NAME\" ); fi; "
        "kv arch \"$(uname -m)\"; "
        "if [ -e /boot/dietpi ] || [ -e /DietPi ]; then echo dietpi=1; fi; "
        "if [ -d /run/systemd/system ]; then echo systemd=1; fi; "
        "p1=$(cat /proc/1/comm 2>/dev/null); "
        "[ -n \"$p1\" ] || p1=$(ps -p 1 -o comm= 2>/dev/null); kv pid1 \"$p1\"; "
        "if [ -x /etc/init.d/docker ]; then echo initscript=1; fi; "
        "if command -v rc-service >/dev/null 2>&1; then echo openrc=1; fi; "
        "if command -v apt-get >/dev/null 2>&1; then echo apt=1; fi; "
        // runc's own test (libcontainer/apparmor IsEnabled).
        "if [ -d /sys/kernel/security/apparmor ]; then "
        "case $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null) in Y*) echo apparmor=1;; "
        "esac; fi; "
        "if command -v dockerd >/dev/null 2>&1; then echo dockerd=1; fi; "
        "if command -v docker >/dev/null 2>&1; then echo docker_cli=1; "
        "if command -v timeout >/dev/null 2>&1; then t='timeout 20'; else t=''; fi; "
        "info=$($t docker info --format '{{json .}}' 2>/dev/null); kv info_rc $?; "
        "kv info \"$info\" | head -n 1; fi; exit 0");
}

BoardProbe BoardProbe::parse(const QByteArray &output)
{
    BoardProbe p;
    bool systemd = false, initScript = false, openRc = false;
    int infoRc = -1;
    const QList<QByteArray> lines = output.split('\n');
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.endsWith('\r') ? raw.chopped(1) : raw;
        if (line == "hl-probe 1") {
            p.valid = true;
            continue;
        }
        const int eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray key = line.left(eq);
        const QByteArray value = line.mid(eq + 1);
        const QString text = QString::fromUtf8(value).trimmed();
        if (key == "uid")
            p.isRoot = text == QLatin1String("0");
        else if (key == "hostname")
            p.hostname = text;
        else if (key == "os_id")
            p.osId = text.toLower();
        else if (key == "os_like")
            p.osIdLike = text.toLower();
        else if (key == "os_pretty")
            p.osPretty = text;
        else if (key == "arch")
            p.kernelArch = text;
        else if (key == "dietpi")
            p.dietPi = true;
        else if (key == "systemd")
            systemd = true;
        else if (key == "pid1")
            p.pid1Name = text;
        else if (key == "initscript")
            initScript = true;
        else if (key == "openrc")
            openRc = true;
        else if (key == "apt")
            p.haveAptGet = true;
        else if (key == "apparmor")
            p.appArmorEnabled = true;
        else if (key == "dockerd")
            p.haveDockerd = true;
        else if (key == "docker_cli")
            p.haveDockerCli = true;
        else if (key == "info_rc")
            infoRc = text.toInt();
        else if (key == "info")
            p.docker = DockerInfo::fromJson(value);
    }
    p.initSystem = InitSystem::detect(systemd, p.pid1Name, initScript, openRc);
    p.engineRunning = infoRc == 0 && p.docker.engineAnswered;
    return p;
}

} // namespace Hivelab
