#!/usr/bin/env bash
# Makes a local stand-in for the official python:<version>-slim-<distro> image (no registry is
# reachable here): Debian minbase from debootstrap plus Debian's python3, committed under the
# official image's name, and caches it in buildah's storage: a second run returns at once.
# Usage: make-base-image.sh trixie python:3.13-slim-trixie
#
# Sandbox adaptations, in a layer of their own (the generated Dockerfile is built unchanged):
# - this machine's CA bundle and the variables pip, requests (Poetry) and uv read, because
#   HTTPS here goes through an intercepting proxy whose CA only the host trusts;
# - POETRY_SHIM=path/to/poetry_pypi_shim.py adds that module to the image's standard library and
#   imports it from sitecustomize, so Poetry inside RUN steps works behind a PyPI proxy without
#   the per-release JSON API (see .ci/tools.d/python-tools/poetry_pypi_shim.py).
set -euo pipefail
suite=$1
image=docker.io/library/$2
B=(buildah --storage-driver vfs)
fingerprint=$(cat /etc/ssl/certs/ca-certificates.crt "${POETRY_SHIM:-/dev/null}" | sha256sum | cut -c1-16)

adapt() {
  local c stdlib bundle=/etc/ssl/certs/ca-certificates.crt
  c=$("${B[@]}" from --pull=never "$image")
  "${B[@]}" copy "$c" "$bundle" /etc/ssl/certs/sandbox-ca-bundle.crt >/dev/null
  "${B[@]}" config --env PIP_CERT=/etc/ssl/certs/sandbox-ca-bundle.crt \
    --env REQUESTS_CA_BUNDLE=/etc/ssl/certs/sandbox-ca-bundle.crt \
    --env SSL_CERT_FILE=/etc/ssl/certs/sandbox-ca-bundle.crt "$c"
  if [ -n "${POETRY_SHIM:-}" ]; then
    stdlib=$("${B[@]}" run --isolation chroot "$c" -- python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
    "${B[@]}" copy "$c" "$POETRY_SHIM" "$stdlib/poetry_pypi_shim.py" >/dev/null
    "${B[@]}" run --isolation chroot "$c" -- sh -c "echo 'import poetry_pypi_shim' >> $stdlib/sitecustomize.py"
  fi
  "${B[@]}" config --label "sandbox-adapted=$fingerprint" "$c"
  "${B[@]}" commit -q "$c" "$image" >/dev/null
  "${B[@]}" rm "$c" >/dev/null
  echo "sandbox adaptations added to $image"
}

if "${B[@]}" images --noheading --format '{{.Name}}:{{.Tag}}' | grep -qx "$image"; then
  echo "base image $image already built"
  # Re-adapt when the CA bundle or the shim changed since (a new layer on top).
  if [ "$("${B[@]}" inspect --format '{{index .OCIv1.Config.Labels "sandbox-adapted"}}' "$image")" != "$fingerprint" ]; then
    adapt
  fi
  exit 0
fi

mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
ln -sf python3 "$root/usr/bin/python"
printf '[global]\nbreak-system-packages = true\n' >"$root/etc/pip.conf"
rm -rf "$root"/var/cache/apt/archives/*.deb
tar -C "$root" -cf "$work/rootfs.tar" .
c=$("${B[@]}" from scratch)
"${B[@]}" add "$c" "$work/rootfs.tar" / >/dev/null
"${B[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd python3 "$c"
"${B[@]}" commit -q "$c" "$image" >/dev/null
"${B[@]}" rm "$c" >/dev/null
echo "base image $image built"
adapt
