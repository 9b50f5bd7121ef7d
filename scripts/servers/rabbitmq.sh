#!/usr/bin/env bash
# Runs Debian's RabbitMQ in the foreground as its own node with its own ports and folders, for the AppHost and
# the test fixtures alike. As root it runs as the `rabbitmq` system user. Every port it opens is on 127.0.0.1.
#   usage: rabbitmq.sh BASE_DIR AMQP_PORT DIST_PORT [MANAGEMENT_PORT]
#   (RABBITMQ_PASSWORD in the environment: the password of user `procexon`, set when the folder is new;
#    RABBITMQ_DEFINITIONS, optional: a definitions file with the processes' users and permissions, loaded at every start;
#    RABBITMQ_CLUSTER_PORTS, optional: the AMQP ports of every node of a cluster on this machine, this one's among them,
#    space-separated; the nodes find each other by name (procexon-PORT@localhost) from the config file;
#    RABBITMQ_CLUSTER_COOKIE, required with a cluster: the secret the nodes share, written to the node's own home)
set -euo pipefail
base_dir=$1
amqp_port=$2
dist_port=$3
management_port=${4:-0}

server=/usr/lib/rabbitmq/bin/rabbitmq-server
if [ ! -x "$server" ]; then
  echo "rabbitmq.sh: RabbitMQ is not installed (apt-get install rabbitmq-server); scripts/setup.sh installs it" >&2
  exit 127
fi

owner=$(id -un)
home=$HOME
if [ "$(id -u)" = 0 ]; then
  owner=rabbitmq
  home=/var/lib/rabbitmq
fi

mkdir -p "$base_dir"
chown "$owner" "$base_dir"
chmod 700 "$base_dir"

# A node left running by an earlier run that was killed holds the port and the node name: stop it first.
pid_file="$base_dir/rabbitmq.pid"
if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  old=$(cat "$pid_file")
  echo "rabbitmq.sh: stopping node $old left running on $base_dir"
  kill -TERM "$old" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$old" 2>/dev/null || true
fi

# The processes' own users (the AppHost writes them): a copy the broker's system user may read.
definitions=""
if [ -n "${RABBITMQ_DEFINITIONS:-}" ]; then
  definitions="$base_dir/definitions.json"
  install -m 600 "$RABBITMQ_DEFINITIONS" "$definitions"
  chown "$owner" "$definitions"
fi

{
  echo "listeners.tcp.default = 127.0.0.1:$amqp_port"
  echo "loopback_users = none"
  echo "default_user = procexon"
  echo "default_pass = ${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD must be set}"
  echo "log.console = true"
  echo "log.console.level = warning"
  echo "log.file = false"
  if [ -n "$definitions" ]; then
    echo "load_definitions = $definitions"
  fi
  if [ -n "${RABBITMQ_CLUSTER_PORTS:-}" ]; then
    # Classic peer discovery: a new node joins the first listed node that has formed the cluster, or forms it (only a
    # node with an empty data folder looks; a restarted one rejoins from its own). Nodes started together take turns
    # under a lock, so one forms and the others join it; the lock holder retries a few times only (the defaults),
    # since the others, waiting for the lock, cannot answer it.
    echo "cluster_formation.peer_discovery_backend = classic_config"
    i=1
    for port in $RABBITMQ_CLUSTER_PORTS; do
      echo "cluster_formation.classic_config.nodes.$i = procexon-$port@localhost"
      i=$((i + 1))
    done
  fi
  if [ "$management_port" != 0 ]; then
    echo "management.tcp.port = $management_port"
    echo "management.tcp.ip = 127.0.0.1"
  fi
} > "$base_dir/rabbitmq.conf"
if [ "$management_port" != 0 ]; then
  echo '[rabbitmq_management].' > "$base_dir/enabled_plugins"
else
  echo '[].' > "$base_dir/enabled_plugins"
fi
chown "$owner" "$base_dir/rabbitmq.conf" "$base_dir/enabled_plugins"

# The nodes of a cluster share a cookie of their own (not the machine's, which every other node here shares too): it
# lives in the node's own home, readable by its owner alone, as Erlang requires.
if [ -n "${RABBITMQ_CLUSTER_PORTS:-}" ]; then
  home=$base_dir
  rm -f "$base_dir/.erlang.cookie"
  (umask 077 && printf '%s' "${RABBITMQ_CLUSTER_COOKIE:?RABBITMQ_CLUSTER_COOKIE must be set for a cluster}" > "$base_dir/.erlang.cookie")
  chmod 400 "$base_dir/.erlang.cookie"
  chown "$owner" "$base_dir/.erlang.cookie"
fi
# Not passed on: the server reads the file, and an environment is readable in /proc longer than it needs to be.
unset RABBITMQ_CLUSTER_COOKIE
export HOME=$home
export RABBITMQ_NODENAME="procexon-$amqp_port@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$amqp_port
export RABBITMQ_DIST_PORT=$dist_port
# Erlang distribution and epmd on loopback only: no node off this machine has any business with this one, and the
# cookie would be all that guards it. An epmd that another node already started is used as it is (the node registers
# over loopback); one started here listens on 127.0.0.1 alone.
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CONFIG_FILE="$base_dir/rabbitmq"
export RABBITMQ_ENABLED_PLUGINS_FILE="$base_dir/enabled_plugins"
export RABBITMQ_MNESIA_BASE="$base_dir/mnesia"
export RABBITMQ_LOG_BASE="$base_dir/log"
export RABBITMQ_PID_FILE=$pid_file
export RABBITMQ_LOGS=-
cd "$base_dir"
if [ "$(id -u)" = 0 ]; then
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- "$server"
fi
exec "$server"
