// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Hivelab {

class BoardCatalog;
class HostFacts;

/// Which catalog model a board is, from what was measured on it (device-tree or DMI model,
/// architecture) before what was only guessed (its MAC's vendor block). A guess the
/// measurements contradict is dropped and named in rejectedModelId, never shown as the model.
/// The one rule for the CLI's and the GUI's discovery and identification. Pure; any thread.
struct ModelIdentification
{
    enum class Source {
        None,     // nothing tells the model
        Measured, // the board's own device-tree / DMI model names a catalog model
        MacBlock, // only the MAC's vendor block suggests it (a guess)
    };
    /// Why a model does not fit what the board reported.
    enum class Conflict {
        None,
        Architecture, // the model's architecture is not the one the board runs
        HardwareName, // the board's device-tree / DMI model names another model
    };

    QString modelId; // catalog model ID; empty when unknown
    Source source = Source::None;
    QString rejectedModelId; // the MAC-block guess the measurements contradict (empty: none)
    Conflict conflict = Conflict::None; // why rejectedModelId was dropped

    /// `mac` as found (any notation, may be empty); `facts` after a login, or null.
    static ModelIdentification identify(const QString &mac, const HostFacts *facts,
                                        const BoardCatalog &catalog);
    /// Whether catalog model `modelId` fits what the board reported: Architecture when the
    /// model's processor family (arm, x86) is not the measured one (a 32-bit system on a 64-bit
    /// board fits), HardwareName when the board reported
    /// a device-tree / DMI model that is none of the catalog model's names. None when it fits,
    /// when nothing was measured, or when the catalog does not know the ID.
    static Conflict conflictWith(const QString &modelId, const HostFacts &facts,
                                 const BoardCatalog &catalog);
};

} // namespace Hivelab
