// SPDX-License-Identifier: GPL-3.0-or-later
#include "dnsmessage.h"

#include <QtEndian>

namespace Hivelab {

namespace {

bool read16(const QByteArray &p, int *off, quint16 *v)
{
    if (*off < 0 || *off + 2 > p.size())
        return false;
    *v = qFromBigEndian<quint16>(p.constData() + *off);
    *off += 2;
    return true;
}

bool read32(const QByteArray &p, int *off, quint32 *v)
{
    if (*off < 0 || *off + 4 > p.size())
        return false;
    *v = qFromBigEndian<quint32>(p.constData() + *off);
    *off += 4;
    return true;
}

void put16(QByteArray *p, quint16 v)
{
    p->append(char(v >> 8));
    p->append(char(v & 0xff));
}

} // namespace

QByteArray DnsMessage::query(quint16 id, const QStringList &names, quint16 type)
{
    QByteArray p;
    put16(&p, id);
    put16(&p, 0); // standard query, no recursion
    put16(&p, quint16(names.size()));
    put16(&p, 0);
    put16(&p, 0);
    put16(&p, 0);
    for (const QString &name : names) {
        for (const QString &label : name.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
            const QByteArray l = label.toUtf8().left(63);
            p.append(char(l.size()));
            p.append(l);
        }
        p.append('\0');
        put16(&p, type);
        put16(&p, 1); // IN
    }
    return p;
}

std::optional<QString> DnsMessage::readName(const QByteArray &p, int *offset)
{
    QStringList labels;
    int off = *offset;
    int end = -1; // where the caller continues: after the first pointer or the final 0
    int jumps = 0;
    int length = 0;
    while (true) {
        if (off < 0 || off >= p.size())
            return std::nullopt;
        const quint8 len = quint8(p[off]);
        if (len == 0) {
            if (end < 0)
                end = off + 1;
            break;
        }
        if ((len & 0xc0) == 0xc0) {
            if (off + 1 >= p.size() || ++jumps > 16)
                return std::nullopt; // truncated or a pointer loop
            if (end < 0)
                end = off + 2;
            off = ((len & 0x3f) << 8) | quint8(p[off + 1]);
            continue;
        }
        if ((len & 0xc0) != 0 || off + 1 + len > p.size())
            return std::nullopt;
        length += len + 1;
        if (length > 255)
            return std::nullopt;
        labels << QString::fromUtf8(p.constData() + off + 1, len);
        off += 1 + len;
    }
    *offset = end;
    return labels.join(QLatin1Char('.'));
}

std::optional<DnsMessage> DnsMessage::parse(const QByteArray &p, QString *error)
{
    const auto fail = [error](const char *what) {
        *error = QString::fromLatin1(what);
        return std::nullopt;
    };
    DnsMessage m;
    int off = 0;
    quint16 qd = 0, an = 0, ns = 0, ar = 0;
    if (!read16(p, &off, &m.id) || !read16(p, &off, &m.flags) || !read16(p, &off, &qd) ||
        !read16(p, &off, &an) || !read16(p, &off, &ns) || !read16(p, &off, &ar))
        return fail("truncated header");
    for (int i = 0; i < qd; ++i) {
        const auto name = readName(p, &off);
        quint16 type = 0, cls = 0;
        if (!name || !read16(p, &off, &type) || !read16(p, &off, &cls))
            return fail("bad question");
        m.questions << *name;
    }
    const int total = an + ns + ar;
    for (int i = 0; i < total; ++i) {
        Record r;
        const auto name = readName(p, &off);
        quint16 rdlength = 0;
        if (!name || !read16(p, &off, &r.type) || !read16(p, &off, &r.rrClass) ||
            !read32(p, &off, &r.ttl) || !read16(p, &off, &rdlength))
            return fail("bad record header");
        if (off + rdlength > p.size())
            return fail("record data past the end");
        r.name = *name;
        r.rrClass &= 0x7fff; // mDNS cache-flush bit
        r.rdata = p.mid(off, rdlength);
        int roff = off;
        switch (r.type) {
        case A:
            if (rdlength != 4 || !read32(p, &roff, &r.ipv4))
                return fail("bad A record");
            break;
        case Ptr:
            if (const auto t = readName(p, &roff))
                r.target = *t;
            else
                return fail("bad PTR record");
            break;
        case Srv: {
            quint16 prio = 0, weight = 0;
            if (!read16(p, &roff, &prio) || !read16(p, &roff, &weight) ||
                !read16(p, &roff, &r.port))
                return fail("bad SRV record");
            if (const auto t = readName(p, &roff))
                r.target = *t;
            else
                return fail("bad SRV record");
            break;
        }
        default:
            break;
        }
        off += rdlength;
        m.records << r;
    }
    return m;
}

} // namespace Hivelab
