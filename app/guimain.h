// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// The entry point of the window module (hivelab-gui.so): `hivelab` without a command. Parses
// the window's options, runs QApplication and returns the process's exit code. The only symbol
// the module exports; main.cpp looks it up by this name.
#define HIVELAB_GUI_ENTRY "hivelab_gui_main"
extern "C" Q_DECL_EXPORT int hivelab_gui_main(int argc, char **argv);
