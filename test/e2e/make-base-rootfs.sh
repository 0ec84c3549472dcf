#!/usr/bin/env bash
# The root filesystem of a local stand-in for the official python:<version>-slim-<suite> image:
# no registry is reachable here, so it is Debian minbase from debootstrap plus Debian's python3
# (trixie ships 3.13), behaving like the official image's python/pip. test/helpers/docker.ts
# imports it into the test engine under the official name, with the sandbox adaptations on top.
#
# Cached as .tools/docker/rootfs-<suite>-<key>.tar, keyed on the suite, the mirror and this
# script: a second run prints the path at once. Usage: make-base-rootfs.sh trixie
# Prints the tarball's path (the only line on stdout).
set -euo pipefail
suite=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
packages=python3,python3-venv,python3-pip
key=$( { echo "$suite $mirror $packages"; cat "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-12)
cache="$root/.tools/docker"
tarball="$cache/rootfs-$suite-$key.tar"
if [ -s "$tarball" ]; then
  echo "$tarball"
  exit 0
fi

mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "debootstrap $suite (one time, ~2 min; cached as $tarball)" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
ln -sf python3 "$rootfs/usr/bin/python"
printf '[global]\nbreak-system-packages = true\n' >"$rootfs/etc/pip.conf"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar --numeric-owner -C "$rootfs" -cf "$work/rootfs.tar" .
mv "$work/rootfs.tar" "$tarball"
# Older tarballs of this suite (other keys) are stale.
find "$cache" -maxdepth 1 -name "rootfs-$suite-*.tar" ! -name "$(basename "$tarball")" -delete
echo "$tarball"
