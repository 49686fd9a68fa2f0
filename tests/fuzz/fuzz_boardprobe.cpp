// SPDX-License-Identifier: GPL-3.0-or-later
// Output of the Docker setup's probe script (BoardProbe::script()) as a board prints it.
#include "boardprobe.h"
#include "fuzzsupport.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const BoardProbe probe = BoardProbe::parse(Fuzz::bytes(data, size));
    (void)probe.debianFamily();
    (void)probe.docker.planArchitecture();
    (void)InitSystem::name(probe.initSystem);
    return 0;
}
