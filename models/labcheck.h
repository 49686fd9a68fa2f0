// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labindex.h"
#include "labtypes.h"
#include "stackplacement.h"

#include <QJsonObject>

namespace Hivelab {

class BoardCatalog;

enum class Severity { Info, Warning, Error };

struct Finding
{
    Severity severity = Severity::Info;
    QString code;          // stable machine-readable id, e.g. "quorum.rack-loss"
    QString message;       // user-facing (tr)
    QStringList objectIds; // racks/PSUs/switches/boards concerned
    QString suggestion;    // how to fix it (may be empty)
};

/// A single thing that can fail and take boards with it.
enum class FaultDomainKind { Rack, PowerSupply, Circuit, Switch };

/// What one failure takes down. Board lists hold IDs in lab order.
struct DomainImpact
{
    FaultDomainKind kind = FaultDomainKind::Rack;
    QString id;               // object ID; for a circuit, the circuit name
    QString name;             // display name ("Rack 2", "circuit wall-A")
    QStringList lostBoards;   // powered off or cut off from the network
    QStringList lostManagers; // subset of lostBoards
    QStringList lostWorkers;  // subset of lostBoards (role worker)
    QStringList lostStorage;  // subset of lostBoards with attached storage
    QStringList lostPowerSupplies;
    QStringList lostSwitches; // powered off or isolated (uplinked through a lost switch)
    int survivingManagers = 0;
    bool breaksQuorum = false; // survivors < quorum (only meaningful with managers)
};

struct PowerBudget
{
    QString psuId;
    double peakWatts = 0;   // boards (catalog peak) + bus-powered storage + switches
    double ratingWatts = 0; // PowerSupply::effectiveWatts(), 0 when unknown
    QStringList boardIds;
    QStringList switchIds;
    /// Load as a fraction of the rating; 0 with no rating.
    double load() const { return ratingWatts > 0 ? peakWatts / ratingWatts : 0; }
};

struct CheckReport
{
    int managerCount = 0;
    int quorum = 0;            // floor(n/2)+1, 0 with no managers
    int toleratedFailures = 0; // managers that may fail while quorum holds
    QList<Finding> findings;
    QList<DomainImpact> domains; // every rack, PSU, circuit and switch, in that order
    QList<PowerBudget> powerBudgets;
    /// Board IDs of a manager set that survives any single rack/PSU/circuit/switch loss (empty if
    /// none). Equals the current managers when their placement is already safe.
    QStringList suggestedManagers;
    QString suggestionReason;

    bool hasErrors() const;
    /// The lab has no boards yet (finding "lab.empty"): an empty state, not a broken swarm.
    bool isEmptyLab() const { return !findingsWithCode(QStringLiteral("lab.empty")).isEmpty(); }
    int count(Severity severity) const;
    QList<Finding> findingsWithCode(const QString &code) const;
};

/// Raft quorum for n managers: floor(n/2)+1, 0 for none. Pure; any thread.
int quorumFor(int managers);
/// Manager failures n managers survive: n - quorum, 0 for none. Pure; any thread.
int toleratedFailuresFor(int managers);
/// Whether a swarm of `managers` managers, `reachable` of them answering, keeps quorum (a
/// majority of its managers reachable, at least one manager) after `demoted` of them stop being
/// managers, `demotedReachable` of those among the reachable ones. Pure; any thread.
bool keepsQuorumAfterDemotion(int managers, int reachable, int demoted, int demotedReachable);

/// Peak watts the catalog gives for a board model, or AssumedBoardPeakWatts when unknown.
inline constexpr double AssumedBoardPeakWatts = 15.0;

/// A board's peak draw: its catalog model's peak (AssumedBoardPeakWatts when the catalog does
/// not know it; *modelKnown says which) plus its bus-powered storage. Pure; any thread.
double boardPeakWatts(const Board &board, const BoardCatalog &catalog, bool *modelKnown = nullptr);
/// What a supply feeds: its boards and switches and their peak watts. Pure; any thread.
PowerBudget powerBudget(const LabIndex &index, const BoardCatalog &catalog, const PowerSupply &psu);
/// Whether the switch uses a port for its own uplink (to a lab switch or e.g. the home router).
bool hasUplink(const NetworkSwitch &sw);
/// Ports a switch needs: one per board cabled to it, per downlink switch and for its own uplink.
/// Pure; any thread.
int switchPortsUsed(const LabIndex &index, const NetworkSwitch &sw);

/// Everything lost when the given domain fails (cascading through PSUs and switch uplinks).
/// Pure; any thread. An unknown ID yields an impact with nothing lost. For many domains of one
/// lab use FaultCascade (faultcascade.h), which shares one index.
DomainImpact domainImpact(const Lab &lab, FaultDomainKind kind, const QString &id);

/// Fault-domain analysis ("Check lab"). Pure function; any thread. Time grows with the lab
/// plus the report (tests/bench/bench_labcheck.cpp, docs/CHECKS.md).
CheckReport checkLab(const Lab &lab, const BoardCatalog &catalog);

/// The swarm as it runs against the plan: an Error finding "managers.live-no-tolerance" when
/// the planned managers survive a manager failure but the managers Ready in the swarm now
/// (`liveManagers`, board IDs, e.g. after `swarm form` left one out) do not. Empty otherwise.
/// Pure; any thread.
QList<Finding> checkLiveManagers(const Lab &lab, const QStringList &liveManagers);

/// The swarm's running services against the plan's fault domains: a Warning finding
/// "services.replicas-one-rack" (or "services.replicas-one-psu") for each service whose
/// running replicas (two or more) all sit in one rack (or, spread over racks, all hang on one
/// power supply): losing it stops the service. `tasks` as the live status saw them
/// (LabDocument::serviceTasks()). Pure; any thread.
QList<Finding> checkServiceReplicas(const Lab &lab, const QList<StackPlacement::ServiceTask> &tasks);

/// The report as one JSON object (for `hivelab check --json`). Pure; any thread.
QJsonObject checkReportToJson(const CheckReport &report, const Lab &lab);

QString severityName(Severity severity);
QString faultDomainKindName(FaultDomainKind kind);

} // namespace Hivelab
