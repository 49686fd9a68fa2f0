// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dockerinfo.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace Hivelab {

/// How a board starts services. Plain enum; any thread.
class InitSystem
{
    Q_GADGET
public:
    enum Kind { Unknown, Systemd, SysVInit, OpenRc, None };
    Q_ENUM(Kind)
    /// Decides from what the board shows: /run/systemd/system exists (booted with systemd), the
    /// name of PID 1 (`ps -p 1 -o comm=`), and whether an init script / rc-service exists.
    /// "None" covers containers and sandboxes where PID 1 is not an init at all: nothing
    /// starts daemons there, so Hivelab starts dockerd itself.
    static Kind detect(bool systemdRunDir, const QString &pid1Name, bool haveInitScript,
                       bool haveOpenRc);
    static QString name(Kind kind);
};

/// Everything the Docker setup needs to know about a board, from one shell script run as root.
/// Plain value type, any thread.
struct BoardProbe
{
    bool valid = false;  // the script ran and said "hl-probe 1"
    bool isRoot = false; // the script ran with uid 0 (root login or sudo worked)
    QString hostname;
    QString osId;        // /etc/os-release ID: "debian", "ubuntu", "raspbian", …
    QString osIdLike;    // ID_LIKE
    QString osPretty;    // PRETTY_NAME
    QString kernelArch;  // uname -m
    bool dietPi = false; // /boot/dietpi or /DietPi exists
    InitSystem::Kind initSystem = InitSystem::Unknown;
    QString pid1Name;
    bool haveAptGet = false;
    bool haveDockerCli = false;
    bool haveDockerd = false;
    bool engineRunning = false;
    // The kernel enforces AppArmor (/sys/module/apparmor/parameters/enabled is Y, as on
    // Debian's and Ubuntu's kernels): Docker 20.10 then needs apparmor_parser to start containers.
    bool appArmorEnabled = false;
    DockerInfo docker; // valid when the CLI exists

    bool dockerInstalled() const { return haveDockerCli && haveDockerd; }
    /// Debian family (Debian, Ubuntu, Raspberry Pi OS, DietPi, Armbian): docker.io from apt.
    bool debianFamily() const;

    /// The POSIX sh script to run as root; prints "key=value" lines and the docker info JSON.
    static QString script();
    static BoardProbe parse(const QByteArray &output);
};

} // namespace Hivelab
