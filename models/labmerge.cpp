// SPDX-License-Identifier: GPL-3.0-or-later
#include "labmerge.h"

#include "addressrules.h"
#include "boardcatalog.h"
#include "boardplacement.h"
#include "labfile.h"
#include "modelidentification.h"
#include "nodelabels.h"
#include "ouitable.h"
#include "scantargets.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace Hivelab {

namespace {

QString tr(const char *s)
{
    return QCoreApplication::translate("LabMerge", s);
}

QString normMac(const QString &mac)
{
    return OuiTable::normalizeMac(mac).value_or(QString());
}

QString shortName(const QString &hostname)
{
    QString h = hostname.trimmed().toLower();
    if (h.endsWith(QLatin1Char('.')))
        h.chop(1);
    return h.section(QLatin1Char('.'), 0, 0);
}

// A board whose recorded MAC differs from the host's is another device, whatever its name/IP.
bool macCompatible(const Board &b, const QString &hostMac)
{
    const QString bm = normMac(b.mac);
    return bm.isEmpty() || hostMac.isEmpty() || bm == hostMac;
}

QString catalogModel(const DiscoveredHost &h)
{
    return ModelIdentification::identify(h.mac, h.facts ? &*h.facts : nullptr,
                                         BoardCatalog::builtin())
        .modelId;
}

// Fills what the lab does not know yet; returns the names of the fields changed.
QString roleWord(Role role)
{
    return role == Role::Unassigned ? tr("unassigned")
                                    : tr("%1 in its running swarm").arg(roleName(role));
}

// A swarm member's own labels the plan does not give it yet (the board's labels, the swarm's
// defaults, its architecture). `hivelab.` labels are never recorded: the plan computes them.
bool recordNodeLabels(Board *b, const HostFacts &facts, const SwarmSettings &swarm)
{
    bool any = false;
    for (auto it = facts.swarmNodeLabels.cbegin(); it != facts.swarmNodeLabels.cend(); ++it) {
        const QString &key = it.key();
        const auto byDefault = swarm.defaultLabels.constFind(key);
        const bool planned =
            b->labels.contains(key) ||
            (byDefault != swarm.defaultLabels.cend() && *byDefault == it.value()) ||
            (key == QLatin1String("arch") && it.value() == b->arch);
        if (NodeLabels::isOwned(key) || planned)
            continue;
        b->labels.insert(key, it.value());
        any = true;
    }
    return any;
}

// The rack a swarm member's `hivelab.rack` label names (by rack ID), when the lab has it and it
// has a free slot: its ID, and the first free slot in *slot. Empty otherwise.
QString labelledRack(const Lab &lab, const DiscoveredHost &h, int *slot)
{
    if (!h.facts)
        return {};
    const Rack *rack =
        lab.rack(h.facts->swarmNodeLabels.value(NodeLabels::prefix() + QStringLiteral("rack")));
    for (int s = 0; rack && s < rack->slotCount; ++s) {
        if (!lab.boardAt(rack->id, s)) {
            *slot = s;
            return rack->id;
        }
    }
    return {};
}

// Puts an unplaced board of `lab` into the rack its node label names (placeBoard(): cabled to
// that rack's gear); false when it is placed already or no label places it.
bool placeByLabel(Lab *lab, const QString &boardId, const DiscoveredHost &h)
{
    const Board *b = lab->board(boardId);
    int slot = -1;
    const QString rackId = b && b->rackId.isEmpty() ? labelledRack(*lab, h, &slot) : QString();
    if (rackId.isEmpty())
        return false;
    placeBoard(lab, BoardCatalog::builtin(), boardId, rackId, slot);
    return true;
}

QStringList fillMissing(Board *b, const DiscoveredHost &h, const SwarmSettings &swarm)
{
    QStringList changed;
    const auto set = [&changed](QString *field, const QString &value, const char *name) {
        if (field->isEmpty() && !value.isEmpty()) {
            *field = value;
            changed << QLatin1String(name);
        }
    };
    set(&b->mac, normMac(h.mac), "MAC");
    // Network names need not be host names ("my_pi" in reverse DNS); the lab file refuses those.
    if (const QString hostname = h.shortHostname(); AddressRules::isValidHostname(hostname))
        set(&b->hostname, hostname, "hostname");
    if (h.facts) {
        // Measured beats planned or guessed: a model (e.g. from the MAC's vendor block) that
        // contradicts what the board reports goes, and so does another architecture.
        const QString arch = h.facts->debianArch();
        if (!arch.isEmpty() && !b->arch.isEmpty() && b->arch != arch) {
            b->arch = arch;
            changed << QStringLiteral("architecture");
        }
        if (!b->model.isEmpty() &&
            ModelIdentification::conflictWith(b->model, *h.facts, BoardCatalog::builtin()) !=
                ModelIdentification::Conflict::None) {
            b->model = catalogModel(h);
            changed << QStringLiteral("model");
        }
        set(&b->arch, arch, "architecture");
        set(&b->os, h.facts->osPrettyName, "OS");
        // A member of a running swarm (adopting it): its node ID, and its role unless the plan
        // already gives one.
        if (LabFile::isValidNodeId(h.facts->swarmNodeId))
            set(&b->nodeId, h.facts->swarmNodeId, "swarm node ID");
        Role role = Role::Unassigned;
        if (b->role == Role::Unassigned && roleFromName(h.facts->swarmRole(), &role) &&
            role != Role::Unassigned) {
            b->role = role;
            changed << QStringLiteral("role");
        }
        if (recordNodeLabels(b, *h.facts, swarm))
            changed << QStringLiteral("node labels");
    } else if (!h.osHint.endsWith(QLatin1Char('?'))) {
        set(&b->os, h.osHint, "OS");
    }
    set(&b->model, catalogModel(h), "model");
    if (h.sshPort > 0 && !h.hasPort(b->sshPort)) {
        b->sshPort = h.sshPort;
        changed << QStringLiteral("SSH port");
    }
    return changed;
}

// IPv4 addresses numerically, then everything else (IPv6, names) as text.
bool addressLess(const DiscoveredHost &a, const DiscoveredHost &b)
{
    const auto x = ScanTargets::parseIPv4(a.ip);
    const auto y = ScanTargets::parseIPv4(b.ip);
    if (x && y)
        return *x < *y;
    if (x || y)
        return bool(x);
    return a.ip < b.ip;
}

} // namespace

