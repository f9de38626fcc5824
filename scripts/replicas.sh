#!/usr/bin/env bash
# N `ctxsel serve` replicas behind nginx on loopback, and their rolling reload and restart.
#
#   scripts/replicas.sh start DIR N [--port P] [-- SERVE OPTIONS…]   nginx on 127.0.0.1:P, replica i on P+i, its admin on P+100+i
#   scripts/replicas.sh reload DIR    each replica reloads its catalog or snapshot in turn (POST /v1/reload on its admin address)
#   scripts/replicas.sh restart DIR   each replica in turn is taken out of nginx, stopped (SIGTERM: requests in flight finish),
#                                     started again (a new binary or options file takes effect) and put back
#   scripts/replicas.sh stop DIR      nginx and every replica stop
#
# Replicas share nothing (sessions are client-held), so any replica may answer any request. Give
# every replica the same snapshot (`-- --index SNAPSHOT`). nginx keeps no access log, passes no
# client address and drops identity headers before they reach a replica; Sec-GPC and DNT pass.
# A request that finds its replica gone (refused, reset, or 503 overloaded) is retried once on the
# next one: selection has no side effects, so a POST may be retried (`non_idempotent`).
# The binary is $CTXSEL, else ctxsel beside this script's project (.build/release), else on PATH.
set -euo pipefail

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
verb=$1 dir=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)

ctxsel_binary() {
  if [ -n "${CTXSEL:-}" ]; then echo "$CTXSEL"
  elif [ -x "$here/.build/release/ctxsel" ]; then echo "$here/.build/release/ctxsel"
  elif command -v ctxsel >/dev/null; then command -v ctxsel
  else echo "replicas.sh: no ctxsel binary: set CTXSEL, or run swift build -c release" >&2; exit 1
  fi
}

nginx_binary() {
  for candidate in "${NGINX:-}" nginx /usr/sbin/nginx; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null && { command -v "$candidate"; return; }
  done
  echo "replicas.sh: nginx is missing (Debian: apt-get install nginx-light)" >&2; exit 1
}

# Waits until replica $1 answers GET /healthz, or fails after 300 s naming its log.
wait_healthy() {
  local i=$1 port=$((PORT + $1)) waited=0
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$dir/replica-$i.pid")" 2>/dev/null; then
      echo "replicas.sh: replica $i exited; its log: $dir/replica-$i.log" >&2; tail -5 "$dir/replica-$i.log" >&2; exit 1
    fi
    sleep 0.2; waited=$((waited + 1))
    [ $waited -lt 1500 ] || { echo "replicas.sh: replica $i not healthy after 300 s; its log: $dir/replica-$i.log" >&2; exit 1; }
  done
}

# Closes every descriptor above 2 in this (sub)shell: a daemon must not hold its caller's pipes
# open, or a caller waiting for their end (a test, a CI step) waits for the daemon's.
close_inherited_descriptors() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
  done
}

start_replica() {
  local i=$1
  ( close_inherited_descriptors
    exec "$CTXSEL_BIN" serve --address "127.0.0.1:$((PORT + i))" --admin-address "127.0.0.1:$((PORT + 100 + i))" \
      "${SERVE_OPTIONS[@]}" >>"$dir/replica-$i.log" 2>&1 </dev/null ) &
  echo $! >"$dir/replica-$i.pid"
}

