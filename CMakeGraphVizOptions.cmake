# SPDX-License-Identifier: GPL-3.0-or-later
# Options for `cmake --graphviz` (docs/layers.sh): the product's libraries and executable only.
set(GRAPHVIZ_GRAPH_NAME "Hivelab layers")
set(GRAPHVIZ_EXTERNAL_LIBS ON)
set(GRAPHVIZ_GENERATE_PER_TARGET OFF)
set(GRAPHVIZ_GENERATE_DEPENDERS OFF)
set(GRAPHVIZ_IGNORE_TARGETS "^tst_" "^bench_" "^fuzz_" "test" "probe" "_resources_" "_autogen"
    "^Qt6::(Gui|DBus|Concurrent|Test|OpenGL|GuiPrivate|CorePrivate|Platform)" "^WrapOpenGL"
    "^Threads" "^OpenGL" "^Qt6::Svg$" "^ZLIB" "^OpenSSL")
