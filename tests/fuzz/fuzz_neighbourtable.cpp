// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/net/arp as the kernel (or a container runtime's fake procfs) writes it.
#include "fuzzsupport.h"
#include "neighbourtable.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QHash<QString, NeighbourTable::Entry> table =
        NeighbourTable::parse(Fuzz::bytes(data, size));
    for (auto it = table.cbegin(); it != table.cend(); ++it)
        HIVELAB_FUZZ_CHECK(!it.key().isEmpty());
    return 0;
}
