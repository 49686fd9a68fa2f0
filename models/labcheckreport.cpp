// SPDX-License-Identifier: GPL-3.0-or-later
// The check report's own arithmetic and its JSON form; the rules are in labcheck.cpp.
#include "labcheck.h"

#include <QJsonArray>

namespace Hivelab {

bool CheckReport::hasErrors() const
{
    return count(Severity::Error) > 0;
}

int CheckReport::count(Severity severity) const
{
    int n = 0;
    for (const Finding &f : findings)
        n += f.severity == severity ? 1 : 0;
    return n;
}

QList<Finding> CheckReport::findingsWithCode(const QString &code) const
{
    QList<Finding> out;
    for (const Finding &f : findings) {
        if (f.code == code)
            out.append(f);
    }
    return out;
}

int quorumFor(int managers)
{
    return managers > 0 ? managers / 2 + 1 : 0;
}

int toleratedFailuresFor(int managers)
{
    return managers - quorumFor(managers);
}

bool keepsQuorumAfterDemotion(int managers, int reachable, int demoted, int demotedReachable)
{
    const int left = managers - demoted;
    return left >= 1 && reachable - demotedReachable >= quorumFor(left);
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        break;
    }
    return QStringLiteral("info");
}

QString faultDomainKindName(FaultDomainKind kind)
{
    switch (kind) {
    case FaultDomainKind::PowerSupply:
        return QStringLiteral("psu");
    case FaultDomainKind::Circuit:
        return QStringLiteral("circuit");
    case FaultDomainKind::Switch:
        return QStringLiteral("switch");
    case FaultDomainKind::Rack:
        break;
    }
    return QStringLiteral("rack");
}

namespace {

QString objectKind(const LabIndex &lab, const QString &id)
{
    if (lab.board(id))
        return QStringLiteral("board");
    if (lab.rack(id))
        return QStringLiteral("rack");
    if (lab.powerSupply(id))
        return QStringLiteral("psu");
    if (lab.networkSwitch(id))
        return QStringLiteral("switch");
    return QStringLiteral("unknown");
}

} // namespace

QJsonObject checkReportToJson(const CheckReport &report, const Lab &lab)
{
    const LabIndex index(lab);
    auto ids = [](const QStringList &list) { return QJsonArray::fromStringList(list); };
    QJsonArray findings;
    for (const Finding &f : report.findings) {
        QJsonArray objects;
        for (const QString &id : f.objectIds) {
            objects.append(QJsonObject{{QStringLiteral("id"), id},
                                       {QStringLiteral("kind"), objectKind(index, id)},
                                       {QStringLiteral("name"), objectDisplayName(index, id)}});
        }
        findings.append(QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                    {QStringLiteral("code"), f.code},
                                    {QStringLiteral("message"), f.message},
                                    {QStringLiteral("objects"), objects},
                                    {QStringLiteral("suggestion"), f.suggestion}});
    }
    QJsonArray domains;
    for (const DomainImpact &d : report.domains) {
        domains.append(QJsonObject{
            {QStringLiteral("kind"), faultDomainKindName(d.kind)},
            {QStringLiteral("id"), d.id},
            {QStringLiteral("name"), d.name},
            {QStringLiteral("lostBoards"), ids(d.lostBoards)},
            {QStringLiteral("lostManagers"), ids(d.lostManagers)},
            {QStringLiteral("lostWorkers"), ids(d.lostWorkers)},
            {QStringLiteral("lostStorage"), ids(d.lostStorage)},
            {QStringLiteral("lostPowerSupplies"), ids(d.lostPowerSupplies)},
            {QStringLiteral("lostSwitches"), ids(d.lostSwitches)},
            {QStringLiteral("survivingManagers"), d.survivingManagers},
            {QStringLiteral("breaksQuorum"), d.breaksQuorum},
        });
    }
    QJsonArray power;
    for (const PowerBudget &p : report.powerBudgets) {
        power.append(QJsonObject{{QStringLiteral("psu"), p.psuId},
                                 {QStringLiteral("peakWatts"), p.peakWatts},
                                 {QStringLiteral("ratingWatts"), p.ratingWatts},
                                 {QStringLiteral("load"), p.load()},
                                 {QStringLiteral("boards"), ids(p.boardIds)},
                                 {QStringLiteral("switches"), ids(p.switchIds)}});
    }
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("hivelab-check-report")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("lab"), lab.name},
        {QStringLiteral("managerCount"), report.managerCount},
        {QStringLiteral("quorum"), report.quorum},
        {QStringLiteral("toleratedFailures"), report.toleratedFailures},
        {QStringLiteral("ok"), !report.hasErrors()},
        {QStringLiteral("errors"), report.count(Severity::Error)},
        {QStringLiteral("warnings"), report.count(Severity::Warning)},
        {QStringLiteral("infos"), report.count(Severity::Info)},
        {QStringLiteral("findings"), findings},
        {QStringLiteral("domains"), domains},
        {QStringLiteral("powerBudgets"), power},
        {QStringLiteral("suggestedManagers"), ids(report.suggestedManagers)},
        {QStringLiteral("suggestionReason"), report.suggestionReason},
    };
}

} // namespace Hivelab
