// SPDX-License-Identifier: GPL-3.0-or-later
// Output of the Docker setup's probe script (BoardProbe::script()) as a board prints it, and
// each line as a provision's apt progress (DockerSetup::parseAptStatus, APT::Status-Fd).
#include "boardprobe.h"
#include "dockersetup.h"
#include "fuzzsupport.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const BoardProbe probe = BoardProbe::parse(Fuzz::bytes(data, size));
    (void)probe.debianFamily();
    (void)probe.docker.planArchitecture();
    (void)InitSystem::name(probe.initSystem);
    for (const QByteArray &line : Fuzz::bytes(data, size).split('\n')) {
        const DockerSetup::AptStatus status = DockerSetup::parseAptStatus(line);
        if (status.valid) {
            HIVELAB_FUZZ_CHECK(status.percent >= 0 && status.percent <= 100);
            HIVELAB_FUZZ_CHECK(!status.text.isEmpty());
        }
    }
    return 0;
}
