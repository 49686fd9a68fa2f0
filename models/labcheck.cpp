// SPDX-License-Identifier: GPL-3.0-or-later
#include "labcheck.h"
#include "boardcatalog.h"
#include "faultcascade.h"
#include "managerplacement.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>
#include <vector>

namespace Hivelab {

namespace {

class LabCheckText
{
    Q_DECLARE_TR_FUNCTIONS(LabCheck)
};

QString tr(const char *text, int n = -1)
{
    return LabCheckText::tr(text, nullptr, n);
}

template <typename T> QString displayName(const T *object, const QString &id)
{
    return object && !object->name.isEmpty() ? object->name : id;
}

QString normalizedArch(const QString &arch)
{
    const QString a = arch.trimmed().toLower();
    if (a == QLatin1String("aarch64") || a == QLatin1String("arm64v8"))
        return QStringLiteral("arm64");
    if (a == QLatin1String("x86_64") || a == QLatin1String("x86-64") || a == QLatin1String("x64"))
        return QStringLiteral("amd64");
    if (a == QLatin1String("armv7") || a == QLatin1String("armv7l") || a == QLatin1String("arm"))
        return QStringLiteral("armhf");
    return a;
}

} // namespace

double boardPeakWatts(const Board &board, const BoardCatalog &catalog, bool *modelKnown)
{
    const BoardModelInfo *info = catalog.model(board.model);
    const bool known = info && info->peakWatts() > 0;
    if (modelKnown)
        *modelKnown = known;
    double w = known ? info->peakWatts() : AssumedBoardPeakWatts;
    for (const StorageDevice &d : board.storage)
        w += d.peakWatts;
    return w;
}

PowerBudget powerBudget(const LabIndex &index, const BoardCatalog &catalog, const PowerSupply &psu)
{
    const Lab &lab = index.lab();
    PowerBudget budget;
    budget.psuId = psu.id;
    budget.ratingWatts = psu.effectiveWatts();
    for (int i : index.boardsOnSupply(psu.id)) {
        const Board &b = lab.boards.at(i);
        budget.boardIds.append(b.id);
        budget.peakWatts += boardPeakWatts(b, catalog);
    }
    for (int i : index.switchesOnSupply(psu.id)) {
        const NetworkSwitch &s = lab.switches.at(i);
        budget.switchIds.append(s.id);
        budget.peakWatts += s.watts;
    }
    return budget;
}

bool hasUplink(const NetworkSwitch &sw)
{
    return !sw.uplinkSwitchId.isEmpty() || !sw.uplink.isEmpty();
}

int switchPortsUsed(const LabIndex &index, const NetworkSwitch &sw)
{
    int downlinks = 0;
    for (int o : index.downlinks(sw.id))
        downlinks += index.lab().switches.at(o).id != sw.id;
    return index.boardsOnSwitch(sw.id).size() + downlinks + (hasUplink(sw) ? 1 : 0);
}

namespace {

/// One run of the analysis; keeps the rules apart while sharing lookups.
class LabChecker
{
public:
    LabChecker(const Lab &lab, const BoardCatalog &catalog)
        : m_lab(lab)
        , m_index(lab)
        , m_catalog(catalog)
    {}

    CheckReport run()
    {
        const QList<const Board *> managers = m_lab.managers();
        m_report.managerCount = managers.size();
        m_report.quorum = quorumFor(m_report.managerCount);
        m_report.toleratedFailures = toleratedFailuresFor(m_report.managerCount);

        checkIdentity();
        checkReferences();
        if (m_lab.boards.isEmpty()) {
            // A lab without boards is a start, not a broken swarm: say so, and check only what
            // it holds (racks, supplies, switches).
            add(Severity::Info, QStringLiteral("lab.empty"),
                tr("No boards yet: there is no swarm to check."), {},
                tr("Add boards: discover them on the network or plan them by hand."));
            checkRackSlots();
            checkSwitchPorts();
            checkPower();
            computeDomains();
            return m_report;
        }
        checkManagerCount();
        checkManagerBoards();
        checkUnknownDomains();
        checkRackSlots();
        checkSwitchPorts();
        checkPower();
        checkStorageSpread();
        computeDomains();
        checkArchitecture();
        suggestPlacement();
        return m_report;
    }

private:
    void add(Severity severity, const QString &code, const QString &message,
             const QStringList &objects = {}, const QString &suggestion = {})
    {
        m_report.findings.append({severity, code, message, objects, suggestion});
    }

