// SPDX-License-Identifier: GPL-3.0-or-later
// A Raspberry Pi OS card's cmdline.txt as `card prepare` finds it (the user's card): the boot
// mount point it implies, and the first-run entries appended to it.
#include "fuzzsupport.h"
#include "raspberrypiosconfig.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text = Fuzz::bytes(data, size);
    (void)RaspberryPiOsConfig::bootMountPoint(text);
    const QString script = QStringLiteral("/boot/firmware/firstrun.sh");
    QByteArray once;
    QString error;
    if (!RaspberryPiOsConfig::editCmdline(text, script, &once, &error)) {
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    // A card prepared twice carries one set of entries: editing again changes nothing.
    QByteArray twice;
    HIVELAB_FUZZ_CHECK(RaspberryPiOsConfig::editCmdline(once, script, &twice, &error));
    HIVELAB_FUZZ_CHECK(twice == once);
    return 0;
}
