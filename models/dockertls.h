// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

/// Rules for switching a Docker engine to TLS with client verification (remote access): the
/// daemon.json it gets, the daemon arguments that would conflict with it, and the names used on
/// boards and laptops. Pure functions, any thread.
namespace DockerTls {

/// The TLS port of the engine API. The unauthenticated 2375 is never opened.
constexpr quint16 Port = 2376;

/// Where the engine's TLS material lives on a board (root-owned, the key 0600).
QString boardFolder();        // /etc/docker/hivelab
QString boardCaPath();        // …/ca.pem
QString boardCertificatePath(); // …/server-cert.pem
QString boardKeyPath();       // …/server-key.pem

/// `existing` daemon.json (empty: none) with tls, tlsverify, tlscacert, tlscert, tlskey set to
/// the board paths and `hosts` = the unix sockets already configured there or in
/// `unixHosts` (default unix:///var/run/docker.sock when none) plus tcp://0.0.0.0:2376. Any
/// other tcp host (2375 included) is dropped. Every other setting stays. Nothing, with *error,
/// when `existing` is not a JSON object.
std::optional<QByteArray> mergeDaemonJson(const QByteArray &existing, const QStringList &unixHosts,
                                          QString *error);
/// True when `daemonJson` already has TLS with client verification on 2376 as set up here.
bool daemonJsonHasTls(const QByteArray &daemonJson);

/// A daemon command line split into what may stay once daemon.json holds the hosts and the
/// TLS settings (the engine refuses to start when a setting is both a flag and in the file):
/// `args` without -H/--host and --tls* (and their values); `hosts` the -H values removed.
struct DaemonArguments
{
    QStringList args;
    QStringList hosts;
};
DaemonArguments splitDaemonArguments(const QStringList &argv);

/// argv of `systemctl show -p ExecStart docker` output ("ExecStart={ path=… ; argv[]=/usr/bin/
/// dockerd -H fd:// … ; …}"); empty when there is none.
QStringList systemdExecStart(const QString &showOutput);

/// The addresses a board's certificate names, from `ip -o addr show` output: global and
/// site addresses of its own interfaces; loopback, link-local IPv6 and the interfaces Docker
/// makes (docker0, docker_gwbridge, br-…, veth…) are left out.
QStringList hostAddresses(const QString &ipAddrOutput);

/// `docker context` name for a lab: "hivelab-" + the lab name in lower case, every run of
/// characters other than a-z, 0-9, '.', '_' and '-' made one '-'.
QString contextName(const QString &labName);
/// The `docker context` reaching the same lab over SSH: contextName() + "-ssh".
QString sshContextName(const QString &labName);
/// DOCKER_HOST for an engine reached over SSH: ssh://[user@]host[:port] (port 22 left out).
QString sshDockerHost(const QString &user, const QString &host, int port);

} // namespace DockerTls

} // namespace Hivelab