    QString boardName(const QString &id) const { return displayName(m_index.board(id), id); }

    QString boardNames(const QStringList &ids) const
    {
        QStringList names;
        for (const QString &id : ids)
            names.append(boardName(id));
        return names.join(QStringLiteral(", "));
    }

    bool knownPsu(const Board &b) const { return m_index.powerSupply(b.psuId) != nullptr; }
    bool knownSwitch(const Board &b) const { return m_index.networkSwitch(b.switchId) != nullptr; }

    void checkIdentity()
    {
        QHash<QString, int> uses;
        for (const Rack &r : m_lab.racks)
            ++uses[r.id];
        for (const PowerSupply &p : m_lab.powerSupplies)
            ++uses[p.id];
        for (const NetworkSwitch &s : m_lab.switches)
            ++uses[s.id];
        for (const Board &b : m_lab.boards)
            ++uses[b.id];
        QStringList duplicated;
        for (auto it = uses.cbegin(); it != uses.cend(); ++it) {
            if (it.value() > 1 || it.key().isEmpty())
                duplicated.append(it.key().isEmpty() ? QStringLiteral("\"\"") : it.key());
        }
        std::sort(duplicated.begin(), duplicated.end());
        if (!duplicated.isEmpty()) {
            add(Severity::Error, QStringLiteral("lab.duplicate-id"),
                tr("Object IDs must be unique and not empty; these are not: %1.")
                    .arg(duplicated.join(QStringLiteral(", "))),
                duplicated, tr("Give each rack, supply, switch and board its own ID."));
        }
    }

    void dangling(const QString &ownerId, const QString &ownerName, const QString &what,
                  const QString &ref)
    {
        add(Severity::Error, QStringLiteral("lab.dangling-reference"),
            tr("%1 refers to %2 \"%3\", which does not exist.").arg(ownerName, what, ref),
            {ownerId}, tr("Pick an existing object or clear the field."));
    }

    void checkReferences()
    {
        for (const PowerSupply &p : m_lab.powerSupplies) {
            if (!p.rackId.isEmpty() && !m_index.rack(p.rackId))
                dangling(p.id, displayName(&p, p.id), tr("rack"), p.rackId);
        }
        for (const NetworkSwitch &s : m_lab.switches) {
            if (!s.rackId.isEmpty() && !m_index.rack(s.rackId))
                dangling(s.id, displayName(&s, s.id), tr("rack"), s.rackId);
            if (!s.psuId.isEmpty() && !m_index.powerSupply(s.psuId))
                dangling(s.id, displayName(&s, s.id), tr("power supply"), s.psuId);
            if (!s.uplinkSwitchId.isEmpty() && !m_index.networkSwitch(s.uplinkSwitchId))
                dangling(s.id, displayName(&s, s.id), tr("switch"), s.uplinkSwitchId);
        }
        for (const Board &b : m_lab.boards) {
            if (!b.rackId.isEmpty() && !m_index.rack(b.rackId))
                dangling(b.id, displayName(&b, b.id), tr("rack"), b.rackId);
            if (!b.psuId.isEmpty() && !knownPsu(b))
                dangling(b.id, displayName(&b, b.id), tr("power supply"), b.psuId);
            if (!b.switchId.isEmpty() && !knownSwitch(b))
                dangling(b.id, displayName(&b, b.id), tr("switch"), b.switchId);
        }
    }

