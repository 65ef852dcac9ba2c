# shellcheck shell=bash
# Shared by the opensearch/ scripts: settings from the environment and the start/stop functions.
# Source it, don't run it.

OS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OPENSEARCH_RUN="${OPENSEARCH_RUN:-/tmp/rolesearch-opensearch}" # node homes, NAME.log, NAME.pid
OPENSEARCH_HEAP="${OPENSEARCH_HEAP:-256m}"                      # -Xms and -Xmx
OPENSEARCH_START_TIMEOUT="${OPENSEARCH_START_TIMEOUT:-180}"     # seconds to the first HTTP answer
OPENSEARCH_STOP_TIMEOUT="${OPENSEARCH_STOP_TIMEOUT:-20}"        # seconds from SIGTERM to SIGKILL
# small and quick to start: one GC thread, C1 only (a test node is short-lived)
OPENSEARCH_JAVA_OPTS="${OPENSEARCH_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxDirectMemorySize=128m}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LAUNCHER_CLASS=rolesearch.opensearch.Launcher

# the 3-node cluster: node-1..3 on HTTP 9201-9203 and transport 9301-9303
CLUSTER_HTTP_BASE=9201
CLUSTER_TRANSPORT_BASE=9301

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

os_classpath() {
  local cp="$OS_DIR/target/classpath.txt"
  if [ ! -f "$cp" ] || [ ! -d "$OS_DIR/target/classes/rolesearch" ]; then
    echo "opensearch: not fetched yet: run opensearch/fetch" >&2
    return 1
  fi
  echo "$OS_DIR/target/classes:$(cat "$cp")"
}

# os_pid NAME: the recorded pid of NAME if that process is alive and is our launcher
os_pid() {
  local f="$OPENSEARCH_RUN/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$LAUNCHER_CLASS" || return 1
  echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }

# cpu_secs PID: CPU time (user + system) the process has used so far
cpu_secs() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null
}

# os_start NAME HTTP_PORT TRANSPORT_PORT [key=value ...]: start a node in the background and
# wait (bounded) until its HTTP port answers. Data in $OPENSEARCH_RUN/NAME, wiped first unless
# OPENSEARCH_KEEP_DATA=1. Prints one line with the start-up time and RSS.
os_start() {
  local name=$1 http=$2 transport=$3 cp pid home t0 t1 i
  shift 3
  home="$OPENSEARCH_RUN/$name"
  cp=$(os_classpath) || return 1
  if pid=$(os_pid "$name"); then
    echo "opensearch: $name is already running (pid $pid); stop it first" >&2
    return 1
  fi
  for p in "$http" "$transport"; do
    if port_busy "$p"; then
      echo "opensearch: 127.0.0.1:$p is already in use; cannot start $name" >&2
      return 1
    fi
  done
  mkdir -p "$OPENSEARCH_RUN"
  [ "${OPENSEARCH_KEEP_DATA:-0}" = 1 ] || rm -rf "${home:?}"
  mkdir -p "$home/tmp"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086 # OPENSEARCH_JAVA_OPTS is a list of options
  nohup "$JAVA" -Xms"$OPENSEARCH_HEAP" -Xmx"$OPENSEARCH_HEAP" $OPENSEARCH_JAVA_OPTS \
    -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow \
    -Dfile.encoding=UTF-8 -Djava.awt.headless=true -Djava.locale.providers=SPI,COMPAT -Djna.nosys=true \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -Dlog4j2.configurationFile="$OS_DIR/config/log4j2.properties" \
    -Djava.io.tmpdir="$home/tmp" \
    -cp "$cp" "$LAUNCHER_CLASS" \
    path.home="$home" node.name="$name" http.port="$http" transport.port="$transport" "$@" \
    >"$OPENSEARCH_RUN/$name.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$OPENSEARCH_RUN/$name.pid"
  for ((i = 0; i < OPENSEARCH_START_TIMEOUT * 4; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$OPENSEARCH_RUN/$name.log" >&2
      rm -f "$OPENSEARCH_RUN/$name.pid"
      echo "opensearch: $name exited before answering HTTP: $(grep -m1 '^launcher: ' "$OPENSEARCH_RUN/$name.log" \
        || echo "see $OPENSEARCH_RUN/$name.log")" >&2
      return 1
    fi
    if curl -sf -m 2 -o /dev/null "http://127.0.0.1:$http/"; then
      t1=$(date +%s.%N)
      printf 'opensearch: %s up at http://127.0.0.1:%s (transport %s, pid %s) in %.1f s (%s s CPU), RSS %s MiB, heap %s, log %s\n' \
        "$name" "$http" "$transport" "$pid" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$(cpu_secs "$pid")" \
        "$(rss_mib "$pid")" "$OPENSEARCH_HEAP" "$OPENSEARCH_RUN/$name.log"
      return 0
    fi
    sleep 0.25
  done
  tail -n 30 "$OPENSEARCH_RUN/$name.log" >&2
  kill -KILL "$pid" 2>/dev/null
  rm -f "$OPENSEARCH_RUN/$name.pid"
  echo "opensearch: $name gave no HTTP answer on 127.0.0.1:$http within ${OPENSEARCH_START_TIMEOUT} s; killed it" >&2
  return 1
}

# os_stop NAME: SIGTERM (the launcher closes the node), SIGKILL after OPENSEARCH_STOP_TIMEOUT s
os_stop() {
  local name=$1 pid i
  if ! pid=$(os_pid "$name"); then
    rm -f "$OPENSEARCH_RUN/$name.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < OPENSEARCH_STOP_TIMEOUT * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    echo "opensearch: $name (pid $pid) ignored SIGTERM for ${OPENSEARCH_STOP_TIMEOUT} s: killed"
  else
    echo "opensearch: $name (pid $pid) stopped"
  fi
  rm -f "$OPENSEARCH_RUN/$name.pid"
}

# cluster_node_args I: the arguments of node-I of the 3-node cluster, for os_start
cluster_node_args() {
  local i=$1 t=$CLUSTER_TRANSPORT_BASE
  echo "node-$i $((CLUSTER_HTTP_BASE + i - 1)) $((t + i - 1)) cluster.name=rolesearch-cluster" \
    "discovery.seed_hosts=127.0.0.1:$t,127.0.0.1:$((t + 1)),127.0.0.1:$((t + 2))" \
    "cluster.initial_cluster_manager_nodes=node-1,node-2,node-3"
}
