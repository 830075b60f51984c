#!/usr/bin/env bash
# Chat with the assistant in the terminal (`rasa shell`), with the action
# server started alongside when none is running. Run through `make shell`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

echo "Starting the action server on port $ACTION_PORT..."
start_action_server
echo "Starting rasa shell (type /stop to leave)..."
.venv/bin/python -m channels.server shell --model "$MODEL" --endpoints "${ENDPOINTS:-endpoints.yml}" --port "${SHELL_PORT:-5006}"
