#!/usr/bin/env bash
# Create .venv/ with a supported Python and install the pinned packages.
set -euo pipefail
cd "$(dirname "$0")/.."

python="$(scripts/find_python.sh)"
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)'; then
  echo "Removing .venv/: it was made with an unsupported Python." >&2
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv/ with $python ($("$python" --version))"
  "$python" -m venv .venv
fi
echo "Installing pinned packages into .venv/ (the first time takes a few minutes)..."
.venv/bin/python -m pip install --quiet --upgrade "pip==24.0"
.venv/bin/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
touch .venv/.installed
echo "Packages installed."
