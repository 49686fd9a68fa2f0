// SPDX-License-Identifier: GPL-3.0-or-later
// Output of the identification probe run on a board (HostFacts::compoundCommand()) and its parts:
// os-release, device-tree model, meminfo, lsblk JSON, docker info JSON — all written by the board.
#include "fuzzsupport.h"
#include "hostfacts.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = Fuzz::bytes(data, size);
    const HostFacts facts = HostFacts::parseCompound(input);
    (void)facts.toJson();
    (void)facts.modelName();
    (void)facts.debianArch();
    (void)facts.swarmRole();

    (void)HostFacts::parseOsRelease(input);
    (void)HostFacts::parseDeviceTreeModel(input);
    HIVELAB_FUZZ_CHECK(HostFacts::parseMemTotal(input) >= 0);
    QString error;
    if (!HostFacts::parseLsblk(input, &error))
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
    HostFacts docker;
    error.clear();
    if (!HostFacts::parseDockerInfo(input, &docker, &error))
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
    return 0;
}
