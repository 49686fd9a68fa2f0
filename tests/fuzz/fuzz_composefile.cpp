// SPDX-License-Identifier: GPL-3.0-or-later
// A Compose file given to `hivelab stack deploy`: read, amended like a deploy does, written
// back; what comes back must read again with the same services.
#include "composefile.h"
#include "fuzzsupport.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ComposeFile file;
    QString error;
    if (!file.parse(Fuzz::bytes(data, size), &error))
        return 0;
    const QList<ComposeFile::Service> services = file.services();
    (void)file.localFileReferences();
    for (const ComposeFile::Service &s : services) {
        file.addSpreadPreference(s.name, QStringLiteral("node.labels.hivelab.rack"));
        file.addConstraints(s.name, {QStringLiteral("node.platform.arch == aarch64")});
    }
    ComposeFile again;
    HIVELAB_FUZZ_CHECK(again.parse(file.toYaml(), &error));
    HIVELAB_FUZZ_CHECK(again.services().size() == services.size());
    return 0;
}
