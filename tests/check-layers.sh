#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a layer includes what it must not: models/, platform/ and the workflows never see
# QtGui/QtWidgets, models/ never sees QtNetwork or platform headers, nor OS headers outside
# models/posix/; ui/ reaches boards through the workflows (WorkflowJob, SshPool), never through
# the SSH layer's own headers; ui/controllers/ never sees widgets; YAML (yaml-cpp) stays inside
# platform/composefile.cpp.
root=${1:-.}
status=0
if grep -rnE '#include <(QtWidgets|QtGui|QWidget|QPainter|QColor|QPixmap|QImage|QIcon|QApplication)' \
    "$root/models" "$root/platform"; then
    echo "error: models/, platform/ or platform/workflows/ includes GUI headers" >&2
    status=1
fi
if grep -rnE '#include <(QtNetwork|QTcpSocket|QNetwork|QHostAddress|QUdpSocket)' "$root/models"; then
    echo "error: models/ includes network headers" >&2
    status=1
fi
# OS calls in models/ live only in its per-OS helpers (models/posix/), never in domain code.
if grep -rnE '#include <(unistd\.h|fcntl\.h|sys/)' "$root/models" | grep -v "^$root/models/posix/"; then
    echo "error: models/ includes POSIX headers outside models/posix/" >&2
    status=1
fi
# Controllers hold behaviour, not widgets: Qt Core, models, platform and workflows only.
if grep -rnE '#include <(QtWidgets|QtGui|QWidget|QAction|QMessageBox|QDialog|QUndo|QApplication)' \
    "$root/ui/controllers"; then
    echo "error: ui/controllers/ includes widget or GUI headers" >&2
    status=1
fi
if [ -d "$root/ui" ] && grep -rnE '#include [<"](platform/)?ssh[a-z]*\.h[>"]' "$root/ui"; then
    echo "error: ui/ includes SSH headers; run remote work through a workflow job" >&2
    status=1
fi
if grep -rnE '#include [<"]yaml-cpp/' "$root/models" "$root/platform" "$root/ui" "$root/app" \
    2>/dev/null | grep -v "^$root/platform/composefile\.cpp:"; then
    echo "error: yaml-cpp is private to platform/composefile.cpp (ComposeFile)" >&2
    status=1
fi
[ $status -eq 0 ] && echo "layers ok"
exit $status