void LabMerge::place(const Lab &lab, Board *board)
{
    QList<const Rack *> racks;
    for (const Rack &rack : lab.racks)
        racks << &rack;
    const auto used = [&lab](const Rack *r) {
        return std::count_if(lab.boards.cbegin(), lab.boards.cend(),
                             [r](const Board &b) { return b.rackId == r->id; });
    };
    std::stable_sort(racks.begin(), racks.end(),
                     [&used](const Rack *a, const Rack *b) { return used(a) < used(b); });
    for (const Rack *rack : std::as_const(racks)) {
        for (int slot = 0; slot < rack->slotCount; ++slot) {
            if (lab.boardAt(rack->id, slot))
                continue;
            board->rackId = rack->id;
            board->slot = slot;
            for (const PowerSupply &psu : lab.powerSupplies) {
                if (psu.rackId == rack->id) {
                    board->psuId = psu.id;
                    break;
                }
            }
            for (const NetworkSwitch &sw : lab.switches) {
                if (sw.rackId != rack->id)
                    continue;
                for (int port = 1; port <= sw.ports; ++port) {
                    const bool taken =
                        std::any_of(lab.boards.cbegin(), lab.boards.cend(), [&](const Board &b) {
                            return b.switchId == sw.id && b.switchPort == port;
                        });
                    if (!taken) {
                        board->switchId = sw.id;
                        board->switchPort = port;
                        break;
                    }
                }
                break;
            }
            return;
        }
    }
}

QStringList LabMerge::fillIn(const Lab &lab, Board *board, const DiscoveredHost &host)
{
    QStringList changed = fillMissing(board, host, lab.swarm);
    const QString hostname = host.shortHostname();
    const bool generatedName =
        board->name == board->id && board->id.startsWith(QLatin1String("board-"));
    if (generatedName && !hostname.isEmpty()) {
        bool taken = false;
        for (const Board &other : lab.boards)
            taken |=
                other.id != board->id && other.name.compare(hostname, Qt::CaseInsensitive) == 0;
        if (!taken) {
            board->name = hostname;
            changed << QStringLiteral("name");
        }
    }
    if (board->rackId.isEmpty()) {
        Lab placed = lab;
        placed.boards.removeIf([board](const Board &b) { return b.id == board->id; });
        placed.boards << *board;
        if (placeByLabel(&placed, board->id, host)) {
            *board = *placed.board(board->id);
            changed << QStringLiteral("rack");
        }
    }
    return changed;
}

