#!/usr/bin/env bash
# Start the action server, the Rasa server (REST + socketio) and the demo
# page; Ctrl-C stops all of them. Run through `make run`, which sets up and
# trains first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

RASA_PORT="${RASA_PORT:-5005}"
WEB_PORT="${WEB_PORT:-8080}"
export CORS_ORIGINS="${CORS_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}"
# Where the summary PDF links in REST replies point (the widget uses its own serverUrl).
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$RASA_PORT}"

echo "Starting the action server on port $ACTION_PORT..."
start_action_server

echo "Starting the Rasa server on port $RASA_PORT (takes about half a minute)..."
api_args=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api_args=(--enable-api --auth-token "$RASA_API_TOKEN"); fi
# shellcheck disable=SC2086
.venv/bin/rasa run --model "$MODEL" --endpoints "${ENDPOINTS:-endpoints.yml}" \
  --credentials credentials.yml --port "$RASA_PORT" --cors $CORS_ORIGINS "${api_args[@]}" \
  >"$RUN_DIR/rasa.log" 2>&1 &
PIDS+=($!)
wait_for "Rasa server" "http://localhost:$RASA_PORT/" "$RUN_DIR/rasa.log" $!

echo "Serving the demo page on port $WEB_PORT..."
.venv/bin/python -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory web >"$RUN_DIR/web.log" 2>&1 &
PIDS+=($!)
wait_for "demo page server" "http://127.0.0.1:$WEB_PORT/" "$RUN_DIR/web.log" $!

cat <<MSG

The skin-concern assistant is running.
  REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"hi"}'
  Socket.IO: http://localhost:$RASA_PORT/socket.io (used by the web widget)
MSG
echo "  Demo page: http://localhost:$WEB_PORT/?server=http://localhost:$RASA_PORT"
cat <<MSG
  Logs:      $RUN_DIR/rasa.log, $RUN_DIR/actions.log
Press Ctrl-C to stop everything.
MSG
wait -n "${PIDS[@]}"
echo "A server stopped unexpectedly; see the logs in $RUN_DIR/." >&2
exit 1