    void checkManagerCount()
    {
        const int n = m_report.managerCount;
        QStringList ids;
        for (const Board *m : m_lab.managers())
            ids.append(m->id);
        if (n == 0) {
            add(Severity::Error, QStringLiteral("managers.none"),
                tr("No board is a manager: a swarm needs at least one manager, and 3 are "
                   "recommended."),
                {}, tr("Give 3 boards in different racks the manager role."));
            return;
        }
        if (n == 1) {
            add(Severity::Warning, QStringLiteral("managers.single"),
                tr("Only one manager: the swarm cannot be managed while %1 is down (no fault "
                   "tolerance).")
                    .arg(boardName(ids.first())),
                ids, tr("Use 3 managers in different racks."));
        } else if (n % 2 == 0) {
            add(Severity::Warning, QStringLiteral("managers.even"),
                tr("%1 managers need a quorum of %2 and tolerate %3 failure(s), no more than %4 "
                   "managers would.")
                    .arg(n)
                    .arg(quorumFor(n))
                    .arg(toleratedFailuresFor(n))
                    .arg(n - 1),
                ids,
                n + 1 <= 7 ? tr("Use %1 or %2 managers.").arg(n - 1).arg(n + 1)
                           : tr("Use %1 managers.").arg(n - 1));
        }
        if (n > 7) {
            add(Severity::Warning, QStringLiteral("managers.too-many"),
                tr("%1 managers: every Raft write must reach %2 of them, which slows the swarm "
                   "down; Docker recommends at most 7.")
                    .arg(n)
                    .arg(quorumFor(n)),
                ids, tr("Make the extra managers workers; 5 or 7 managers are plenty."));
        }
    }

    void checkManagerBoards()
    {
        QStringList windows;
        QStringList storage;
        for (const Board *m : m_lab.managers()) {
            if (m->isWindows())
                windows.append(m->id);
            if (m->hasStorage())
                storage.append(m->id);
        }
        if (!windows.isEmpty()) {
            add(Severity::Warning, QStringLiteral("managers.windows"),
                tr("Windows managers (%1): Windows nodes should only be workers.")
                    .arg(boardNames(windows)),
                windows, tr("Make Linux boards the managers and these workers."));
        }
        if (!storage.isEmpty()) {
            add(Severity::Info, QStringLiteral("managers.storage"),
                tr("Managers with attached storage (%1): keep managers lean so storage workloads "
                   "cannot starve Raft.")
                    .arg(boardNames(storage)),
                storage, tr("Prefer managers without storage; run storage services on workers."));
        }
    }

    void checkUnknownDomains()
    {
        QStringList noPsu;
        QStringList noSwitch;
        QStringList unplaced;
        for (const Board &b : m_lab.boards) {
            if (b.psuId.isEmpty())
                noPsu.append(b.id);
            if (b.switchId.isEmpty())
                noSwitch.append(b.id);
            if (b.rackId.isEmpty())
                unplaced.append(b.id);
        }
        if (!noPsu.isEmpty()) {
            add(Severity::Warning, QStringLiteral("board.no-psu"),
                tr("No power supply assigned to %1: their power fault domain is unknown.")
                    .arg(boardNames(noPsu)),
                noPsu, tr("Assign each board the supply that feeds it."));
        }
        if (!noSwitch.isEmpty()) {
            add(Severity::Warning, QStringLiteral("board.no-switch"),
                tr("No switch assigned to %1: their network fault domain is unknown.")
                    .arg(boardNames(noSwitch)),
                noSwitch, tr("Assign each board the switch it is cabled to."));
        }
        if (!unplaced.isEmpty()) {
            add(Severity::Info, QStringLiteral("board.unplaced"),
                tr("Not placed in any rack: %1.").arg(boardNames(unplaced)), unplaced,
                tr("Place boards in rack slots so rack failures can be analysed."));
        }
    }

    void checkRackSlots()
    {
        for (const Rack &r : m_lab.racks) {
            const QString rackName = displayName(&r, r.id);
            QStringList inRack;
            QStringList outOfRange;
            std::map<int, QStringList> bySlot;
            for (int i : m_index.boardsInRack(r.id)) {
                const Board &b = m_lab.boards.at(i);
                inRack.append(b.id);
                if (b.slot >= r.slotCount || b.slot < -1)
                    outOfRange.append(b.id);
                else if (b.slot >= 0)
                    bySlot[b.slot].append(b.id);
            }
            if (inRack.size() > r.slotCount) {
                add(Severity::Error, QStringLiteral("rack.overfull"),
                    tr("%1 holds %2 boards but has only %3 slots.")
                        .arg(rackName)
                        .arg(inRack.size())
                        .arg(r.slotCount),
                    QStringList{r.id} + inRack,
                    tr("Move boards to another rack or raise the slot count."));
            }
            if (!outOfRange.isEmpty()) {
                add(Severity::Error, QStringLiteral("rack.slot-range"),
                    tr("%1 has slots 1 to %2; %3 sit outside them.")
                        .arg(rackName)
                        .arg(r.slotCount)
                        .arg(boardNames(outOfRange)),
                    QStringList{r.id} + outOfRange, tr("Move these boards into a free slot."));
            }
            for (const auto &[slot, ids] : bySlot) {
                if (ids.size() < 2)
                    continue;
                add(Severity::Error, QStringLiteral("rack.slot-duplicate"),
                    tr("%1 slot %2 is taken by several boards: %3.")
                        .arg(rackName)
                        .arg(slot + 1)
                        .arg(boardNames(ids)),
                    QStringList{r.id} + ids, tr("Give each board its own slot."));
            }
        }
    }

