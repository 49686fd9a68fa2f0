// SPDX-License-Identifier: GPL-3.0-or-later
// What a running board prints for StaticAddressConfig::probeScript() (network apply): the
// parsed facts, then the change built from them, which edits the config files the board sent
// (an ifupdown stanza, a dhcpcd block) and the staging script that carries them.
#include "firstbootplan.h"
#include "fuzzsupport.h"
#include "staticaddressconfig.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    NetworkFacts facts;
    QString error;
    if (!StaticAddressConfig::parseProbe(Fuzz::bytes(data, size), &facts, &error)) {
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    // Accepted output names an interface, one word.
    HIVELAB_FUZZ_CHECK(!facts.interface.isEmpty());
    for (const QChar c : std::as_const(facts.interface))
        HIVELAB_FUZZ_CHECK(!c.isSpace());
    BoardIdentity id;
    id.boardId = QStringLiteral("b1");
    id.hostname = QStringLiteral("pine64-1");
    id.user = QStringLiteral("dietpi");
    id.addressing = Addressing::Static;
    id.address = QStringLiteral("192.168.1.21");
    id.prefixLength = 24;
    id.gateway = QStringLiteral("192.168.1.1");
    id.dns = {QStringLiteral("192.168.1.1")};
    StaticAddressChange change;
    if (!StaticAddressConfig::change(facts, id, &change, &error)) {
        HIVELAB_FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    (void)StaticAddressConfig::stageScript(change, QStringLiteral("fuzz-1"), 60);
    return 0;
}
