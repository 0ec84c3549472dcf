#!/usr/bin/env bash
# The root filesystem of a local stand-in for the official python:<version>-slim-<suite> image:
# no registry is reachable here, so it is Debian minbase from debootstrap plus Debian's python3
# (trixie ships 3.13), behaving like the official image's python/pip, without the files the
# official image leaves out (see below: its sizes are compared). test/helpers/docker.ts
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

# What the official image leaves out, left out here by the same rules (about 67 MB of 177):
# 1. debian:<suite>-slim, its base, is minbase after debuerreotype's "slimify": documentation
#    (each package's copyright kept), manual and info pages, translations and lintian overrides
#    are deleted, and /etc/dpkg/dpkg.cfg.d/docker keeps later installs from adding them (49 MB
#    here: locale 32, doc 14, man 3.4, info 0.6).
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# The "slim" variant of the Debian base image: these files are not installed.
path-exclude /usr/share/doc/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
path-include /usr/share/doc/*/copyright
path-include /usr/share/locale/locale.alias
EOF
for dir in doc groff info linda lintian/overrides locale man; do
  [ -d "$rootfs/usr/share/$dir" ] || continue
  find "$rootfs/usr/share/$dir" -mindepth 1 ! -type d ! -type l \
    ! -path "$rootfs/usr/share/doc/*/copyright" ! -path "$rootfs/usr/share/locale/locale.alias" -delete
  # Then empty folders and links left pointing nowhere, until none is left.
  while [ -n "$(find "$rootfs/usr/share/$dir" -mindepth 1 \( -type d -empty -o -xtype l \) -print -quit)" ]; do
    find "$rootfs/usr/share/$dir" -mindepth 1 -depth \( -type d -empty -o -xtype l \) -delete
  done
done
# 2. python:<version>-slim-<suite> builds CPython into /usr/local, then deletes every folder
#    named test, tests or idle_test and every .pyc/.pyo file there: the same rule for Debian's
#    python3 in /usr/lib/python3* (18 MB here: the bytecode Debian compiles at install, and
#    test.support/libregrtest).
find "$rootfs"/usr/lib/python3* -depth \( \( -type d \( -name test -o -name tests -o -name idle_test \) \) \
  -o \( -type f \( -name '*.pyc' -o -name '*.pyo' \) \) \) -exec rm -rf '{}' +
find "$rootfs"/usr/lib/python3* -depth -type d -name __pycache__ -empty -delete
tar --numeric-owner -C "$rootfs" -cf "$work/rootfs.tar" .
mv "$work/rootfs.tar" "$tarball"
# Tarballs of this suite with other keys are stale once a day old (until then another checkout
# sharing .tools, on another version of this script, may still be importing one).
find "$cache" -maxdepth 1 -name "rootfs-$suite-*.tar" ! -name "$(basename "$tarball")" -mmin +1440 -delete
echo "$tarball"