    void checkSwitchPorts()
    {
        QStringList inCycle;
        for (int k = 0; k < m_lab.switches.size(); ++k) {
            const NetworkSwitch &s = m_lab.switches.at(k);
            const QString swName = displayName(&s, s.id);
            QStringList boards;
            std::map<int, QStringList> byPort;
            QStringList outOfRange;
            for (int i : m_index.boardsOnSwitch(s.id)) {
                const Board &b = m_lab.boards.at(i);
                boards.append(b.id);
                if (b.switchPort == -1)
                    continue;
                if (b.switchPort < 1 || b.switchPort > s.ports)
                    outOfRange.append(b.id);
                else
                    byPort[b.switchPort].append(b.id);
            }
            QStringList downlinks;
            for (int o : m_index.downlinks(s.id)) {
                if (m_lab.switches.at(o).id != s.id)
                    downlinks.append(m_lab.switches.at(o).id);
            }
            const int ownUplink = hasUplink(s) ? 1 : 0;
            const int used = switchPortsUsed(m_index, s);
            if (used > s.ports) {
                add(Severity::Error, QStringLiteral("switch.ports-exceeded"),
                    tr("%1 has %2 ports but needs %3 (%4 boards, %5 downlinks, %6 uplink).")
                        .arg(swName)
                        .arg(s.ports)
                        .arg(used)
                        .arg(boards.size())
                        .arg(downlinks.size())
                        .arg(ownUplink),
                    QStringList{s.id} + boards + downlinks,
                    tr("Use a bigger switch or move boards to another one."));
            }
            QStringList portless;
            for (const QString &id : std::as_const(boards)) {
                if (m_index.board(id)->switchPort == -1)
                    portless.append(id);
            }
            if (used > s.ports && !portless.isEmpty()) {
                add(Severity::Error, QStringLiteral("switch.no-free-port"),
                    tr("%1 has no free port for %2: all %3 ports are taken.")
                        .arg(swName, boardNames(portless))
                        .arg(s.ports),
                    QStringList{s.id} + portless,
                    tr("Free a port, add a switch to the rack, or cable the board elsewhere."));
            }
            if (!outOfRange.isEmpty()) {
                add(Severity::Error, QStringLiteral("switch.port-range"),
                    tr("%1 has ports 1 to %2; %3 use a port outside them.")
                        .arg(swName)
                        .arg(s.ports)
                        .arg(boardNames(outOfRange)),
                    QStringList{s.id} + outOfRange, tr("Correct the port numbers."));
            }
            for (const auto &[port, ids] : byPort) {
                if (ids.size() < 2)
                    continue;
                add(Severity::Error, QStringLiteral("switch.port-duplicate"),
                    tr("%1 port %2 is used by several boards: %3.")
                        .arg(swName)
                        .arg(port)
                        .arg(boardNames(ids)),
                    QStringList{s.id} + ids, tr("Give each board its own port."));
            }
            if (m_index.uplinkRunsIntoLoop(k))
                inCycle.append(s.id);
        }
        if (!inCycle.isEmpty()) {
            add(Severity::Error, QStringLiteral("switch.uplink-cycle"),
                tr("Switch uplinks form a loop through %1.")
                    .arg(inCycle.join(QStringLiteral(", "))),
                inCycle, tr("Each switch uplinks to one switch closer to the router, never back."));
        }
    }

