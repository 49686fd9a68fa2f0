// SPDX-License-Identifier: GPL-3.0-or-later
// Linked into every fuzz target.
#include "fuzzsupport.h"

#include <QString>
#include <QtGlobal>

namespace {

// Parsers warn about bad input by design; printing millions of warnings would make the fuzzer
// slow and its log useless. Fatal messages still abort.
void quietHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "%s\n", qPrintable(message));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler(quietHandler);
    return 0;
}