Lab LabMerge::fillIn(const Lab &lab, const QHash<QString, DiscoveredHost> &hosts,
                     QStringList *changedIds)
{
    Lab filled = lab;
    for (Board &b : filled.boards) {
        const auto host = hosts.constFind(b.id);
        if (host == hosts.cend())
            continue;
        Board copy = b;
        if (fillIn(filled, &copy, *host).isEmpty())
            continue;
        b = copy;
        if (changedIds)
            *changedIds << b.id;
    }
    return filled;
}

int LabMerge::Result::count(Kind kind) const
{
    int n = 0;
    for (const Change &c : changes)
        n += c.kind == kind ? 1 : 0;
    return n;
}

namespace {

using Change = LabMerge::Change;
using Kind = LabMerge::Kind;

// The board of `boards` (not in `matched`) a host is: by the marker of the card it booted from
// (the instance ID `card prepare` recorded), then MAC, hostname, IP. index -1: none; `sameName`
// > 1: that many boards share its hostname (a conflict, nothing is matched).
struct Match
{
    int index = -1;
    QString by;
    int sameName = 0;
};

Match matchHost(const QList<Board> &boards, const QSet<int> &matched, const DiscoveredHost &h)
{
    const QString mac = normMac(h.mac);
    const QString name = h.shortHostname();
    const auto unmatched = [&](auto pred) {
        QList<int> idx;
        for (int i = 0; i < boards.size(); ++i) {
            if (!matched.contains(i) && pred(boards[i]))
                idx << i;
        }
        return idx;
    };
    // A card carries its planned board's identity into whatever hardware it is plugged in: its
    // marker beats a hostname or address another board has, and a MAC recorded for another one.
    if (const QString marker = h.facts ? h.facts->instanceId : QString(); !marker.isEmpty()) {
        const QList<int> c =
            unmatched([&](const Board &b) { return b.firstBoot.instanceId == marker; });
        if (!c.isEmpty())
            return {c.first(), QStringLiteral("instance-id"), 0};
    }
    if (!mac.isEmpty()) {
        const QList<int> c = unmatched([&](const Board &b) { return normMac(b.mac) == mac; });
        if (!c.isEmpty())
            return {c.first(), QStringLiteral("mac"), 0};
    }
    if (!name.isEmpty()) {
        const QList<int> c = unmatched(
            [&](const Board &b) { return shortName(b.hostname) == name && macCompatible(b, mac); });
        if (c.size() > 1)
            return {-1, QStringLiteral("hostname"), int(c.size())};
        if (c.size() == 1)
            return {c.first(), QStringLiteral("hostname"), 1};
    }
    if (!h.ip.isEmpty()) {
        const QList<int> c = unmatched([&](const Board &b) {
            const QString bn = shortName(b.hostname);
            return b.ip == h.ip && macCompatible(b, mac) &&
                   (bn.isEmpty() || name.isEmpty() || bn == name);
        });
        if (!c.isEmpty())
            return {c.first(), QStringLiteral("ip"), 0};
    }
    return {};
}

// A known board found again: what it did not record is filled in, its address updated.
Change updateBoard(Lab *lab, int index, const DiscoveredHost &h, const QString &by)
{
    Board &b = lab->boards[index];
    Change ch;
    ch.boardId = b.id;
    ch.ip = h.ip;
    ch.matchedBy = by;
    ch.previousIp = b.ip;
    const bool byMarker = by == QLatin1String("instance-id");
    const QString name = b.name.isEmpty() ? b.id : b.name; // plans may leave names out
    QStringList filled = fillMissing(&b, h, lab->swarm);
    if (placeByLabel(lab, b.id, h))
        filled << QStringLiteral("rack");
    if (!b.ip.isEmpty() && b.ip != h.ip) {
        ch.kind = Kind::IpChanged;
        ch.message =
            tr("%1: address changed from %2 to %3 (matched by %4).").arg(name, b.ip, h.ip, by);
    } else if (!filled.isEmpty() || b.ip.isEmpty()) {
        QStringList what = filled;
        if (b.ip.isEmpty())
            what.prepend(QStringLiteral("IP"));
        ch.kind = Kind::Updated;
        ch.message = (byMarker ? tr("%1 at %2: recorded %3 (matched by its card's instance ID).")
                               : tr("%1 at %2: recorded %3."))
                         .arg(name, h.ip, what.join(QStringLiteral(", ")));
    } else {
        ch.kind = Kind::Unchanged;
        ch.message = (byMarker ? tr("%1 at %2: already in the lab (matched by its card's "
                                    "instance ID).")
                               : tr("%1 at %2: already in the lab."))
                         .arg(name, h.ip);
    }
    b.ip = h.ip;
    return ch;
}

// A new board for the host, appended to the lab: unassigned unless it is a member of a running
// swarm, placed where its rack label says, else spread out (LabMerge::place).
Change addBoard(Lab *lab, const DiscoveredHost &h)
{
    const QString name = h.shortHostname();
    Board b;
    b.id = lab->uniqueId(QStringLiteral("board"));
    b.name = name.isEmpty() ? b.id : name;
    b.ip = h.ip;
    b.role = Role::Unassigned;
    b.slot = -1;
    fillMissing(&b, h, lab->swarm);
    b.notes = h.vendor.isEmpty() ? tr("Found by discovery at %1.").arg(h.ip)
                                 : tr("Found by discovery at %1 (%2).").arg(h.ip, h.vendor);
    int labelSlot = -1;
    const bool labelled = !labelledRack(*lab, h, &labelSlot).isEmpty();
    if (!labelled)
        LabMerge::place(*lab, &b);
    lab->boards.append(b);
    if (labelled)
        placeByLabel(lab, b.id, h);
    const Board &added = lab->boards.constLast();
    const Rack *rack = lab->rack(added.rackId);
    const QString message = rack ? tr("New board %1 at %2 (%3, %4 slot %5).")
                                       .arg(added.name, h.ip, roleWord(added.role), rack->name)
                                       .arg(added.slot + 1)
                                 : tr("New board %1 at %2 (%3, not placed).")
                                       .arg(added.name, h.ip, roleWord(added.role));
    return Change{Kind::Added, added.id, h.ip, QString(), QString(), message};
}

} // namespace

