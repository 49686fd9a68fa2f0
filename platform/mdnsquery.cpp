// SPDX-License-Identifier: GPL-3.0-or-later
#include "mdnsquery.h"
#include "dnsmessage.h"
#include "scantargets.h"

#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QUdpSocket>
#include <QVariant>

namespace Hivelab {

namespace {
// 224.0.0.251, made where it is sent: a QHostAddress built at start-up would load Qt Network
// with every command and window (app/lazyload/lazyload.cpp).
constexpr quint32 MdnsGroup = 0xe00000fb;
constexpr quint16 MdnsPort = 5353;
constexpr int MaxDatagrams = 512; // per query, whatever responders send
constexpr int MaxFollowUps = 64;  // A questions for SRV targets
} // namespace

MdnsQuery::MdnsQuery(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->close();
        Q_EMIT finished();
    });
}

QStringList MdnsQuery::defaultServices()
{
    return {QStringLiteral("_ssh._tcp.local"), QStringLiteral("_workstation._tcp.local")};
}

bool MdnsQuery::start(const QHostAddress &localAddress, const QStringList &services, int timeoutMs)
{
    m_local = localAddress;
    m_socket = new QUdpSocket(this);
    if (!m_socket->bind(localAddress, 0)) {
        m_error = m_socket->errorString();
        return false;
    }
    for (const QNetworkInterface &iface : QNetworkInterface::allInterfaces()) {
        for (const QNetworkAddressEntry &e : iface.addressEntries()) {
            if (e.ip() == localAddress)
                m_socket->setMulticastInterface(iface);
        }
    }
    m_socket->setSocketOption(QAbstractSocket::MulticastTtlOption, QVariant(255));
    m_socket->setSocketOption(QAbstractSocket::MulticastLoopbackOption, QVariant(0));
    connect(m_socket, &QUdpSocket::readyRead, this, &MdnsQuery::onReadyRead);
    m_id = quint16(QRandomGenerator::global()->bounded(1, 65535));
    send(services, DnsMessage::Ptr);
    m_timeout.start(timeoutMs);
    return true;
}

void MdnsQuery::send(const QStringList &names, quint16 type)
{
    m_socket->writeDatagram(DnsMessage::query(m_id, names, type), QHostAddress(MdnsGroup),
                           MdnsPort);
}

void MdnsQuery::onReadyRead()
{
    int budget = MaxDatagrams;
    QStringList askA;
    while (m_socket->hasPendingDatagrams() && budget-- > 0) {
        QByteArray datagram(int(qMin<qint64>(m_socket->pendingDatagramSize(), 9000)), '\0');
        QHostAddress from;
        if (m_socket->readDatagram(datagram.data(), datagram.size(), &from) < 0)
            continue;
        QString error;
        const auto msg = DnsMessage::parse(datagram, &error);
        if (!msg || !msg->isResponse())
            continue;
        QHash<QString, QString> srvTargets;
        for (const DnsMessage::Record &r : msg->records) {
            if (r.type == DnsMessage::A)
                m_names.insert(ScanTargets::formatIPv4(r.ipv4), r.name);
            else if (r.type == DnsMessage::Ptr && r.name.startsWith(QLatin1Char('_')))
                m_instances.insert(r.target);
            else if (r.type == DnsMessage::Srv)
                srvTargets.insert(r.name, r.target);
        }
        for (const QString &target : std::as_const(srvTargets)) {
            if (!m_names.values().contains(target) && !m_askedA.contains(target) &&
                m_askedA.size() < MaxFollowUps) {
                m_askedA.insert(target);
                askA << target;
            }
        }
    }
    if (!askA.isEmpty())
        send(askA, DnsMessage::A);
}

} // namespace Hivelab
