// SPDX-License-Identifier: GPL-3.0-or-later
#include "cardpreparation.h"

#include "firstbootplan.h"

#include <QRandomGenerator>

namespace Hivelab::CardPreparation {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CardPreparation", text);
}

QString addressOf(const BoardIdentity &id)
{
    if (id.addressing != Addressing::Static)
        return QStringLiteral("dhcp");
    return id.prefixLength >= 0 ? QStringLiteral("%1/%2").arg(id.address).arg(id.prefixLength)
                                : id.address;
}

} // namespace

QString Result::addressText() const
{
    return addressOf(identity);
}

QString Result::flavourName() const
{
    return flavour == FirstBootCard::Flavour::DietPi ? QStringLiteral("dietpi")
                                                     : QStringLiteral("cloud-init");
}

Result prepare(const Lab &lab, const QString &boardId, const QString &target,
               const QString &publicKey)
{
    Result result;
    result.lab = lab;
    QStringList assigned;
    QString error;
    if (!FirstBootPlan::allocateAddresses(&result.lab, {boardId}, &assigned, &error)) {
        result.errors << QStringLiteral("%1: %2").arg(boardId, error);
        return result;
    }
    Board *board = result.lab.board(boardId);
    if (!board) {
        result.errors << tr("No board %1 in the lab.").arg(boardId);
        return result;
    }
    board->firstBoot.instanceId =
        FirstBootPlan::makeInstanceId(boardId, QRandomGenerator::system()->generate());
    const QList<IdentityProblem> problems = FirstBootPlan::problems(result.lab, *board);
    for (const IdentityProblem &p : problems)
        result.errors << QStringLiteral("%1: %2").arg(boardId, p.message());
    if (!problems.isEmpty())
        return result;
    result.identity = FirstBootPlan::identity(result.lab, *board);
    const auto written = FirstBootCard::write(target, result.identity, {publicKey}, &error);
    if (!written) {
        result.errors << error;
        return result;
    }
    result.flavour = written->flavour;
    result.files = written->files;
    result.ok = true;
    return result;
}

QString preview(const Lab &lab, const QString &boardId)
{
    const Board *board = lab.board(boardId);
    if (!board)
        return {};
    const BoardIdentity id = FirstBootPlan::identity(lab, *board);
    const QString address = id.addressing == Addressing::Static && id.address.isEmpty()
                                ? tr("address from the pool")
                                : addressOf(id);
    return QStringLiteral("%1 · %2 · %3")
        .arg(id.hostname, address, id.user.isEmpty() ? tr("no user") : id.user);
}

} // namespace Hivelab::CardPreparation
