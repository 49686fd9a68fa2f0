// SPDX-License-Identifier: GPL-3.0-or-later
#include "outcomehint.h"

#include <QCoreApplication>

namespace Hivelab {

QString outcomeHint(const BoardResult &result, const QString &boardName)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("OutcomeHint", s); };
    using Outcome = BoardResult::Outcome;
    switch (result.outcome) {
    case Outcome::HostKeyUnknown:
        return tr("%1: check and accept its host key fingerprint in the Setup Wizard's Connect "
                  "step (right-click the board ▸ Connect…), then try again.")
            .arg(boardName);
    case Outcome::SudoNeedsPassword:
        return tr("%1: sign in with its password on the Setup Wizard's Connect step and let it "
                  "remember the password, or log in as root.")
            .arg(boardName);
    case Outcome::DockerMissing:
    case Outcome::DockerNotRunning:
        return tr("%1: Install Docker (Swarm menu or the Setup Wizard) installs and starts it.")
            .arg(boardName);
    default:
        return {};
    }
}

} // namespace Hivelab
