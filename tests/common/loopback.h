// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For tests that point jobs at 127.0.0.1: boards there, and a port nothing answers on.

#include "labtypes.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace HivelabTest {

/// A port bound but not listening: connections are refused, and as long as the socket (owned by
/// `owner`) lives no other process (tests run in parallel elsewhere) can take the port over.
inline quint16 closedPort(QObject *owner)
{
    auto *socket = new QTcpSocket(owner);
    if (!socket->bind(QHostAddress::LocalHost, 0))
        qFatal("cannot bind a loopback port");
    return socket->localPort();
}

/// Accepts connections and never sends a byte: an SSH handshake there hangs until it is cancelled
/// or times out. Keeps what it accepted open while it lives.
class SilentServer : public QTcpServer
{
public:
    SilentServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *s = nextPendingConnection())
                m_held << s;
        });
    }
    /// Connections accepted so far.
    int held() const { return int(m_held.size()); }
    void closeConnections()
    {
        qDeleteAll(m_held);
        m_held.clear();
    }

private:
    QList<QTcpSocket *> m_held;
};

/// A board at 127.0.0.1:port whose ID, name and host name are `id`.
inline Hivelab::Board loopbackBoard(const QString &id, quint16 port, Hivelab::Role role,
                                    const QString &sshUser)
{
    Hivelab::Board b;
    b.id = b.name = b.hostname = id;
    b.ip = QStringLiteral("127.0.0.1");
    b.sshPort = port;
    b.sshUser = sshUser;
    b.role = role;
    return b;
}

} // namespace HivelabTest
