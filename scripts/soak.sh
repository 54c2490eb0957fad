#!/usr/bin/env bash
# The long reliability suite (not part of ./cimle test): a steady-load soak of the generator (RSS, lag,
# latency), object storage unreachable for 30 s under the trainer, and a big hostile-input run.
# Builds the packaged services first, then runs e2e's @Tag("long") tests. Figures are printed as
# "[reliability] ..." lines and collected in target/soak/reliability.txt.
#
#   scripts/soak.sh                      # defaults: 6-minute soak at 20 requests/s, 3000 fuzz cases
#   SOAK_MINUTES=10 SOAK_RATE=30 FUZZ_CASES=5000 scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
# OpenMP threads sleep when idle: a spinning team ran 20x slower beside another busy process.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
./mvnw -q -B install -DskipTests
mkdir -p target/soak
./mvnw -B verify -pl e2e -Plong \
  -Dcimle.soak.minutes="${SOAK_MINUTES:-6}" -Dcimle.soak.rate="${SOAK_RATE:-20}" \
  -Dcimle.fuzz.cases="${FUZZ_CASES:-3000}" -Dcimle.outage.seconds="${OUTAGE_SECONDS:-30}" \
  | tee target/soak/maven.log
grep -h '^\[reliability\]' target/soak/maven.log > target/soak/reliability.txt || true
echo "figures: target/soak/reliability.txt"
