#!/usr/bin/env bash
# The deployment recipe of docs/deployment.md on one machine, without
# containers: Redis from Debian's package, N instances (`npm start`), and
# nginx from Debian's package in front. Ctrl-C stops everything.
#
#   deploy/local.sh [instances=2] [port=8080]
#
# Needs: apt-get install -y redis-server nginx; npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
INSTANCES="${1:-2}"
PORT="${2:-8080}"
REDIS_PORT="${REDIS_PORT:-6379}"
RUN_DIR="$(mktemp -d /tmp/constellation-deploy.XXXXXX)"
mkdir -p "$RUN_DIR"/{client_body,proxy,fastcgi,uwsgi,scgi}
chmod -R 0777 "$RUN_DIR"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT INT TERM

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR" --save "" --appendonly no &
pids+=($!)

upstreams=""
for i in $(seq 1 "$INSTANCES"); do
  port=$((PORT + i))
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT" INSTANCE_ID="instance-$i" HOST=127.0.0.1 PORT="$port" npm start &
  pids+=($!)
  upstreams+="    server 127.0.0.1:$port max_fails=0;"$'\n'
done

sed -e "s|{{RUN_DIR}}|$RUN_DIR|g" -e "s|{{LISTEN}}|127.0.0.1:$PORT|g" deploy/nginx.conf.template \
  | awk -v u="$upstreams" '{ if ($0 == "{{UPSTREAMS}}") printf "%s", u; else print }' > "$RUN_DIR/nginx.conf"
nginx -p "$RUN_DIR" -e "$RUN_DIR/error.log" -c "$RUN_DIR/nginx.conf" -g "daemon off;" &
pids+=($!)

echo "Constellation: http://127.0.0.1:$PORT ($INSTANCES instances, Redis on $REDIS_PORT, files in $RUN_DIR)"
wait -n
