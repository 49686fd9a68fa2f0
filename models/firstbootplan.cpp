// SPDX-License-Identifier: GPL-3.0-or-later
#include "firstbootplan.h"

#include "addressrules.h"

#include <QRegularExpression>
#include <QSet>

namespace Hivelab {

namespace {

/// The prefix of a board's static address: its own, else the lab subnet's (-1: none).
int prefixOf(const Lab &lab, const Board &board)
{
    if (board.firstBoot.prefixLength >= 0)
        return board.firstBoot.prefixLength;
    quint32 network = 0;
    int prefix = -1;
    if (AddressRules::parseIpv4Cidr(lab.network.subnet, &network, &prefix))
        return prefix;
    return -1;
}

} // namespace

QString IdentityProblem::message() const
{
    switch (code) {
    case Code::NoHostname:
        return FirstBootPlan::tr("no hostname planned");
    case Code::NoUser:
        return FirstBootPlan::tr("no login user: set the board's sshUser or the lab's loginUser");
    case Code::NoAddress:
        return FirstBootPlan::tr("static addressing but no address planned (allocate one)");
    case Code::NotIpv4:
        return FirstBootPlan::tr("%1 is not an IPv4 address").arg(value);
    case Code::NoPrefix:
        return FirstBootPlan::tr("no prefix length: set the lab's subnet or the board's "
                                 "prefixLength");
    case Code::OutsideSubnet:
        return FirstBootPlan::tr("%1 is outside the subnet %2").arg(value, other);
    case Code::IsGateway:
        return FirstBootPlan::tr("%1 is the gateway's address").arg(value);
    case Code::NetworkOrBroadcast:
        return FirstBootPlan::tr("%1 is the network or broadcast address").arg(value);
    case Code::AddressTaken:
        return FirstBootPlan::tr("%1 is also planned for board \"%2\"").arg(value, other);
    case Code::GatewayOutsideNetwork:
        return FirstBootPlan::tr("the gateway %1 is outside the board's network").arg(value);
    case Code::HostnameTaken:
        return FirstBootPlan::tr("hostname \"%1\" is also planned for board \"%2\"")
            .arg(value, other);
    }
    return {};
}

BoardIdentity FirstBootPlan::identity(const Lab &lab, const Board &board)
{
    const NetworkSettings &n = lab.network;
    const FirstBoot &f = board.firstBoot;
    BoardIdentity id;
    id.boardId = board.id;
    id.hostname = board.hostname;
    id.user = !board.sshUser.isEmpty() ? board.sshUser : n.loginUser;
    id.addressing = board.addressing;
    id.timezone = !f.timezone.isEmpty() ? f.timezone : n.timezone;
    id.locale = !f.locale.isEmpty() ? f.locale : n.locale;
    id.instanceId = f.instanceId;
    id.sshServer = f.sshServer == SshServer::Dropbear ? SshServer::Dropbear : SshServer::OpenSsh;
    if (board.addressing == Addressing::Static) {
        id.address = board.ip;
        id.prefixLength = prefixOf(lab, board);
        id.gateway = !f.gateway.isEmpty() ? f.gateway : n.gateway;
        id.dns = !f.dns.isEmpty() ? f.dns : n.dns;
    }
    return id;
}

QList<IdentityProblem> FirstBootPlan::problems(const Lab &lab, const Board &board)
{
    using C = IdentityProblem::Code;
    QList<IdentityProblem> out;
    const BoardIdentity id = identity(lab, board);
    if (id.hostname.isEmpty())
        out.append({C::NoHostname, {}, {}});
    if (id.user.isEmpty())
        out.append({C::NoUser, {}, {}});
    for (const Board &other : lab.boards) {
        if (other.id != board.id && !id.hostname.isEmpty() &&
            other.hostname.compare(id.hostname, Qt::CaseInsensitive) == 0) {
            out.append({C::HostnameTaken, id.hostname, other.id});
            break;
        }
    }
    if (id.addressing != Addressing::Static)
        return out;
    quint32 address = 0;
    if (id.address.isEmpty()) {
        out.append({C::NoAddress, {}, {}});
        return out;
    }
    if (!AddressRules::parseIpv4(id.address, &address)) {
        out.append({C::NotIpv4, id.address, {}});
        return out;
    }
    if (id.prefixLength < 0) {
        out.append({C::NoPrefix, {}, {}});
        return out;
    }
    quint32 subnet = 0;
    int subnetPrefix = 0;
    if (AddressRules::parseIpv4Cidr(lab.network.subnet, &subnet, &subnetPrefix) &&
        (address & AddressRules::ipv4Mask(subnetPrefix)) != subnet)
        out.append({C::OutsideSubnet, id.address, lab.network.subnet});
    const quint32 mask = AddressRules::ipv4Mask(id.prefixLength);
    if (id.prefixLength <= 30 && ((address & ~mask) == 0 || (address & ~mask) == ~mask))
        out.append({C::NetworkOrBroadcast, id.address, {}});
    quint32 gateway = 0;
    if (!id.gateway.isEmpty() && AddressRules::parseIpv4(id.gateway, &gateway)) {
        if (gateway == address)
            out.append({C::IsGateway, id.address, {}});
        else if ((gateway & mask) != (address & mask))
            out.append({C::GatewayOutsideNetwork, id.gateway, {}});
    }
    for (const Board &other : lab.boards) {
        if (other.id != board.id && other.ip == id.address) {
            out.append({C::AddressTaken, id.address, other.id});
            break;
        }
    }
    return out;
}

bool FirstBootPlan::allocateAddresses(Lab *lab, const QStringList &boardIds,
                                      QStringList *assigned, QString *error)
{
    assigned->clear();
    QList<int> wanting;
    for (int i = 0; i < lab->boards.size(); ++i) {
        const Board &b = lab->boards.at(i);
        if ((boardIds.isEmpty() || boardIds.contains(b.id)) &&
            b.addressing == Addressing::Static && b.ip.isEmpty())
            wanting.append(i);
    }
    if (wanting.isEmpty())
        return true;
    quint32 network = 0;
    int prefix = 0;
    if (!AddressRules::parseIpv4Cidr(lab->network.subnet, &network, &prefix)) {
        *error = tr("the lab has no IPv4 subnet to allocate addresses from (network.subnet)");
        return false;
    }
    if (prefix > 30) {
        *error = tr("the subnet %1 has no room for boards").arg(lab->network.subnet);
        return false;
    }
    const quint32 broadcast = network | ~AddressRules::ipv4Mask(prefix);
    QSet<quint32> taken;
    auto take = [&taken](const QString &text) {
        quint32 a = 0;
        if (AddressRules::parseIpv4(text, &a))
            taken.insert(a);
    };
    take(lab->network.gateway);
    for (const QString &dns : std::as_const(lab->network.dns))
        take(dns);
    for (const Board &b : std::as_const(lab->boards)) {
        take(b.ip);
        take(b.firstBoot.gateway);
    }
    quint32 next = network + 1;
    quint32 start = 0;
    if (AddressRules::parseIpv4(lab->network.poolStart, &start) && start > network &&
        start < broadcast)
        next = start;
    QList<QPair<int, quint32>> plan;
    for (const int i : std::as_const(wanting)) {
        while (next < broadcast && taken.contains(next))
            ++next;
        if (next >= broadcast) {
            *error = tr("the subnet %1 has no free address left for board \"%2\"")
                         .arg(lab->network.subnet, lab->boards.at(i).id);
            return false;
        }
        plan.append({i, next});
        taken.insert(next);
    }
    for (const auto &[i, address] : std::as_const(plan)) {
        lab->boards[i].ip = AddressRules::ipv4Text(address);
        assigned->append(lab->boards.at(i).id);
    }
    return true;
}

QString FirstBootPlan::makeInstanceId(const QString &boardId, quint32 nonce)
{
    return QStringLiteral("hivelab-%1-%2").arg(boardId).arg(nonce, 8, 16, QLatin1Char('0'));
}

bool FirstBootPlan::isValidUserName(const QString &user)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_-]{0,31}$"));
    return re.match(user).hasMatch();
}

bool FirstBootPlan::isValidTimezone(const QString &tz)
{
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}$"));
    return tz.size() <= 64 && re.match(tz).hasMatch();
}

bool FirstBootPlan::isValidLocale(const QString &locale)
{
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z]{1,8}(_[A-Za-z0-9]{1,8})?(\\.[A-Za-z0-9-]{1,16})?(@[a-z]{1,16})?$"));
    return re.match(locale).hasMatch();
}

bool FirstBootPlan::isValidInstanceId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._:-]{1,128}$"));
    return re.match(id).hasMatch();
}

} // namespace Hivelab
