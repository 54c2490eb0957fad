#!/usr/bin/env bash
# Installs the real tools some tests drive, when missing: Debian's Chromium and playwright-core from npm
# (and Debian's python3-confluent-kafka and python3-protobuf for the Python client's test; python3-torch,
# python3-torchvision, python3-scipy and python3-pil for the metrics' equality test)
# (the web page's browser test), Prometheus' promtool (alert rules), the npm packages that check the
# dashboards and manifests, podman, runc and mmdebstrap with the Debian base image the container
# images build on (the e2e test of the images), and Blender (the street renderer's test). Idempotent; called by `./cimle test` before Maven.
# Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
missing=()
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v promtool >/dev/null || missing+=(prometheus)
command -v kcat >/dev/null || missing+=(kcat)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
# The Python client's test: Debian's Kafka client and the protobuf runtime that matches Debian's protoc.
/usr/bin/python3 -c 'import confluent_kafka' 2>/dev/null || missing+=(python3-confluent-kafka)
/usr/bin/python3 -c 'import google.protobuf' 2>/dev/null || missing+=(python3-protobuf)
# The metrics' equality test (MetricsEqualityTest): the Python references of FID, KID, LPIPS and mIoU.
/usr/bin/python3 -c 'import torch' 2>/dev/null || missing+=(python3-torch)
/usr/bin/python3 -c 'import torchvision' 2>/dev/null || missing+=(python3-torchvision)
/usr/bin/python3 -c 'import scipy' 2>/dev/null || missing+=(python3-scipy)
/usr/bin/python3 -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
command -v podman >/dev/null || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
# The street renderer's test (render-scenes: a Blender Python script, Cycles on the CPU).
command -v blender >/dev/null || missing+=(blender)
# Rootless podman maps the container's users through newuidmap.
if [ "$(id -u)" != 0 ]; then command -v newuidmap >/dev/null || missing+=(uidmap); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-test-tools: installing ${missing[*]} from Debian..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# The web page's browser test drives Chromium through playwright-core (locked in its package-lock.json).
if ! command -v npm >/dev/null; then
  echo "ensure-test-tools: npm (Node.js >= 20) is required for the web page's browser test" >&2
  exit 1
fi
PAGE=generator-service/src/test/page
if [ ! -f "$PAGE/node_modules/.package-lock.json" ] || [ "$PAGE/package-lock.json" -nt "$PAGE/node_modules/.package-lock.json" ]; then
  echo "ensure-test-tools: npm ci in $PAGE" >&2
  (cd "$PAGE" && npm ci --no-audit --no-fund)
fi
if [ -x deploy/scripts/ensure-tools.sh ]; then
  deploy/scripts/ensure-tools.sh
fi
# The base of the service images, from Debian packages (a few minutes, once). Where podman cannot
# work at all the image test skips and says why; a base that fails to build here makes it fail.
if command -v podman >/dev/null && podman info >/dev/null 2>&1; then
  deploy/scripts/build-base.sh >/dev/null || echo "ensure-test-tools: building the base image failed (see above)" >&2
else
  echo "ensure-test-tools: podman does not work on this machine; the container image test will be skipped" >&2
fi
