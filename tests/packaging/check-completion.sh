#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the bash completion script against the built binary the way bash does on <Tab>.
#   check-completion.sh SOURCE_DIR HIVELAB_BIN
set -eu
src=$1
bin=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -r /usr/share/bash-completion/bash_completion ] || { echo "bash-completion not installed"; exit 77; }
# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1091
. "$src/packaging/completions/hivelab.bash"

# complete LINE: the candidates for the last word of LINE (the binary stands for "hivelab").
complete_line() {
    read -r -a COMP_WORDS <<<"$1"
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_WORDS[0]=$bin
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$1" COMP_POINT=${#1}
    COMPREPLY=()
    _hivelab hivelab "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}"
}

expect() { # LINE WORD: WORD is among the candidates
    complete_line "$1" | grep -qx -- "$2" || fail "'$1<Tab>' does not offer $2 (got: $(complete_line "$1" | tr '\n' ' '))"
}
expect_not() {
    ! complete_line "$1" | grep -qx -- "$2" || fail "'$1<Tab>' offers $2"
}

expect "hivelab fl" flash
expect "hivelab sw" swarm
expect "hivelab sw" switch
expect_not "hivelab fl" check
expect "hivelab --de" --demo
expect "hivelab --wiz" --wizard-page
expect "hivelab flash --dev" --device
expect "hivelab discover --lo" --login
expect "hivelab swarm " form
expect "hivelab swarm pro" promote
expect "hivelab rack " list
expect "hivelab circuit " add
expect "hivelab remote " renew
expect "hivelab image " fetch
expect "hivelab stack " deploy
expect "hivelab stack p" ps
expect "hivelab netw" network
expect "hivelab network " apply
# Every command the binary lists is offered.
for c in $("$bin" --help | sed -n '/^Commands:/,$ s/^  \([a-z][a-z-]*\) .*/\1/p'); do
    expect "hivelab ${c:0:2}" "$c"
    grep -q "^\.B.*\b$c\b" <(zcat -f "$src/packaging/hivelab.1") || fail "the man page does not describe '$c'"
done
echo "completion ok"
