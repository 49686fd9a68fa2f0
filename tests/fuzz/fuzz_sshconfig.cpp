// SPDX-License-Identifier: GPL-3.0-or-later
// `ssh -G` output as SshConfig reads it (a user's config can make its values anything).
#include "fuzzsupport.h"
#include "sshconfig.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = Fuzz::bytes(data, size);
    for (const char *alias : {"pine64-1", "10.77.0.11", "x"}) {
        const SshHostConfig host =
            SshConfig::fromResolved(input, QString::fromLatin1(alias), QStringLiteral("me"));
        HIVELAB_FUZZ_CHECK(!host.hostName.isEmpty());
        HIVELAB_FUZZ_CHECK(host.port != 22);
    }
    return 0;
}
