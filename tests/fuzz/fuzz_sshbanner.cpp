// SPDX-License-Identifier: GPL-3.0-or-later
// SSH identification lines as any host on the network may send them.
#include "fuzzsupport.h"
#include "sshbanner.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const SshBanner banner = SshBanner::parse(Fuzz::bytes(data, size));
    if (!banner.isValid())
        return 0;
    // Shown in tables and logs as one line.
    HIVELAB_FUZZ_CHECK(!banner.line().contains(QLatin1Char('\n')));
    HIVELAB_FUZZ_CHECK(!banner.protocol().isEmpty());
    (void)banner.osHint();
    (void)banner.note();
    return 0;
}
