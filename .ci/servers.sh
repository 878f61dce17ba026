#!/usr/bin/env bash
# Starts the real-server test tier's InfluxDB and ClickHouse as plain processes with their own config files in a
# temporary directory, listening on 127.0.0.1 only (this machine has no systemd). Prints the `export` lines for
# the test environment on stdout. Usage: servers.sh start DIR | servers.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
# Free loopback ports chosen by the kernel, so a leftover server from an earlier run cannot collide.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
influx_port=${INFLUX_TEST_PORT:-$(free_port)}
influx_rpc_port=$(free_port)
ch_http_port=${CLICKHOUSE_TEST_HTTP_PORT:-$(free_port)}
ch_tcp_port=$(free_port)
ch_interserver_port=$(free_port)

wait_http() { # url, name, seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "servers.sh: $2 did not answer at $1 within $3 s" >&2
  return 1
}

start_influx() {
  mkdir -p "$dir/influx"
  cat >"$dir/influx/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$influx_rpc_port"
[meta]
  dir = "$dir/influx/meta"
[data]
  dir = "$dir/influx/data"
  wal-dir = "$dir/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
  max-body-size = 0
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
CONF
  influxd -config "$dir/influx/influxdb.conf" >"$dir/influx/influxd.log" 2>&1 &
  echo $! >"$dir/influx/pid"
  wait_http "http://127.0.0.1:$influx_port/ping" influxd 30
}

start_clickhouse() {
  mkdir -p "$dir/clickhouse/data" "$dir/clickhouse/log"
  # The packaged config, with paths moved into our directory, our ports, and loopback IPv4 only.
  sed -e "s#/var/lib/clickhouse/#$dir/clickhouse/data/#g" \
    -e "s#/var/log/clickhouse-server/#$dir/clickhouse/log/#g" \
    -e "s#<http_port>8123</http_port>#<http_port>$ch_http_port</http_port>#" \
    -e "s#<tcp_port>9000</tcp_port>#<tcp_port>$ch_tcp_port</tcp_port>#" \
    -e "s#<interserver_http_port>9009</interserver_http_port>#<interserver_http_port>$ch_interserver_port</interserver_http_port>#" \
    -e "s#<listen_host>::1</listen_host>##" \
    /etc/clickhouse-server/config.xml >"$dir/clickhouse/config.xml"
  cp /etc/clickhouse-server/users.xml "$dir/clickhouse/users.xml"
  # Started from its own directory (it writes status files to the working directory); `$!` must be the
  # server itself, not a subshell, so that stop can signal it.
  pushd "$dir/clickhouse" >/dev/null
  clickhouse-server --config-file="$dir/clickhouse/config.xml" >"$dir/clickhouse/stdout.log" 2>&1 &
  echo $! >"$dir/clickhouse/pid"
  popd >/dev/null
  wait_http "http://127.0.0.1:$ch_http_port/ping" clickhouse-server 60
}

stop_one() { # name
  local pidfile="$dir/$1/pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  kill -CONT "$pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    start_influx
    start_clickhouse
    echo "export TEST_INFLUX_URL=http://127.0.0.1:$influx_port"
    echo "export TEST_INFLUX_PID=$(cat "$dir/influx/pid")"
    echo "export TEST_CLICKHOUSE_URL=http://127.0.0.1:$ch_http_port"
    ;;
  stop)
    stop_one influx
    stop_one clickhouse
    ;;
  *) echo "servers.sh: unknown command $cmd" >&2; exit 2 ;;
esac
