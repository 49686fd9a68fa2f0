// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelidentification.h"

#include "boardcatalog.h"
#include "hostfacts.h"

namespace Hivelab {

namespace {

// A 64-bit board may run a 32-bit system (armhf on a Raspberry Pi 4): only another family of
// processor contradicts a model.
QString archFamily(const QString &debianArch)
{
    if (debianArch == QLatin1String("arm64") || debianArch.startsWith(QLatin1String("arm")))
        return QStringLiteral("arm");
    if (debianArch == QLatin1String("amd64") || debianArch == QLatin1String("i386"))
        return QStringLiteral("x86");
    return debianArch;
}

} // namespace

ModelIdentification::Conflict ModelIdentification::conflictWith(const QString &modelId,
                                                                const HostFacts &facts,
                                                                const BoardCatalog &catalog)
{
    const BoardModelInfo *model = catalog.model(modelId);
    if (!model)
        return Conflict::None;
    const QString arch = facts.debianArch();
    if (!arch.isEmpty() && !model->arch.isEmpty() && archFamily(arch) != archFamily(model->arch))
        return Conflict::Architecture;
    const QString name = facts.modelName();
    if (!name.isEmpty()) {
        // A name the catalog knows names that model; an unknown one still is not this model
        // when the catalog says how this model calls itself.
        const BoardModelInfo *named = catalog.modelForHardwareName(name);
        if (named ? named != model : !model->deviceTreeModels.isEmpty())
            return Conflict::HardwareName;
    }
    return Conflict::None;
}

ModelIdentification ModelIdentification::identify(const QString &mac, const HostFacts *facts,
                                                  const BoardCatalog &catalog)
{
    ModelIdentification id;
    if (facts) {
        if (const BoardModelInfo *m = catalog.modelForHardwareName(facts->modelName())) {
            id.modelId = m->id;
            id.source = Source::Measured;
        }
    }
    const BoardModelInfo *guess = mac.isEmpty() ? nullptr : catalog.modelForMac(mac);
    if (!guess || guess->id == id.modelId)
        return id;
    const Conflict conflict = facts ? conflictWith(guess->id, *facts, catalog) : Conflict::None;
    if (conflict != Conflict::None) {
        id.rejectedModelId = guess->id;
        id.conflict = conflict;
    } else if (id.source == Source::None) {
        id.modelId = guess->id;
        id.source = Source::MacBlock;
    }
    return id;
}

} // namespace Hivelab
