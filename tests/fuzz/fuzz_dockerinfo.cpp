// SPDX-License-Identifier: GPL-3.0-or-later
// `docker info --format '{{json .}}'` as a board prints it.
#include "dockerinfo.h"
#include "fuzzsupport.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const DockerInfo info = DockerInfo::fromJson(Fuzz::bytes(data, size));
    (void)info.planArchitecture();
    (void)info.inSwarm();
    return 0;
}
