#!/usr/bin/env bash
# Regenerates deploy/monitoring/prometheusrule.yaml from the plain rules file
# deploy/monitoring/rules/cimle-rules.yaml (the one promtool checks and tests): same groups,
# embedded under spec. MonitoringRulesTest fails when they differ.
set -euo pipefail
MON="$(cd "$(dirname "${BASH_SOURCE[0]}")/../monitoring" && pwd)"
{
  cat <<'HEADER'
# GENERATED from rules/cimle-rules.yaml by deploy/scripts/gen-prometheusrule.sh: edit that file and
# re-run the script (MonitoringRulesTest fails when the two differ).
# The Prometheus Operator picks this up when its ruleSelector matches these labels (for
# kube-prometheus-stack add the label `release: <your release name>` in an overlay).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: cimle
  labels:
    app.kubernetes.io/part-of: cimle
    prometheus: cimle
spec:
HEADER
  # Everything from `groups:` on, indented one level (blank lines stay empty).
  sed -n '/^groups:/,$p' "$MON/rules/cimle-rules.yaml" | sed 's/^\(.\)/  \1/'
} > "$MON/prometheusrule.yaml"
echo "wrote $MON/prometheusrule.yaml"
