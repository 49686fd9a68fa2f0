// SPDX-License-Identifier: GPL-3.0-or-later
// Lab files (.hivelab): untrusted JSON from disk. A file that loads must save and load again to
// the very same document.
#include "fuzzsupport.h"
#include "labfile.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    LabFileError error;
    const std::optional<Lab> lab = LabFile::fromJson(Fuzz::bytes(data, size), &error);
    if (!lab) {
        HIVELAB_FUZZ_CHECK(!error.message.isEmpty());
        return 0;
    }
    const QByteArray saved = LabFile::toJson(*lab);
    LabFileError again;
    const std::optional<Lab> reloaded = LabFile::fromJson(saved, &again);
    if (!reloaded)
        std::fprintf(stderr, "saved lab does not load: %s\n", qPrintable(again.toString()));
    HIVELAB_FUZZ_CHECK(reloaded);
    HIVELAB_FUZZ_CHECK(LabFile::toJson(*reloaded) == saved);
    return 0;
}