    void checkPower()
    {
        std::map<QString, QStringList> unknownModels; // model -> boards
        auto noteModel = [&](const Board &b) {
            bool known = false;
            boardPeakWatts(b, m_catalog, &known);
            if (!known)
                unknownModels[b.model].append(b.id);
        };

        for (const PowerSupply &p : m_lab.powerSupplies) {
            const PowerBudget budget = powerBudget(m_index, m_catalog, p);
            for (const QString &id : budget.boardIds)
                noteModel(*m_index.board(id));
            m_report.powerBudgets.append(budget);

            const QString psuName = displayName(&p, p.id);
            const QStringList objects = QStringList{p.id} + budget.boardIds + budget.switchIds;
            if (budget.ratingWatts <= 0) {
                add(Severity::Warning, QStringLiteral("power.no-rating"),
                    tr("%1 has no rating, so its load (%2 W peak) cannot be checked.")
                        .arg(psuName, QString::number(budget.peakWatts, 'f', 1)),
                    {p.id}, tr("Enter its rating in watts, or in amps and volts."));
                continue;
            }
            const QString load = tr("%1 feeds %2 W peak of its %3 W rating (%4%).")
                                     .arg(psuName, QString::number(budget.peakWatts, 'f', 1),
                                          QString::number(budget.ratingWatts, 'f', 1),
                                          QString::number(qRound(budget.load() * 100)));
            const QString fix =
                tr("Keep the peak under 80% of the rating (%1 W): move boards or disks to "
                   "another supply, or use a bigger one.")
                    .arg(QString::number(budget.ratingWatts * 0.8, 'f', 1));
            if (budget.load() > 1.0) {
                add(Severity::Error, QStringLiteral("power.over-budget"), load, objects, fix);
            } else if (budget.load() > 0.8) {
                add(Severity::Warning, QStringLiteral("power.low-headroom"),
                    load + QLatin1Char(' ') + tr("Less than 20% headroom."), objects, fix);
            }
        }

        checkRackSupplyHeadroom();

        // Only boards on a supply count towards a budget, but every unknown model is worth a word.
        for (const Board &b : m_lab.boards) {
            if (b.psuId.isEmpty() || !knownPsu(b))
                noteModel(b);
        }
        for (const auto &[model, ids] : unknownModels) {
            QStringList unique = ids;
            unique.removeDuplicates();
            const QString watts = QString::number(AssumedBoardPeakWatts, 'f', 1);
            add(Severity::Warning, QStringLiteral("power.unknown-model"),
                model.isEmpty()
                    ? tr("No board model set for %1; assuming %2 W peak each.")
                          .arg(boardNames(unique), watts)
                    : tr("Board model \"%1\" is not in the catalog (%2); assuming %3 W peak each.")
                          .arg(model, boardNames(unique), watts),
                unique, tr("Pick a model from the board catalog, or add it to the catalog."));
        }
    }

    // A board placed in a rack but on no supply while its rack has supplies: usually moved there
    // when none of them had headroom for it (placeBoard() leaves it unassigned then).
    void checkRackSupplyHeadroom()
    {
        for (const Board &b : m_lab.boards) {
            if (!b.psuId.isEmpty() || b.rackId.isEmpty())
                continue;
            const QList<int> &supplies = m_index.suppliesInRack(b.rackId);
            if (supplies.isEmpty())
                continue;
            const double watts = boardPeakWatts(b, m_catalog);
            QStringList full;
            QStringList objects{b.id};
            for (int i : supplies) {
                const PowerBudget budget =
                    powerBudget(m_index, m_catalog, m_lab.powerSupplies.at(i));
                if (budget.ratingWatts <= 0 || budget.peakWatts + watts <= budget.ratingWatts) {
                    full.clear();
                    break;
                }
                objects.append(budget.psuId);
                full.append(tr("%1 would feed %2 W of its %3 W rating")
                                .arg(displayName(&m_lab.powerSupplies.at(i), budget.psuId),
                                     QString::number(budget.peakWatts + watts, 'f', 1),
                                     QString::number(budget.ratingWatts, 'f', 1)));
            }
            if (full.isEmpty())
                continue;
            add(Severity::Warning, QStringLiteral("power.rack-supply-full"),
                tr("%1 in %2 is on no supply: no supply in its rack has headroom for its %3 W "
                   "peak (%4).")
                    .arg(boardName(b.id), displayName(m_index.rack(b.rackId), b.rackId),
                         QString::number(watts, 'f', 1), full.join(QStringLiteral("; "))),
                objects,
                tr("Use a bigger supply, move a board off it, or power this board separately."));
        }
    }

