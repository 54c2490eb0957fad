#!/usr/bin/env bash
# Installs what deploy/'s tests need beyond Java and Maven, when missing:
#   - promtool (Debian package `prometheus`): check and unit-test the alert rules
#   - node_modules of deploy/dashboard-check (npm ci: typescript + @grafana/schema, locked)
#   - node_modules of deploy/manifest-check (npm ci: the @kubernetes-models schema packages, locked)
# and checks that kubectl (with its built-in kustomize) is there: the tests render with it.
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
  echo "ensure-tools: npm (Node.js >= 20) is required for the dashboard and manifest checks" >&2
  exit 1
fi
for check in dashboard-check manifest-check; do
  LOCK="$DEPLOY/$check/package-lock.json"
  STAMP="$DEPLOY/$check/node_modules/.package-lock.json"
  if [ ! -f "$STAMP" ] || [ "$LOCK" -nt "$STAMP" ]; then
    echo "ensure-tools: npm ci in deploy/$check" >&2
    (cd "$DEPLOY/$check" && npm ci --no-audit --no-fund)
  fi
done

if ! command -v kubectl >/dev/null 2>&1; then
  # Debian's kubernetes-client is kubectl 1.20 (kustomize 2: no components), too old for deploy/.
  echo "ensure-tools: kubectl >= 1.27 (kustomize 5) is required to render deploy/: install it from" \
    "the Kubernetes package repository (https://kubernetes.io/docs/tasks/tools/)" >&2
  exit 1
fi
