#!/usr/bin/env bash
# Installs what deploy/'s tests need beyond Java and Maven, when missing:
#   - promtool (Debian package `prometheus`): check and unit-test the alert rules
#   - node_modules of deploy/dashboard-check (npm ci: typescript + @grafana/schema, locked)
# Idempotent and quick when everything is there. Called by `./cimle test` before Maven.
set -euo pipefail
DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v promtool >/dev/null 2>&1; then
  echo "ensure-tools: installing promtool (Debian package prometheus)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends prometheus
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "ensure-tools: npm (Node.js >= 18) is required for the dashboard check" >&2
  exit 1
fi
LOCK="$DEPLOY/dashboard-check/package-lock.json"
STAMP="$DEPLOY/dashboard-check/node_modules/.package-lock.json"
if [ ! -f "$STAMP" ] || [ "$LOCK" -nt "$STAMP" ]; then
  echo "ensure-tools: npm ci in deploy/dashboard-check" >&2
  (cd "$DEPLOY/dashboard-check" && npm ci --no-audit --no-fund)
fi
