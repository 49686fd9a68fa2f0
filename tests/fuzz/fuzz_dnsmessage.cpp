// SPDX-License-Identifier: GPL-3.0-or-later
// DNS/mDNS messages: any datagram that reaches the mDNS socket.
#include "dnsmessage.h"
#include "fuzzsupport.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray packet = Fuzz::bytes(data, size);
    QString error;
    const std::optional<DnsMessage> message = DnsMessage::parse(packet, &error);
    HIVELAB_FUZZ_CHECK(message || !error.isEmpty());
    // Names start anywhere (compression pointers); reading one never leaves the packet.
    for (int start = 0; start < int(size) && start < 64; ++start) {
        int offset = start;
        if (DnsMessage::readName(packet, &offset))
            HIVELAB_FUZZ_CHECK(offset > start && offset <= int(size));
    }
    return 0;
}
