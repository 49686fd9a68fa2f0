#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-layers.sh must fail on each forbidden include: plant one at a time in an empty tree.
check=$(dirname "$0")/check-layers.sh
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
for planted in "models/a.h:#include <QWidget>" "platform/a.cpp:#include <QtGui/QColor>" \
    "platform/workflows/a.cpp:#include <QtWidgets/QLabel>" "models/b.cpp:#include <QTcpSocket>" \
    'ui/wizard/a.cpp:#include "sshsession.h"' 'ui/b.h:#include "sshcommand.h"' \
    'ui/controllers/a.cpp:#include "sshpool.h"' 'ui/controllers/b.cpp:#include <QAction>' \
    'platform/workflows/b.cpp:#include <yaml-cpp/yaml.h>' 'platform/b.h:#include <yaml-cpp/yaml.h>'; do
    rm -rf "${tmp:?}"/*
    mkdir -p "$tmp/models" "$tmp/platform" "$tmp/platform/workflows" "$tmp/ui/wizard" "$tmp/ui/controllers"
    printf '%s\n' "${planted#*:}" >"$tmp/${planted%%:*}"
    if sh "$check" "$tmp" >/dev/null 2>&1; then
        echo "error: check-layers.sh accepted ${planted}" >&2
        status=1
    fi
done
rm -rf "${tmp:?}"/*
mkdir -p "$tmp/models" "$tmp/platform" "$tmp/platform/workflows" "$tmp/ui/wizard" "$tmp/ui/controllers"
printf '#include "workflowjob.h"\n' >"$tmp/ui/wizard/ok.cpp"
printf '#include <yaml-cpp/yaml.h>\n' >"$tmp/platform/composefile.cpp"
sh "$check" "$tmp" >/dev/null 2>&1 || status=1 # a clean tree passes
[ $status -eq 0 ] && echo "check-layers rejects every planted include"
exit $status