# Applies nginx.conf as written: new workers take it, and this waits until the old ones, which
# finish the requests they hold, have exited (at most 30 s).
apply_nginx_conf() {
  local master waited=0
  master=$(cat "$dir/nginx.pid")
  "$NGINX_BIN" -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" -s reload
  sleep 0.2
  while [ "$(pgrep -c -P "$master")" -gt 1 ] && [ $waited -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
}

stop_replica() {
  local i=$1 pid
  pid=$(cat "$dir/replica-$i.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# Writes nginx.conf; replica $1, if given, is marked down (nginx sends it nothing new).
write_nginx_conf() {
  local down=${1:-0} i
  {
    echo "# Written by scripts/replicas.sh: $REPLICAS replicas of ctxsel serve behind 127.0.0.1:$PORT."
    echo "worker_processes 1;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/nginx-error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $dir/nginx-body;"
    echo "  proxy_temp_path $dir/nginx-proxy;"
    echo "  client_max_body_size 64m;"
    echo "  upstream ctxsel {"
    for i in $(seq 1 "$REPLICAS"); do
      if [ "$i" -eq "$down" ]; then echo "    server 127.0.0.1:$((PORT + i)) down;"
      else echo "    server 127.0.0.1:$((PORT + i)) max_fails=1 fail_timeout=2s;"; fi
    done
    echo "    keepalive 64;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$PORT;"
    echo "    location / {"
    echo "      proxy_pass http://ctxsel;"
    echo "      proxy_http_version 1.1;"
    echo "      proxy_set_header Connection \"\";"
    echo "      proxy_set_header User-Agent \"\";"
    echo "      proxy_set_header Cookie \"\";"
    echo "      proxy_set_header X-Forwarded-For \"\";"
    echo "      proxy_set_header X-Real-IP \"\";"
    echo "      proxy_set_header Forwarded \"\";"
    echo "      proxy_set_header Referer \"\";"
    echo "      proxy_request_buffering off;"
    echo "      proxy_buffering off;"
    echo "      proxy_next_upstream error timeout http_503 non_idempotent;"
    echo "      proxy_next_upstream_tries 2;"
    echo "      proxy_connect_timeout 1s;"
    echo "      proxy_read_timeout 60s;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$dir/nginx.conf"
}

case $verb in
start)
  [ $# -ge 1 ] || usage
  REPLICAS=$1; shift
  PORT=8080
  if [ "${1:-}" = "--port" ]; then PORT=$2; shift 2; fi
  [ "${1:-}" = "--" ] && shift
  [[ $REPLICAS =~ ^[1-9][0-9]?$ ]] || { echo "replicas.sh: N must be 1 to 99, not $REPLICAS" >&2; exit 2; }
  mkdir -p "$dir/nginx-body" "$dir/nginx-proxy"
  dir=$(cd "$dir" && pwd)
  { echo "REPLICAS=$REPLICAS"; echo "PORT=$PORT"; printf 'SERVE_OPTIONS=('; printf '%q ' "$@"; echo ')'; } >"$dir/replicas.env"
  ;;
reload | restart | stop) [ -f "$dir/replicas.env" ] || { echo "replicas.sh: $dir/replicas.env missing: start first" >&2; exit 1; }
  dir=$(cd "$dir" && pwd) ;;
*) usage ;;
esac
# shellcheck source=/dev/null
. "$dir/replicas.env"
CTXSEL_BIN=$(ctxsel_binary)
NGINX_BIN=$(nginx_binary)

case $verb in
start)
  for i in $(seq 1 "$REPLICAS"); do start_replica "$i"; done
  for i in $(seq 1 "$REPLICAS"); do wait_healthy "$i"; done
  write_nginx_conf
  ( close_inherited_descriptors; exec "$NGINX_BIN" -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" </dev/null >/dev/null )
  until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do sleep 0.1; done
  echo "replicas.sh: $REPLICAS replicas behind http://127.0.0.1:$PORT" >&2
  ;;
reload)
  for i in $(seq 1 "$REPLICAS"); do
    answer=$(curl -s -X POST "http://127.0.0.1:$((PORT + 100 + i))/v1/reload") || true
    case $answer in
    *'"reloaded"'*) echo "replicas.sh: replica $i reloaded" >&2 ;;
    *) echo "replicas.sh: replica $i did not reload, the rest keep their engine: ${answer:-no answer}" >&2; exit 1 ;;
    esac
  done
  ;;
restart)
  [ "$REPLICAS" -ge 2 ] || echo "replicas.sh: with one replica, requests fail while it restarts" >&2
  for i in $(seq 1 "$REPLICAS"); do
    write_nginx_conf "$i"; apply_nginx_conf       # drained: nginx sends it nothing new
    stop_replica "$i"                             # SIGTERM: it finishes what it holds
    start_replica "$i"
    wait_healthy "$i"
    write_nginx_conf; apply_nginx_conf            # back in
    echo "replicas.sh: replica $i restarted" >&2
  done
  ;;
stop)
  [ -f "$dir/nginx.pid" ] && "$NGINX_BIN" -p "$dir" -e "$dir/nginx-error.log" -c "$dir/nginx.conf" -s quit 2>/dev/null || true
  for i in $(seq 1 "$REPLICAS"); do stop_replica "$i"; done
  echo "replicas.sh: stopped" >&2
  ;;
esac
