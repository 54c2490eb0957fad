#!/usr/bin/env bash
# ./cimle bench [--quick] [--paper] [--out bench-results] [--sections a,b] [--device cpu|gpu] ...
# Builds what the bench needs when missing or stale (bench module, packaged generator service),
# makes sure the PyTorch peer can run, then runs io.cimle.bench.BenchMain the way ./cimle runs the CLI.
# Extra Maven flags for the build (e.g. -Pcuda) come from BENCH_MVN_FLAGS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# libtorch (oneDNN) returns NaN from AVX-512 convolutions on some CPUs: pin AVX2 for every JVM.
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
# OpenMP threads sleep when idle: a spinning team ran 20x slower beside another busy process.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
JAVA_OPTS="${JAVA_OPTS:-} -Dai.djl.offline=true -DDJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.djl.ai}"
MODULES="proto kafka-local imle-core service-support generator-service bench"

stale() { # $1 = artifact; true when missing or older than any source of the modules it is built from
  [ ! -f "$1" ] || [ -n "$(find $MODULES -path '*/src/*' -newer "$1" -print -quit 2>/dev/null)" ]
}
if stale bench/target/bench.jar || stale generator-service/target/quarkus-app/quarkus-run.jar; then
  echo "bench: building bench and generator-service (first run or sources changed)..." >&2
  # shellcheck disable=SC2086
  ./mvnw -B -q package -DskipTests ${BENCH_MVN_FLAGS:-} -pl bench,generator-service -am >&2
fi

# The PyTorch peer (section "peer") needs Debian's python3-torch; install it once if we may.
if ! /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing python3-torch for the PyTorch peer..." >&2
    apt-get install -y --no-install-recommends python3-torch python3-numpy >&2 || echo "bench: no peer" >&2
  else
    echo "bench: /usr/bin/python3 has no torch (apt-get install python3-torch): the peer section is skipped" >&2
  fi
fi

# shellcheck disable=SC2086
exec java $JAVA_OPTS -cp "bench/target/bench.jar:bench/target/lib/*" io.cimle.bench.BenchMain --root "$ROOT" "$@"
