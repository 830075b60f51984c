# Shared helpers for run.sh and shell.sh (sourced, not executed).
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
RUN_DIR=.run
MODEL="${MODEL:-models/skin-assistant.tar.gz}"
ACTION_PORT="${ACTION_PORT:-5055}"   # must match action_endpoint in the endpoints file
mkdir -p "$RUN_DIR"
PIDS=()

# say: print, never failing (when stopping, the terminal or a `| tee` may be gone).
say() { echo "$@" 2>/dev/null || true; }

# Each server runs in a process group of its own (started by start_server), so
# stopping does not depend on which signal reached which process: Ctrl-C (also
# with the output piped through `tee`), SIGTERM or SIGHUP to this script stop
# every group, and whatever is still running after 20 s is killed.
stop_all() {
  trap - EXIT
  trap '' INT TERM HUP PIPE
  if [ ${#PIDS[@]} -gt 0 ]; then
    say
    say "Stopping servers..."
    local pid alive
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
      alive=0
      for pid in "${PIDS[@]}"; do if kill -0 -- "-$pid" 2>/dev/null; then alive=1; fi; done
      if [ "$alive" = 0 ]; then break; fi
      sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    say "Stopped."
  fi
}
trap stop_all EXIT
trap 'exit 0' INT TERM HUP

# start_server LOG COMMAND...: run COMMAND in the background in a process group of its own.
start_server() {
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  PIDS+=($!)
}

# port_in_use PORT: true when something on this machine accepts connections on PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_free_port WHAT PORT VARIABLE: stop, saying so, when PORT is taken.
require_free_port() {
  if port_in_use "$2"; then
    echo "Port $2, needed for the $1, is already in use by another program." >&2
    echo "Stop that program, or choose another port: $3=<port> make run" >&2
    exit 1
  fi
}

# wait_for NAME URL LOG: poll URL until it answers or the process dies.
wait_for() {
  local name=$1 url=$2 log=$3 pid=$4
  for _ in $(seq 1 180); do
    if curl -fsS --max-time 3 -o /dev/null "$url" 2>/dev/null; then return 0; fi
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

action_server_answers() { curl -fsS --max-time 3 -o /dev/null "http://localhost:$ACTION_PORT/health" 2>/dev/null; }

# check_action_port: the action port must be free, or used by an action server (which is reused).
check_action_port() {
  if ! action_server_answers; then require_free_port "action server" "$ACTION_PORT" ACTION_PORT; fi
}

start_action_server() {
  if action_server_answers; then
    echo "An action server already answers on port $ACTION_PORT: using it."
    return 0
  fi
  start_server "$RUN_DIR/actions.log" .venv/bin/rasa run actions --port "$ACTION_PORT"
  wait_for "action server" "http://localhost:$ACTION_PORT/health" "$RUN_DIR/actions.log" "${PIDS[-1]}"
}
