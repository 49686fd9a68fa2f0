// SPDX-License-Identifier: GPL-3.0-or-later
// The OUI table (CSV, regenerated from IEEE data by packaging/gen-oui.sh) and MAC addresses as
// neighbour tables and boards report them.
#include "fuzzsupport.h"
#include "ouitable.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = Fuzz::bytes(data, size);
    int skipped = 0;
    const OuiTable table = OuiTable::fromCsv(input, &skipped);
    HIVELAB_FUZZ_CHECK(skipped >= 0 && table.size() >= 0);
    (void)table.vendor(QStringLiteral("b8:27:eb:01:02:03"));

    const QString mac = QString::fromLatin1(input.left(64)).trimmed();
    (void)OuiTable::builtin().vendor(mac);
    (void)OuiTable::isLocallyAdministered(mac);
    (void)OuiTable::isMulticast(mac);
    if (const std::optional<QString> normal = OuiTable::normalizeMac(mac)) {
        HIVELAB_FUZZ_CHECK(normal->size() == 17);
        HIVELAB_FUZZ_CHECK(OuiTable::normalizeMac(*normal) == normal);
    }
    return 0;
}
