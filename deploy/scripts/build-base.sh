#!/usr/bin/env bash
# Builds the base image the project's machines use for the service images, from Debian packages only
# (no image registry is reachable here): a minimal bookworm with ca-certificates and a headless JRE 17,
# made by mmdebstrap and imported into podman's store. Idempotent: nothing happens when the image is
# there already; --force rebuilds it. Prints the image name on stdout.
#   deploy/scripts/build-base.sh [--force]
# Needs mmdebstrap and podman (scripts/ensure-test-tools.sh installs them) and Debian's archive.
set -euo pipefail
IMAGE="${CIMLE_BASE_IMAGE_NAME:-localhost/cimle/base:bookworm-jre17}"
SUITE=bookworm
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

if [ "$FORCE" = 0 ] && podman image exists "$IMAGE"; then
  echo "$IMAGE"
  exit 0
fi
for tool in mmdebstrap podman; do
  command -v "$tool" >/dev/null || { echo "build-base: $tool is missing (scripts/ensure-test-tools.sh installs it)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "build-base: mmdebstrap $SUITE (minbase + ca-certificates, openjdk-17-jre-headless)..." >&2
start=$(date +%s)
# No recommends, no manuals, translations or docs (the copyright files stay). The JRE's
# update-alternatives wants /usr/share/man/man1 to exist, excluded or not.
mmdebstrap --variant=minbase --include=ca-certificates,openjdk-17-jre-headless \
  --aptopt='APT::Install-Recommends "false"' --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  "$SUITE" "$work/base.tar" >&2
podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
  --message "mmdebstrap --variant=minbase $SUITE + ca-certificates, openjdk-17-jre-headless" \
  "$work/base.tar" "$IMAGE" >/dev/null
echo "build-base: $IMAGE built in $(( $(date +%s) - start )) s" >&2
echo "$IMAGE"