    void checkStorageSpread()
    {
        QStringList storage;
        QSet<QString> racks;
        for (const Board &b : m_lab.boards) {
            if (!b.hasStorage())
                continue;
            storage.append(b.id);
            racks.insert(b.rackId);
        }
        m_storageCount = storage.size();
        if (storage.size() >= 2 && racks.size() == 1 && !racks.cbegin()->isEmpty()) {
            m_singleStorageRack = *racks.cbegin();
            add(Severity::Warning, QStringLiteral("storage.single-rack"),
                tr("All %1 storage workers are in %2: losing that rack loses all storage.")
                    .arg(storage.size())
                    .arg(displayName(m_index.rack(m_singleStorageRack), m_singleStorageRack)),
                QStringList{m_singleStorageRack} + storage,
                tr("Spread storage workers over several racks."));
        }
    }

    QString quorumFix(FaultDomainKind kind) const
    {
        const int n = m_report.managerCount;
        const int maxLoss = toleratedFailuresFor(n);
        switch (kind) {
        case FaultDomainKind::Rack:
            return tr("Spread managers so that no rack holds more than %1 of them.").arg(maxLoss);
        case FaultDomainKind::PowerSupply:
            return tr("Spread managers so that no power supply feeds more than %1 of them.")
                .arg(maxLoss);
        case FaultDomainKind::Circuit:
            return tr("Spread managers so that no mains circuit feeds more than %1 of them.")
                .arg(maxLoss);
        case FaultDomainKind::Switch:
            break;
        }
        return tr("Spread managers so that no switch (or the switches behind it) connects more "
                  "than %1 of them.")
            .arg(maxLoss);
    }

    void computeDomains()
    {
        m_report.domains = FaultCascade(m_index).allImpacts();

        const int n = m_report.managerCount;
        for (const DomainImpact &d : m_report.domains) {
            const QString kind = faultDomainKindName(d.kind);
            QStringList objects =
                d.kind == FaultDomainKind::Circuit ? d.lostPowerSupplies : QStringList{d.id};
            if (d.breaksQuorum) {
                // One manager has no fault tolerance anyway (reported as such); with two or more,
                // a single failure that stops the swarm is a planning error.
                add(n >= 2 ? Severity::Error : Severity::Warning,
                    QStringLiteral("quorum.%1-loss").arg(kind),
                    tr("Losing %1 leaves %2 of %3 managers; quorum needs %4.")
                            .arg(d.name)
                            .arg(d.survivingManagers)
                            .arg(n)
                            .arg(m_report.quorum) +
                        QLatin1Char(' ') + tr("Lost managers: %1.").arg(boardNames(d.lostManagers)),
                    objects + d.lostManagers, quorumFix(d.kind));
            }
            if (!d.lostWorkers.isEmpty()) {
                QString message = tr("Losing %1 takes down %2 worker(s): %3.")
                                      .arg(d.name)
                                      .arg(d.lostWorkers.size())
                                      .arg(boardNames(d.lostWorkers));
                if (!d.lostStorage.isEmpty()) {
                    message += QLatin1Char(' ') +
                               tr("Storage lost with it: %1.").arg(boardNames(d.lostStorage));
                }
                add(Severity::Info, QStringLiteral("impact.%1-loss").arg(kind), message,
                    objects + d.lostWorkers);
            }
            const bool alreadySaid = d.kind == FaultDomainKind::Rack && d.id == m_singleStorageRack;
            if (m_storageCount > 0 && d.lostStorage.size() * 2 > m_storageCount && !alreadySaid) {
                add(Severity::Warning, QStringLiteral("storage.%1-loss").arg(kind),
                    tr("Losing %1 takes out %2 of %3 storage workers: %4.")
                        .arg(d.name)
                        .arg(d.lostStorage.size())
                        .arg(m_storageCount)
                        .arg(boardNames(d.lostStorage)),
                    objects + d.lostStorage,
                    tr("Spread storage workers so no single failure takes out more than half."));
            }
        }
    }

