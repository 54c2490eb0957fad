#!/usr/bin/env bash
# GPU bench: on a host with an NVIDIA GPU, build the bench against the CUDA 12.4 libtorch (-Pcuda,
# same PyTorch 2.5.1) unless a CUDA build is already there, then run
#   BenchMain --device gpu --paper --sections matmul,forward,epoch,selection,growth
# and write bench.json / bench.md (and the log) to $OUT when set, else to bench-results-gpu/.
# Kafka and the PyTorch peer are CPU comparisons and are left out. Peak memory in the growth
# section is host RSS (VmHWM), not GPU memory.
#
# Needs: nvidia-smi and a CUDA 12.x driver; Maven Central reachable for the first -Pcuda build (the
# CUDA native jar, ~1-2 GB, is not in a CPU checkout's ~/.m2), or a previous CUDA build in
# bench/target/lib-cuda. Extra BenchMain flags pass through: scripts/gpu-bench.sh --quick
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT_DIR="${OUT:-$ROOT/bench-results-gpu}"
mkdir -p "$OUT_DIR"
LOG="$OUT_DIR/gpu-bench.log"
LIB=bench/target/lib-cuda

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu-bench: no NVIDIA GPU visible (nvidia-smi -L failed); nothing to do" | tee "$LOG" >&2
  exit 2
fi
nvidia-smi -L | tee "$LOG" >&2

if ! ls "$LIB"/pytorch-native-cu124-*.jar >/dev/null 2>&1 || [ ! -f "$LIB/bench.jar" ]; then
  echo "gpu-bench: building with -Pcuda ..." | tee -a "$LOG" >&2
  # A fresh lib folder: copy-dependencies would otherwise keep the CPU native jar beside the CUDA one.
  rm -rf bench/target/lib
  ./mvnw -B -q package -DskipTests -Pcuda -pl bench -am 2>&1 | tee -a "$LOG" >&2
  rm -rf "$LIB"
  mv bench/target/lib "$LIB"
  cp bench/target/bench.jar "$LIB/bench.jar"
fi

export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
# OpenMP threads sleep when idle: a spinning team ran 20x slower beside another busy process.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# A separate DJL cache: the CUDA libtorch extracts beside, not over, the CPU one.
JAVA_OPTS="${JAVA_OPTS:-} -Dai.djl.offline=true -DDJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.djl.ai-cuda}"
set +e
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$LIB/bench.jar:$LIB/*" io.cimle.bench.BenchMain --root "$ROOT" --device gpu --paper \
  --sections matmul,forward,epoch,selection,growth --out "$OUT_DIR" "$@" 2>&1 | tee -a "$LOG"
rc=${PIPESTATUS[0]}
set -e
echo "gpu-bench: exit $rc; results in $OUT_DIR" | tee -a "$LOG" >&2
exit "$rc"
