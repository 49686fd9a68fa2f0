// SPDX-License-Identifier: GPL-3.0-or-later
// ~/.ssh/config files as users (and tools) write them.
#include "fuzzsupport.h"
#include "sshconfig.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SshConfig config;
    config.parse(Fuzz::bytes(data, size));
    for (const char *alias : {"pine64-1", "10.77.0.11", "pi-3", "x"}) {
        const SshHostConfig host = config.resolve(QString::fromLatin1(alias), QStringLiteral("me"));
        (void)host;
    }
    return 0;
}
