// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshbanner.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace Hivelab {

namespace {

QString tr(const char *s)
{
    return QCoreApplication::translate("SshBanner", s);
}

// OpenSSH upstream version -> the release that shipped it, when the vendor suffix omits it.
QString debianFor(const QString &ver)
{
    static const QList<QPair<QString, QString>> map = {
        {QStringLiteral("10.0"), QStringLiteral("13")},
        {QStringLiteral("9.2"), QStringLiteral("12")},
        {QStringLiteral("8.4"), QStringLiteral("11")},
        {QStringLiteral("7.9"), QStringLiteral("10")},
        {QStringLiteral("7.4"), QStringLiteral("9")},
        {QStringLiteral("6.7"), QStringLiteral("8")},
    };
    for (const auto &p : map) {
        if (ver.startsWith(p.first + QLatin1Char('p')) || ver == p.first)
            return p.second;
    }
    return {};
}

QString ubuntuFor(const QString &ver)
{
    static const QList<QPair<QString, QString>> map = {
        {QStringLiteral("9.6p1"), QStringLiteral("24.04")},
        {QStringLiteral("9.3p1"), QStringLiteral("23.10")},
        {QStringLiteral("9.0p1"), QStringLiteral("22.10")},
        {QStringLiteral("8.9p1"), QStringLiteral("22.04")},
        {QStringLiteral("8.4p1"), QStringLiteral("21.04")},
        {QStringLiteral("8.2p1"), QStringLiteral("20.04")},
        {QStringLiteral("7.6p1"), QStringLiteral("18.04")},
        {QStringLiteral("7.2p2"), QStringLiteral("16.04")},
        {QStringLiteral("6.6.1p1"), QStringLiteral("14.04")},
        {QStringLiteral("6.6p1"), QStringLiteral("14.04")},
    };
    for (const auto &p : map) {
        if (ver == p.first)
            return p.second;
    }
    return {};
}

} // namespace

SshBanner SshBanner::parse(const QByteArray &data)
{
    SshBanner b;
    QString line;
    for (const QByteArray &raw : data.split('\n')) {
        if (raw.startsWith("SSH-")) {
            // Printable ASCII only: a banner is attacker-controlled text shown in the UI.
            for (char c : raw) {
                if (c >= 0x20 && c < 0x7f)
                    line += QLatin1Char(c);
            }
            break;
        }
    }
    static const QRegularExpression re(QStringLiteral("^SSH-(\\d+\\.\\d+)-([^ ]+)(?: (.*))?$"));
    const auto m = re.match(line.trimmed());
    if (!m.hasMatch())
        return b;
    b.m_line = line.trimmed();
    b.m_protocol = m.captured(1);
    const QString softver = m.captured(2);
    b.m_comment = m.captured(3).trimmed();

    static const QRegularExpression openssh(QStringLiteral("^OpenSSH_(for_Windows_)?([^ ]+)$"),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression dropbear(QStringLiteral("^dropbear(?:_(.+))?$"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (const auto o = openssh.match(softver); o.hasMatch()) {
        b.m_software = QStringLiteral("OpenSSH");
        b.m_version = o.captured(2);
        if (!o.captured(1).isEmpty()) {
            b.m_windows = true;
            b.m_osHint = QStringLiteral("Windows");
            b.m_note = tr("OpenSSH for Windows: a Windows machine.");
            return b;
        }
        static const QRegularExpression debSuffix(QStringLiteral("deb(\\d+)u"));
        const QString c = b.m_comment;
        if (c.startsWith(QLatin1String("Ubuntu"), Qt::CaseInsensitive)) {
            const QString rel = ubuntuFor(b.m_version);
            b.m_osHint = rel.isEmpty() ? QStringLiteral("Ubuntu") : QStringLiteral("Ubuntu ") + rel;
        } else if (c.startsWith(QLatin1String("Raspbian"), Qt::CaseInsensitive)) {
            const auto d = debSuffix.match(c);
            const QString rel = d.hasMatch() ? d.captured(1) : debianFor(b.m_version);
            b.m_osHint = rel.isEmpty() ? QStringLiteral("Raspberry Pi OS")
                                       : QStringLiteral("Raspberry Pi OS (Debian %1)").arg(rel);
            b.m_note = tr("Raspbian build of OpenSSH: a Raspberry Pi running Raspberry Pi OS.");
        } else if (c.startsWith(QLatin1String("Debian"), Qt::CaseInsensitive)) {
            const auto d = debSuffix.match(c);
            const QString rel = d.hasMatch() ? d.captured(1) : debianFor(b.m_version);
            b.m_osHint = rel.isEmpty() ? QStringLiteral("Debian") : QStringLiteral("Debian ") + rel;
        } else if (c.contains(QLatin1String("FreeBSD"), Qt::CaseInsensitive)) {
            b.m_osHint = QStringLiteral("FreeBSD");
        }
        return b;
    }
    if (const auto d = dropbear.match(softver); d.hasMatch()) {
        b.m_software = QStringLiteral("Dropbear");
        b.m_version = d.captured(1);
        b.m_note = tr("Dropbear SSH server: typical of DietPi and other lightweight SBC images.");
        b.m_osHint = QStringLiteral("DietPi?");
        return b;
    }
    const int us = softver.indexOf(QLatin1Char('_'));
    b.m_software = us > 0 ? softver.left(us) : softver;
    b.m_version = us > 0 ? softver.mid(us + 1) : QString();
    if (b.m_software.contains(QLatin1String("Windows"), Qt::CaseInsensitive)) {
        b.m_windows = true;
        b.m_osHint = QStringLiteral("Windows");
    }
    return b;
}

} // namespace Hivelab