    void checkArchitecture()
    {
        std::map<QString, QStringList> byArch;
        QStringList windows;
        for (const Board &b : m_lab.boards) {
            QString arch = normalizedArch(b.arch);
            if (arch.isEmpty()) {
                const BoardModelInfo *info = m_catalog.model(b.model);
                arch = info ? normalizedArch(info->arch) : QString();
            }
            if (!arch.isEmpty())
                byArch[arch].append(b.id);
            if (b.isWindows())
                windows.append(b.id);
        }
        if (byArch.size() > 1) {
            QStringList parts;
            QStringList labels;
            QString majority;
            for (const auto &[arch, ids] : byArch) {
                parts.append(tr("%1: %2 board(s)").arg(arch).arg(ids.size()));
                labels.append(QStringLiteral("arch=%1").arg(arch));
                if (majority.isEmpty() || ids.size() > byArch[majority].size())
                    majority = arch;
            }
            QStringList minority;
            for (const auto &[arch, ids] : byArch) {
                if (arch != majority)
                    minority += ids;
            }
            add(Severity::Warning, QStringLiteral("arch.mixed"),
                tr("The swarm mixes CPU architectures (%1): every image needs a multi-arch "
                   "manifest, or services need placement constraints.")
                    .arg(parts.join(QStringLiteral(", "))),
                minority,
                tr("Publish multi-arch images, or label nodes (%1) and constrain services, "
                   "e.g. --constraint node.labels.arch==%2.")
                    .arg(labels.join(QStringLiteral(", ")), majority));
        }
        if (!windows.isEmpty()) {
            add(Severity::Info, QStringLiteral("os.windows"),
                tr("Windows nodes (%1) run only Windows container images and should only be "
                   "workers.")
                    .arg(boardNames(windows)),
                windows,
                tr("Constrain Windows services with --constraint node.platform.os==windows and "
                   "Linux services with node.platform.os==linux."));
        }
    }

    void suggestPlacement()
    {
        const int n = m_report.managerCount;
        QStringList current;
        bool currentOk = n >= 3 && n <= 7 && n % 2 == 1;
        for (const Board *m : m_lab.managers()) {
            current.append(m->id);
            currentOk = currentOk && !m->isWindows() && m_index.rack(m->rackId) && knownPsu(*m) &&
                        knownSwitch(*m);
        }
        for (const DomainImpact &d : m_report.domains)
            currentOk = currentOk && !d.breaksQuorum;
        if (currentOk) {
            m_report.suggestedManagers = current;
            m_report.suggestionReason =
                tr("The current %1 managers survive the loss of any single rack, power supply, "
                   "circuit or switch.")
                    .arg(n);
            return;
        }

        const ManagerPlacement search(m_index, m_report.domains);
        QStringList placement;
        const bool hopeless = search.eligibleCount() < 3 || !search.pigeonhole().isEmpty();
        bool gaveUp = false;
        for (int size : n >= 5 ? std::vector<int>{5, 3} : std::vector<int>{3, 5}) {
            if (hopeless)
                break;
            placement = search.find(size, &gaveUp);
            if (!placement.isEmpty())
                break;
        }
        if (placement.isEmpty() && gaveUp) {
            m_report.suggestionReason =
                tr("This lab is too large to try every manager placement, and none of those tried "
                   "survives every single failure.");
            add(Severity::Warning, QStringLiteral("placement.not-found"), m_report.suggestionReason,
                {},
                tr("Spread boards over more racks, power supplies, circuits and switches, or pick "
                   "managers by hand and check again."));
            return;
        }
        if (placement.isEmpty()) {
            m_report.suggestionReason = search.whyNone();
            add(Severity::Warning, QStringLiteral("placement.impossible"),
                tr("No manager placement survives every single failure in this lab.") +
                    QLatin1Char(' ') + m_report.suggestionReason,
                {},
                tr("Add racks, power supplies, circuits or switches and spread boards over them."));
            return;
        }

        std::sort(placement.begin(), placement.end(), [this](const QString &a, const QString &b) {
            return m_index.boardIndex(a) < m_index.boardIndex(b);
        });
        m_report.suggestedManagers = placement;
        QStringList racks;
        for (const QString &id : placement) {
            const Board *b = m_index.board(id);
            racks.append(displayName(m_index.rack(b->rackId), b->rackId));
        }
        m_report.suggestionReason =
            tr("Managers on %1 (%2) survive the loss of any single rack, power supply, circuit or "
               "switch.")
                .arg(boardNames(placement), racks.join(QStringLiteral(", ")));

        QStringList promote;
        QStringList demote;
        for (const QString &id : placement) {
            if (!current.contains(id))
                promote.append(id);
        }
        for (const QString &id : current) {
            if (!placement.contains(id))
                demote.append(id);
        }
        QStringList steps;
        if (!promote.isEmpty())
            steps.append(tr("make %1 manager(s)").arg(boardNames(promote)));
        if (!demote.isEmpty())
            steps.append(tr("make %1 worker(s)").arg(boardNames(demote)));
        const QString how = steps.join(QStringLiteral("; "));
        add(Severity::Info, QStringLiteral("placement.suggestion"),
            tr("A safer manager placement exists. %1").arg(m_report.suggestionReason), placement,
            how.isEmpty() ? QString() : how.left(1).toUpper() + how.mid(1) + QLatin1Char('.'));
        // Point every quorum error at the concrete fix.
        for (Finding &f : m_report.findings) {
            if (f.code.startsWith(QLatin1String("quorum.")) && !how.isEmpty()) {
                f.suggestion += QLatin1Char(' ') + tr("Suggested: %1.").arg(how);
            }
        }
    }

