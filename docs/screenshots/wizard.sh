#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The wizard's screenshots are part of take.sh's one pass (every step, at every size).
#   docs/screenshots/wizard.sh [BUILD_DIR]
exec "$(dirname "$0")/take.sh" "$@"
