#!/usr/bin/env bash
# Ask a running cimle generator for samples with nothing but kcat, protoc and perl (no JVM, no Python).
#
#   scripts/kcat-request.sh [-b BOOTSTRAP] [-n N] [-s SEED] [-o OUT_DIR] [-w SECONDS] LAYOUT.png
#
# LAYOUT.png is a class-id layout (one grey/palette value per pixel: the model's train ids, 255 = void).
# The recipe, step by step (each step works on its own at a shell prompt):
#   1. write a text-format cimle.v1.LayoutRequest, the PNG embedded as octal escapes ("\211PNG\r..."),
#      and encode it: protoc --encode=cimle.v1.LayoutRequest
#   2. produce it keyed by its request id: kcat -P -t layouts.requests -k ID request.bin
#      (a file argument is sent as ONE message; stdin would be split at newlines)
#   3. consume samples.generated binary-safely: kcat -C -e -f '%k\t%S\n%s' prints each record's key
#      and byte length, then exactly that many value bytes; keep the records keyed by our id
#   4. decode each: protoc --decode=cimle.v1.SampleReply, unescape the image field to sample_NNN.png
# Needs: kcat and protobuf-compiler (Debian: apt-get install kcat protobuf-compiler), perl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROTO_DIR="${CIMLE_PROTO_DIR:-$ROOT/proto/src/main/proto}"
PROTO=cimle/v1/cimle.proto
BOOTSTRAP=localhost:9092
N=4
SEED=""
OUT=kcat-samples
WAIT=120
while getopts "b:n:s:o:w:h" opt; do
  case "$opt" in
    b) BOOTSTRAP="$OPTARG" ;;
    n) N="$OPTARG" ;;
    s) SEED="$OPTARG" ;;
    o) OUT="$OPTARG" ;;
    w) WAIT="$OPTARG" ;;
    *) sed -n '2,4p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n '2,4p' "$0" >&2; exit 2; }
LAYOUT="$1"
for tool in kcat protoc perl; do
  command -v "$tool" >/dev/null || { echo "kcat-request: $tool is missing (apt-get install kcat protobuf-compiler perl)" >&2; exit 2; }
done
[ -f "$LAYOUT" ] || { echo "kcat-request: layout $LAYOUT does not exist" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
REQ_ID="kcat-$(date +%s)-$$"
SENT_MS="$(date +%s%3N)"

# 1. Encode. Width and height come from the PNG header (IHDR), informative for the generator.
read -r W H < <(perl -e 'open(F, "<:raw", $ARGV[0]) or die; read(F, $b, 24);
  die "kcat-request: $ARGV[0] is not a PNG\n" unless substr($b, 0, 8) eq "\x89PNG\r\n\x1a\n";
  print join(" ", unpack("NN", substr($b, 16, 8))), "\n"' "$LAYOUT")
{
  printf 'request_id: "%s"\n' "$REQ_ID"
  printf 'layout {\n  encoding: CLASS_IDS\n  width: %d\n  height: %d\n  png: "' "$W" "$H"
  perl -0777 -ne 'print map { sprintf "\\%03o", $_ } unpack "C*", $_' "$LAYOUT"
  printf '"\n}\n'
  printf 'num_samples: %d\n' "$N"
  if [ -n "$SEED" ]; then printf 'seed: %d\nhas_seed: true\n' "$SEED"; fi
  printf 'reply { format: PNG }\n'
  printf 'client_sent_at_ms: %d\n' "$SENT_MS"
} > "$work/request.txt"
protoc -I "$PROTO_DIR" --encode=cimle.v1.LayoutRequest "$PROTO" < "$work/request.txt" > "$work/request.bin"

# 2. Produce.
kcat -P -b "$BOOTSTRAP" -t layouts.requests -k "$REQ_ID" "$work/request.bin"
echo "kcat-request: sent $REQ_ID ($N samples of a ${W}x${H} layout, $(wc -c < "$work/request.bin") bytes) to layouts.requests at $BOOTSTRAP"

# 3. Consume from the send time on (s@ms; '-o beginning' works too, reading the whole topic),
#    until all N indexes (or an error) arrived. Delivery is at least once: duplicates are dropped by index.
mkdir -p "$OUT"
deadline=$(( $(date +%s) + WAIT ))
while :; do
  kcat -C -b "$BOOTSTRAP" -t samples.generated -o "s@$SENT_MS" -e -q -f '%k\t%S\n%s' > "$work/stream.bin"
  rm -rf "$work/msgs"; mkdir "$work/msgs"
  perl -e 'my ($id, $dir) = @ARGV; binmode STDIN; my $i = 0;
    while (defined(my $h = <STDIN>)) {
      chomp $h; my ($k, $n) = split /\t/, $h; last unless defined $n;
      my $v = ""; read(STDIN, $v, $n) if $n > 0;
      next unless $k eq $id;
      open(my $f, ">:raw", sprintf("%s/%05d.bin", $dir, $i++)) or die; print $f $v; close $f;
    }' "$REQ_ID" "$work/msgs" < "$work/stream.bin"
  # 4. Decode; write images; print each reply with the image bytes elided.
  got=0; failed=0
  : > "$work/seen"
  for m in "$work/msgs"/*.bin; do
    [ -e "$m" ] || continue
    protoc -I "$PROTO_DIR" --decode=cimle.v1.SampleReply "$PROTO" < "$m" > "$m.txt"
    if grep -q '^error {' "$m.txt"; then cat "$m.txt"; failed=1; continue; fi
    idx="$(perl -ne 'print $1 if /^\s*index: (\d+)/' "$m.txt")"; idx="${idx:-0}"
    grep -qx "$idx" "$work/seen" && continue
    echo "$idx" >> "$work/seen"
    file="$(printf '%s/sample_%03d.png' "$OUT" "$idx")"
    F="$file" perl -ne 'BEGIN { %e = (n => "\n", r => "\r", t => "\t") }
      if (/^\s*image: "(.*)"$/) { my $s = $1;
        $s =~ s/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/defined $1 ? chr(oct $1) : defined $2 ? chr(hex $2) : (exists $e{$3} ? $e{$3} : $3)/ge;
        open(my $f, ">:raw", $ENV{F}) or die; print $f $s; close $f; }' "$m.txt"
    F="$file" perl -pe 's/^(\s*image: )".*"$/$1 . "<" . (-s $ENV{F}) . " bytes, written to $ENV{F}>"/e' "$m.txt"
    got=$((got + 1))
  done
  if [ "$failed" = 1 ]; then echo "kcat-request: the generator refused $REQ_ID" >&2; exit 1; fi
  if [ "$got" -ge "$N" ]; then echo "kcat-request: $got samples of $REQ_ID in $OUT"; exit 0; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "kcat-request: only $got of $N samples of $REQ_ID within ${WAIT}s; is a generator running at $BOOTSTRAP?" >&2
    exit 1
  fi
  sleep 1
done