    const Lab &m_lab;
    const LabIndex m_index; // every lookup by ID goes here: Lab's own lookups are linear
    const BoardCatalog &m_catalog;
    CheckReport m_report;
    int m_storageCount = 0;
    QString m_singleStorageRack;
};

} // namespace

CheckReport checkLab(const Lab &lab, const BoardCatalog &catalog)
{
    return LabChecker(lab, catalog).run();
}

QList<Finding> checkLiveManagers(const Lab &lab, const QStringList &liveManagers)
{
    const int planned = int(lab.managers().size());
    const int live = int(liveManagers.size());
    if (live == 0 || toleratedFailuresFor(planned) == 0 || toleratedFailuresFor(live) > 0)
        return {};
    QStringList missing;
    for (const Board *m : lab.managers()) {
        if (!liveManagers.contains(m->id))
            missing << m->id;
    }
    QStringList names;
    for (const QString &id : std::as_const(missing))
        names << objectDisplayName(lab, id);
    Finding f;
    f.severity = Severity::Error;
    f.code = QStringLiteral("managers.live-no-tolerance");
    f.message = tr("The swarm runs with %1 of %2 planned managers: it cannot survive the failure "
                   "of any manager (missing: %3).")
                    .arg(live)
                    .arg(planned)
                    .arg(names.join(QStringLiteral(", ")));
    f.objectIds = missing;
    f.suggestion = tr("Bring the missing managers back and run Form swarm again.");
    return {f};
}

QList<Finding> checkServiceReplicas(const Lab &lab, const QList<StackPlacement::ServiceTask> &tasks)
{
    QList<Finding> findings;
    for (const StackPlacement::ReplicaConcentration &c :
         StackPlacement::concentratedServices(lab, tasks)) {
        const bool rack = c.kind == ObjectKind::Rack;
        Finding f;
        f.severity = Severity::Warning;
        f.code = rack ? QStringLiteral("services.replicas-one-rack")
                      : QStringLiteral("services.replicas-one-psu");
        f.message = (rack ? tr("All %1 running replicas of service %2 are in %3: losing it stops "
                               "the service.")
                          : tr("All %1 running replicas of service %2 hang on %3: losing it "
                               "stops the service."))
                        .arg(c.replicas)
                        .arg(c.service, objectDisplayName(lab, c.domainId));
        f.objectIds = QStringList{c.domainId};
        for (const StackPlacement::ServiceTask &t : tasks) {
            if (t.service == c.service && t.isRunning() && !t.boardId.isEmpty() &&
                !f.objectIds.contains(t.boardId))
                f.objectIds << t.boardId;
        }
        f.suggestion = rack ? tr("Place boards in other racks and give the service a spread "
                                 "preference over node.labels.hivelab.rack (hivelab stack deploy "
                                 "adds it).")
                            : tr("Feed the boards from more than one power supply, or spread the "
                                 "service over node.labels.hivelab.psu.");
        findings << f;
    }
    return findings;
}

} // namespace Hivelab
