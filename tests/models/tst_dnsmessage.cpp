// SPDX-License-Identifier: GPL-3.0-or-later
#include "dnsmessage.h"

#include <QTest>
#include <QtEndian>

using namespace Hivelab;

namespace {

void put16(QByteArray *p, quint16 v)
{
    p->append(char(v >> 8));
    p->append(char(v & 0xff));
}

void put32(QByteArray *p, quint32 v)
{
    put16(p, quint16(v >> 16));
    put16(p, quint16(v & 0xffff));
}

// An mDNS answer as Avahi sends it: PTR answer plus SRV and A additionals, names compressed.
QByteArray avahiStyleResponse()
{
    QByteArray p;
    put16(&p, 0x1234);
    put16(&p, 0x8400); // response, authoritative
    put16(&p, 0);
    put16(&p, 1); // answers
    put16(&p, 0);
    put16(&p, 2);                 // additionals
    const int service = p.size(); // "_ssh._tcp.local" at offset 12
    p.append("\x04_ssh\x04_tcp\x05local\x00", 17);
    put16(&p, DnsMessage::Ptr);
    put16(&p, 1);
    put32(&p, 10);
    const int instance = p.size() + 2;
    put16(&p, 11); // rdata: "\x08pine64-1" + pointer to service
    p.append("\x08pine64-1", 9);
    put16(&p, quint16(0xc000 | service));
    // SRV for the instance (compressed owner), target "pine64-1.local"
    put16(&p, quint16(0xc000 | instance));
    put16(&p, DnsMessage::Srv);
    put16(&p, 0x8001); // cache-flush + IN
    put32(&p, 120);
    const int localOffset = service + 10; // "\x05local\x00"
    put16(&p, 6 + 9 + 2);
    put16(&p, 0);
    put16(&p, 0);
    put16(&p, 22);
    const int target = p.size();
    p.append("\x08pine64-1", 9);
    put16(&p, quint16(0xc000 | localOffset));
    // A record for the target
    put16(&p, quint16(0xc000 | target));
    put16(&p, DnsMessage::A);
    put16(&p, 0x8001);
    put32(&p, 120);
    put16(&p, 4);
    put32(&p, 0x0A4D000B); // 10.77.0.11
    return p;
}

} // namespace

class TestDnsMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queryRoundTrip();
    void parsesCompressedResponse();
    void rejectsPointerLoop();
    void rejectsTruncation();
};

void TestDnsMessage::queryRoundTrip()
{
    const QByteArray q = DnsMessage::query(
        7, {QStringLiteral("_ssh._tcp.local"), QStringLiteral("_workstation._tcp.local")},
        DnsMessage::Ptr);
    QString error;
    const auto m = DnsMessage::parse(q, &error);
    QVERIFY2(m, qPrintable(error));
    QCOMPARE(m->id, quint16(7));
    QVERIFY(!m->isResponse());
    QCOMPARE(m->questions, (QStringList{"_ssh._tcp.local", "_workstation._tcp.local"}));
}

void TestDnsMessage::parsesCompressedResponse()
{
    QString error;
    const auto m = DnsMessage::parse(avahiStyleResponse(), &error);
    QVERIFY2(m, qPrintable(error));
    QVERIFY(m->isResponse());
    QCOMPARE(m->records.size(), 3);
    QCOMPARE(m->records[0].name, QStringLiteral("_ssh._tcp.local"));
    QCOMPARE(m->records[0].target, QStringLiteral("pine64-1._ssh._tcp.local"));
    QCOMPARE(m->records[1].type, quint16(DnsMessage::Srv));
    QCOMPARE(m->records[1].name, QStringLiteral("pine64-1._ssh._tcp.local"));
    QCOMPARE(m->records[1].rrClass, quint16(1));
    QCOMPARE(m->records[1].port, quint16(22));
    QCOMPARE(m->records[1].target, QStringLiteral("pine64-1.local"));
    QCOMPARE(m->records[2].name, QStringLiteral("pine64-1.local"));
    QCOMPARE(m->records[2].ipv4, quint32(0x0A4D000B));
}

void TestDnsMessage::rejectsPointerLoop()
{
    QByteArray p;
    put16(&p, 1);
    put16(&p, 0x8400);
    put16(&p, 1);
    put16(&p, 0);
    put16(&p, 0);
    put16(&p, 0);
    put16(&p, 0xc00c); // name pointing at itself
    put16(&p, 1);
    put16(&p, 1);
    QString error;
    QVERIFY(!DnsMessage::parse(p, &error));
    QVERIFY(!error.isEmpty());
}

void TestDnsMessage::rejectsTruncation()
{
    const QByteArray full = avahiStyleResponse();
    QString error;
    for (int n = 0; n < full.size(); ++n)
        QVERIFY2(!DnsMessage::parse(full.left(n), &error), qPrintable(QString::number(n)));
    QVERIFY(DnsMessage::parse(full, &error));
}

QTEST_GUILESS_MAIN(TestDnsMessage)
#include "tst_dnsmessage.moc"
