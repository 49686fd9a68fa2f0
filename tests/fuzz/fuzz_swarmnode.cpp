// SPDX-License-Identifier: GPL-3.0-or-later
// `docker node ls --format '{{json .}}'` lines from a manager, matched against a lab's boards.
#include "fuzzsupport.h"
#include "labtypes.h"
#include "swarmnode.h"

using namespace Hivelab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<SwarmNode> nodes = SwarmNode::parseList(Fuzz::bytes(data, size));
    Lab lab;
    Board board;
    board.id = QStringLiteral("pine64-1");
    board.name = QStringLiteral("pine64-1");
    board.hostname = QStringLiteral("pine64-1");
    lab.boards.append(board);
    const QHash<QString, QString> matched = SwarmNode::matchBoards(lab, nodes);
    for (auto it = matched.cbegin(); it != matched.cend(); ++it)
        HIVELAB_FUZZ_CHECK(it.value() == board.id);
    return 0;
}
