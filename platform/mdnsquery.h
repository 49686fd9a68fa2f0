// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

class QUdpSocket;

namespace Hivelab {

/// One bounded multicast DNS (RFC 6762) browse for DNS-SD services on one interface: sends PTR
/// questions to 224.0.0.251:5353 from an ephemeral port ("legacy unicast", so responders answer
/// us directly and no system mDNS daemon is needed or disturbed), follows SRV targets with A
/// questions, and collects address -> name. Asynchronous; owner thread. finished() always comes,
/// at the latest after the timeout.
class MdnsQuery : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MdnsQuery)
public:
    explicit MdnsQuery(QObject *parent = nullptr);

    static QStringList defaultServices();
    /// localAddress: this machine's IPv4 address on the interface to ask on (the scanned network).
    bool start(const QHostAddress &localAddress, const QStringList &services, int timeoutMs);
    QString errorString() const { return m_error; }
    /// "10.0.0.5" -> "pine64-1.local"
    QHash<QString, QString> namesByAddress() const { return m_names; }
    /// Service instances seen, e.g. "pine64-1._ssh._tcp.local".
    QStringList instances() const { return m_instances.values(); }

Q_SIGNALS:
    void finished();

private:
    void onReadyRead();
    void send(const QStringList &names, quint16 type);

    QUdpSocket *m_socket = nullptr;
    QTimer m_timeout;
    QString m_error;
    quint16 m_id = 0;
    QHash<QString, QString> m_names;
    QSet<QString> m_instances;
    QSet<QString> m_askedA;
    QHostAddress m_local;
};

} // namespace Hivelab
