#!/usr/bin/env bash
# Proves scripts/kcat-request.sh end to end with real processes: installs kcat and protoc from Debian
# if missing, starts the local broker (as ./cimle broker does), answers the request with a fake
# generator made of kcat + protoc too (it echoes the layout PNG as every sample), and checks the
# recipe decoded the replies and wrote the PNGs back byte for byte.
#   scripts/test-kcat-recipe.sh [PORT]      (default 19092; builds cli/target/cli.jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-19092}"
BOOT="127.0.0.1:$PORT"
PROTO_DIR=proto/src/main/proto
PROTO=cimle/v1/cimle.proto
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
missing=()
command -v kcat >/dev/null || missing+=(kcat)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-kcat-recipe: installing ${missing[*]} from Debian..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if [ ! -f cli/target/cli.jar ] || [ ! -d cli/target/lib ]; then
  echo "test-kcat-recipe: building cli (package, no install)..." >&2
  ./mvnw -q -B -pl cli -am package -DskipTests >&2
fi
CP="cli/target/cli.jar:cli/target/lib/*"
work="$(mktemp -d)"
broker_pid=""; fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== starting the local broker on $BOOT"
java -cp "$CP" io.cimle.kafka.KafkaLocalMain "$work/kafka" "$PORT" > "$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 120); do
  grep -q "broker ready" "$work/broker.log" && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$work/broker.log"; exit 1; }
  sleep 0.5
done
grep "broker ready" "$work/broker.log"

echo "== a layout to ask about (toy scene, class ids)"
java -cp "$CP" io.cimle.cli.CimleCli toy-scenes --out "$work/toy" -n 1 --size 64x32
LAYOUT="$work/toy/labels/toy_00000.png"

echo "== fake generator: kcat -C layouts.requests | protoc --decode | protoc --encode SampleReply | kcat -P"
(
  set -euo pipefail
  while :; do
    kcat -C -b "$BOOT" -t layouts.requests -o beginning -e -q -f '%k\t%S\n%s' > "$work/req.stream"
    if [ -s "$work/req.stream" ]; then break; fi
    sleep 0.5
  done
  perl -e 'binmode STDIN; my $h = <STDIN>; chomp $h; my ($k, $n) = split /\t/, $h; read(STDIN, my $v, $n);
    open(my $f, ">:raw", $ARGV[0]) or die; print $f $v; close $f; print "$k\n"' "$work/req.bin" < "$work/req.stream" > "$work/req.key"
  protoc -I "$PROTO_DIR" --decode=cimle.v1.LayoutRequest "$PROTO" < "$work/req.bin" > "$work/req.txt"
  id="$(cat "$work/req.key")"
  n="$(perl -ne 'print $1 if /^num_samples: (\d+)/' "$work/req.txt")"
  seed="$(perl -ne 'print $1 if /^seed: (\d+)/' "$work/req.txt")"
  png="$(perl -ne 'print $1 if /^\s*png: "(.*)"$/' "$work/req.txt")"
  echo "fake generator: got $id, num_samples $n, seed $seed, layout $(perl -ne 'print "$1x" if /^\s*width: (\d+)/; print $1 if /^\s*height: (\d+)/' "$work/req.txt")"
  for i in $(seq 0 $((n - 1))); do
    printf 'sample {\n request_id: "%s"\n index: %d\n total: %d\n image: "%s"\n format: PNG\n code { shape: 1 shape: 4 seed: %d has_seed: true }\n model_version: "fake-kcat"\n}\n' \
      "$id" "$i" "$n" "$png" "$((seed + i))" \
      | protoc -I "$PROTO_DIR" --encode=cimle.v1.SampleReply "$PROTO" > "$work/reply-$i.bin"
    kcat -P -b "$BOOT" -t samples.generated -k "$id" "$work/reply-$i.bin"
  done
  echo "fake generator: answered $n samples"
) &
fake_pid=$!

echo "== the recipe: scripts/kcat-request.sh -b $BOOT -n 3 -s 42 -o $work/out $LAYOUT"
scripts/kcat-request.sh -b "$BOOT" -n 3 -s 42 -o "$work/out" -w 60 "$LAYOUT" | tee "$work/recipe.out"
wait "$fake_pid"; fake_pid=""

for i in 0 1 2; do
  cmp "$LAYOUT" "$(printf '%s/out/sample_%03d.png' "$work" "$i")"
done
grep -q 'model_version: "fake-kcat"' "$work/recipe.out"
grep -q 'seed: 44' "$work/recipe.out"
echo "PASS: request encoded by protoc, produced and consumed by kcat, 3 replies decoded, PNGs identical to the layout"
