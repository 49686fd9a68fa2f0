// SPDX-License-Identifier: GPL-3.0-or-later
// .bmap files come with downloaded images (untrusted): bmaptool's XML. Also lsblk's JSON, which
// names drives a writer may erase.
#include "blockmap.h"
#include "drivelist.h"
#include "fuzzsupport.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = Fuzz::bytes(data, size);
    QString error;
    const BlockMap map = BlockMap::fromBmap(input, &error);
    if (map.isEmpty()) {
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
    } else {
        // A usable map: ascending, inside the image, never more data than the image holds.
        qint64 previous = -1;
        for (const BlockMap::Range &r : map.ranges()) {
            HIVELAB_FUZZ_CHECK(r.first > previous && r.last >= r.first);
            previous = r.last;
        }
        HIVELAB_FUZZ_CHECK(map.mappedBytes() >= 0 && map.mappedBytes() <= map.imageSize());
    }
    error.clear();
    for (const Drive &d : DriveRules::fromLsblkJson(input, &error)) {
        HIVELAB_FUZZ_CHECK(!d.name.isEmpty());
        (void)DriveRules::refusal(d, {});
    }
    return 0;
}
