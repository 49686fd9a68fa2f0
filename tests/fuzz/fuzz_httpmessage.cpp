// SPDX-License-Identifier: GPL-3.0-or-later
// Docker Engine API responses as they come back over `docker system dial-stdio`.
#include "fuzzsupport.h"
#include "httpmessage.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = Fuzz::bytes(data, size);
    HttpResponseParser whole;
    whole.feed(bytes);
    whole.finish();
    (void)whole.errorString();
    HIVELAB_FUZZ_CHECK(whole.response().body.size() <= HttpResponseParser::MaxBodyBytes);

    // The stream arrives in chunks of any size: splitting it must not change the answer.
    HttpResponseParser split;
    const qsizetype cut = bytes.isEmpty() ? 0 : qsizetype(data[0]) % (bytes.size() + 1);
    split.feed(bytes.left(cut));
    split.feed(bytes.mid(cut));
    split.finish();
    HIVELAB_FUZZ_CHECK(split.state() == whole.state());
    if (whole.state() == HttpResponseParser::State::Complete) {
        HIVELAB_FUZZ_CHECK(split.response().status == whole.response().status);
        HIVELAB_FUZZ_CHECK(split.response().body == whole.response().body);
    }
    return 0;
}
