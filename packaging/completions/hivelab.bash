# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for hivelab. Commands and options are read from `hivelab --help` and
# `hivelab COMMAND --help`, so completion always matches the installed binary.

_hivelab_commands()
{
    "$1" --help 2>/dev/null | sed -n '/^Commands:/,$ s/^  \([a-z][a-z-]*\) .*/\1/p'
}

_hivelab_options()
{
    # "  -h, --help", "  --device <DEV>", "  --json  Machine-readable…"
    "$@" --help 2>/dev/null | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | sed 's/.*--/--/'
}

_hivelab()
{
    local cur prev words cword
    _init_completion || return
    local bin=${words[0]} cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -*) ;;
        *) cmd=${words[i]}; break ;;
        esac
    done

    case $prev in
    --screenshot | --screenshot-drag | --screenshot-wizard | --bmap | --key | -i | --identity)
        _filedir
        return
        ;;
    --device)
        COMPREPLY=($(compgen -W "$(lsblk -dnpo NAME 2>/dev/null)" -- "$cur"))
        _filedir
        return
        ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_hivelab_options "$bin")" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_hivelab_commands "$bin")" -- "$cur"))
            _filedir hivelab
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_hivelab_options "$bin" "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
    swarm)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "form join leave drain activate status labels promote demote remove" -- "$cur")) &&
            return
        ;;
    rack | psu | switch | circuit)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "add remove list" -- "$cur")) && return
        ;;
    stack)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "deploy ls ps rm" -- "$cur")) && return
        ;;
    remote)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "setup status renew" -- "$cur")) && return
        ;;
    card)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "prepare" -- "$cur")) && return
        ;;
    network)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "apply" -- "$cur")) && return
        ;;
    image)
        [[ $cword -eq $((i + 1)) ]] &&
            COMPREPLY=($(compgen -W "list fetch cache" -- "$cur")) && return
        ;;
    esac
    _filedir
}
complete -F _hivelab hivelab
