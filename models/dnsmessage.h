// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

/// The few parts of RFC 1035 DNS messages that a multicast DNS (RFC 6762) query needs: building
/// a question packet and reading answers, including compressed names. Pure; any thread.
/// Input is untrusted network data: every read is bounds-checked and compression loops are cut.
class DnsMessage
{
public:
    enum Type : quint16 { A = 1, Ptr = 12, Txt = 16, Aaaa = 28, Srv = 33 };

    struct Record
    {
        QString name;
        quint16 type = 0;
        quint16 rrClass = 0; // without the mDNS cache-flush bit
        quint32 ttl = 0;
        QString target;   // PTR/SRV: the name pointed to
        quint16 port = 0; // SRV
        quint32 ipv4 = 0; // A
        QByteArray rdata;
    };

    quint16 id = 0;
    quint16 flags = 0;
    QStringList questions;
    QList<Record> records; // answer, authority and additional sections together

    bool isResponse() const { return flags & 0x8000; }

    /// A standard query asking each name for the given type (class IN).
    static QByteArray query(quint16 id, const QStringList &names, quint16 type);
    static std::optional<DnsMessage> parse(const QByteArray &packet, QString *error);
    /// Reads a possibly compressed name at *offset and advances it past the name.
    static std::optional<QString> readName(const QByteArray &packet, int *offset);
};

} // namespace Hivelab
