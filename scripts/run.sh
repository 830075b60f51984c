#!/usr/bin/env bash
# Start the action server, the Rasa server (REST + socketio) and the demo
# page; Ctrl-C (or SIGTERM, SIGHUP) stops all of them. Run through `make run`,
# which sets up and trains first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

RASA_PORT="${RASA_PORT:-5005}"
WEB_PORT="${WEB_PORT:-8080}"
export CORS_ORIGINS="${CORS_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}"
# Where the summary PDF links in REST replies point (the widget uses its own serverUrl).
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$RASA_PORT}"
export BOT_ORIGINS="${BOT_ORIGINS:-http://localhost:$RASA_PORT http://127.0.0.1:$RASA_PORT}"

# Every port is checked before anything starts.
check_action_port
require_free_port "Rasa server" "$RASA_PORT" RASA_PORT
require_free_port "demo page" "$WEB_PORT" WEB_PORT

echo "Starting the action server on port $ACTION_PORT..."
start_action_server

echo "Starting the Rasa server on port $RASA_PORT (takes about half a minute)..."
api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api_args=(--enable-api --auth-token "$RASA_API_TOKEN"); fi
# channels.server is `rasa` without TensorFlow when no component needs it (docs/engineering.md).
# shellcheck disable=SC2086
start_server "$RUN_DIR/rasa.log" .venv/bin/python -m channels.server run --model "$MODEL" --endpoints "${ENDPOINTS:-endpoints.yml}" \
  --credentials credentials.yml --port "$RASA_PORT" --cors $CORS_ORIGINS "${api_args[@]}"
wait_for "Rasa server" "http://localhost:$RASA_PORT/" "$RUN_DIR/rasa.log" "${PIDS[-1]}"

echo "Serving the demo page on port $WEB_PORT..."
start_server "$RUN_DIR/web.log" .venv/bin/python scripts/serve_demo_page.py --port "$WEB_PORT"
wait_for "demo page server" "http://127.0.0.1:$WEB_PORT/" "$RUN_DIR/web.log" "${PIDS[-1]}"

cat <<MSG

The skin-concern assistant is running.
  REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"hi"}'
  Socket.IO: http://localhost:$RASA_PORT/socket.io (used by the web widget)
MSG
echo "  Demo page: http://localhost:$WEB_PORT/?server=http://localhost:$RASA_PORT"
cat <<MSG
  Logs:      $RUN_DIR/rasa.log, $RUN_DIR/actions.log, $RUN_DIR/web.log
Press Ctrl-C to stop everything.
MSG
wait -n "${PIDS[@]}"
echo "A server stopped unexpectedly; see the logs in $RUN_DIR/." >&2
exit 1
