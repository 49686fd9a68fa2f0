# SPDX-License-Identifier: GPL-3.0-or-later
# Options for `cmake --graphviz` (docs/layers.sh): the product's own libraries and executable.
set(GRAPHVIZ_GRAPH_NAME "Hivelab layers")
set(GRAPHVIZ_EXTERNAL_LIBS OFF)
set(GRAPHVIZ_GENERATE_PER_TARGET OFF)
set(GRAPHVIZ_GENERATE_DEPENDERS OFF)
set(GRAPHVIZ_IGNORE_TARGETS "^tst_" "^bench_" "^fuzz_" "bench" "test" "probe" "_resources_"
    "_autogen" "SYSTEM_LIBSSH2" "^Qt6::")