LabMerge::Result LabMerge::merge(const Lab &lab, const QList<DiscoveredHost> &hosts,
                                 const QStringList &scannedHosts)
{
    Result r;
    r.lab = lab;
    QSet<int> matched;
    QList<DiscoveredHost> ordered = hosts;
    std::stable_sort(ordered.begin(), ordered.end(), addressLess);
    for (const DiscoveredHost &h : std::as_const(ordered)) {
        if (h.isThisMachine)
            continue; // the machine running the scan is not a board of the lab
        const Match m = matchHost(r.lab.boards, matched, h);
        if (m.sameName > 1) {
            r.changes << Change{Kind::Conflict,
                                QString(),
                                h.ip,
                                QString(),
                                m.by,
                                tr("%1 (%2) matches %3 boards by hostname; not merged: give the "
                                   "boards distinct hostnames or record their MACs.")
                                    .arg(h.ip, h.shortHostname())
                                    .arg(m.sameName)};
        } else if (m.index >= 0) {
            matched.insert(m.index);
            r.changes << updateBoard(&r.lab, m.index, h, m.by);
        } else {
            r.changes << addBoard(&r.lab, h);
            matched.insert(int(r.lab.boards.size()) - 1);
        }
    }

    const QSet<QString> scanned(scannedHosts.cbegin(), scannedHosts.cend());
    for (int i = 0; i < lab.boards.size(); ++i) {
        const Board &b = r.lab.boards[i];
        if (matched.contains(i) || !(b.ip.isEmpty() || scanned.contains(b.ip)))
            continue;
        r.changes << Change{Kind::Missing,
                            b.id,
                            QString(),
                            b.ip,
                            QString(),
                            b.ip.isEmpty() ? tr("%1: not found (no address recorded).").arg(b.name)
                                           : tr("%1: not found at %2.").arg(b.name, b.ip)};
    }
    return r;
}

} // namespace Hivelab
