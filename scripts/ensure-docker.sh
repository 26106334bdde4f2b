#!/usr/bin/env bash
# Make a Docker engine answer on this machine: install Debian's docker.io if there is no
# dockerd, start the daemon if nothing answers, and wait for it. Needs root for both.
set -euo pipefail

engine_answers() { python3 -c 'import docker; docker.from_env(timeout=5).ping()' >/dev/null 2>&1; }

if engine_answers; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "ensure-docker: installing docker.io (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
    echo "ensure-docker: starting dockerd" >&2
    nohup dockerd >/var/log/mlgrade-dockerd.log 2>&1 &
fi

for _ in $(seq 60); do
    if engine_answers; then exit 0; fi
    sleep 1
done
echo "ensure-docker: the Docker engine did not answer within 60 s; see /var/log/mlgrade-dockerd.log" >&2
exit 1
