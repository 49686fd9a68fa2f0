// SPDX-License-Identifier: GPL-3.0-or-later
// Scan targets as typed by the user (CLI arguments, the wizard's field). The expansion stays
// within MaxAddresses and holds only hosts that can be probed.
#include "fuzzsupport.h"
#include "scantargets.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Lines stand for separate arguments.
    const QStringList specs = QString::fromUtf8(Fuzz::bytes(data, size)).split(QLatin1Char('\n'));
    QString error;
    const std::optional<QStringList> hosts = ScanTargets::parse(specs, &error);
    if (!hosts) {
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    HIVELAB_FUZZ_CHECK(hosts->size() <= ScanTargets::MaxAddresses);
    for (const QString &host : *hosts) {
        const bool ipv4 = ScanTargets::parseIPv4(host).has_value();
        HIVELAB_FUZZ_CHECK(ipv4 || host.contains(QLatin1Char(':')) ||
                           ScanTargets::isHostName(host));
        if (ipv4)
            HIVELAB_FUZZ_CHECK(ScanTargets::formatIPv4(*ScanTargets::parseIPv4(host)) == host);
    }
    return 0;
}
