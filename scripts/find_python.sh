#!/usr/bin/env bash
# Print the path of a Python that Rasa 3.6 supports (3.8 to 3.10), preferring
# 3.10. Looks at $PYTHON, then python3.10/3.9/3.8 on PATH, then pyenv's
# versions. Exits 1 with instructions when there is none.
set -euo pipefail

supported() {
  "$1" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null
}

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for v in 3.10 3.9 3.8; do
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
done
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
command -v pyenv >/dev/null 2>&1 && pyenv_root="$(pyenv root)"
for v in 3.10 3.9 3.8; do
  for dir in "$pyenv_root"/versions/"$v".*; do
    [ -x "$dir/bin/python$v" ] && candidates+=("$dir/bin/python$v")
  done
done

for python in "${candidates[@]}"; do
  if supported "$python"; then
    echo "$python"
    exit 0
  fi
done

cat >&2 <<'MSG'
No Python 3.8, 3.9 or 3.10 was found, and Rasa 3.6 needs one of them
(Python 3.10 is recommended). Install one, then run the command again:
  - with pyenv:   pyenv install 3.10.13
  - on Debian/Ubuntu with deadsnakes: sudo apt-get install python3.10 python3.10-venv
  - or point to one: make run PYTHON=/path/to/python3.10
MSG
exit 1
