#!/bin/sh
# build-image.sh: builds the slurmbench image with podman from the repository's Dockerfile, on the
# base that build-base.sh makes. Prints the image name on stdout. Arguments go to `podman build`
# (e.g. --no-cache for a cold build).
#
#   IMAGE       tag to build (default localhost/slurmbench:dev)
#   NPM_CACHE   npm cache lent read-only to `npm ci` in the build (default ~/.npm); an empty or
#               missing folder only makes the build download every package
#   NODE_EXTRA_CA_CERTS  a CA bundle the host trusts (e.g. a TLS-intercepting egress proxy's);
#               when set, the build's npm trusts it too (mounted read-only, never copied in)
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGE="${IMAGE:-localhost/slurmbench:dev}"
NPM_CACHE="${NPM_CACHE:-${HOME:-/root}/.npm}"
BASE=$("$ROOT/deploy/container/build-base.sh")
mkdir -p "$NPM_CACHE"
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  set -- "$@" --volume "$NODE_EXTRA_CA_CERTS:/run/host-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/host-ca.crt
fi
# runc and cgroupfs: crun fails on this machine kind (RLIMIT_NOFILE, hybrid cgroups). The npm cache is
# an overlay (:O): the build may add to it without changing the host's copy.
podman --runtime runc --cgroup-manager=cgroupfs build \
  --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  --network=host \
  --build-arg "BASE_IMAGE=$BASE" \
  --volume "$NPM_CACHE:/root/.npm:O" \
  "$@" --tag "$IMAGE" --file "$ROOT/Dockerfile" "$ROOT" >&2
echo "$IMAGE"
