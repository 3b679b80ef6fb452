#!/bin/sh
# build-base.sh: makes the container base image from Debian packages, since no container registry
# is reachable where slurmbench is built. A `debootstrap --variant=minbase` root of Debian trixie
# (whose nodejs is 20.19) is tarred once into the cache and imported into podman under the name
# the Dockerfile's FROM lines use. Run as root; idempotent (a cached tarball and image are reused).
#
#   SLURMBENCH_CACHE_DIR  cache root (default /var/cache/slurmbench); this uses its container-base/
#   DEBIAN_MIRROR         archive to bootstrap from (default http://deb.debian.org/debian)
#   BASE_IMAGE            image name to import as (default localhost/debian:trixie-slim)
set -eu

SUITE=trixie
CACHE="${SLURMBENCH_CACHE_DIR:-/var/cache/slurmbench}/container-base"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
IMAGE="${BASE_IMAGE:-localhost/debian:trixie-slim}"
TARBALL="$CACHE/debian-$SUITE-minbase.tar"
# crun fails on this machine kind (RLIMIT_NOFILE, hybrid cgroups); runc with cgroupfs works.
PODMAN="podman --runtime runc --cgroup-manager=cgroupfs"

for tool in debootstrap podman tar flock; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-base: $tool not found; install it (apt-get install debootstrap podman runc)" >&2; exit 127; }
done
mkdir -p "$CACHE"
# One builder at a time: a second caller waits, then finds the tarball and the image made.
exec 9>"$CACHE/.lock"
flock 9

if [ ! -s "$TARBALL" ]; then
  root="$CACHE/rootfs.$$"
  rm -rf "$CACHE"/rootfs.*
  start=$(date +%s)
  debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || {
    echo "build-base: debootstrap failed; the last lines of $CACHE/debootstrap.log:" >&2
    tail -n 20 "$CACHE/debootstrap.log" >&2
    exit 1
  }
  # What debian:*-slim leaves out: package caches, lists, documentation and manuals.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
  printf 'deb %s %s main\n' "$MIRROR" "$SUITE" >"$root/etc/apt/sources.list"
  tar --numeric-owner -C "$root" -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  rm -rf "$root"
  echo "build-base: bootstrapped $SUITE in $(( $(date +%s) - start )) s, $(du -h "$TARBALL" | cut -f1) tarball" >&2
fi

if ! $PODMAN image exists "$IMAGE"; then
  $PODMAN import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["/bin/bash"]' "$TARBALL" "$IMAGE" >/dev/null
  echo "build-base: imported $TARBALL as $IMAGE" >&2
fi
echo "$IMAGE"
