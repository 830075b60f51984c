# Shared helpers for run.sh and shell.sh (sourced, not executed).
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
RUN_DIR=.run
MODEL="${MODEL:-models/skin-assistant.tar.gz}"
ACTION_PORT="${ACTION_PORT:-5055}"   # must match action_endpoint in the endpoints file
mkdir -p "$RUN_DIR"
PIDS=()

stop_all() {
  trap - INT TERM EXIT
  if [ ${#PIDS[@]} -gt 0 ]; then
    echo
    echo "Stopping servers..."
    kill "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 0' INT TERM

# wait_for NAME URL LOG: poll URL until it answers or the process dies.
wait_for() {
  local name=$1 url=$2 log=$3 pid=$4
  for _ in $(seq 1 180); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "The $name stopped while starting. Last lines of $log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "The $name did not answer at $url within 3 minutes; see $log" >&2
  exit 1
}

start_action_server() {
  if curl -fsS -o /dev/null "http://localhost:$ACTION_PORT/health" 2>/dev/null; then
    echo "An action server already answers on port $ACTION_PORT: using it."
    return 0
  fi
  .venv/bin/rasa run actions --port "$ACTION_PORT" >"$RUN_DIR/actions.log" 2>&1 &
  PIDS+=($!)
  wait_for "action server" "http://localhost:$ACTION_PORT/health" "$RUN_DIR/actions.log" $!
}
