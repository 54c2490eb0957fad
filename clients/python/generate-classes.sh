#!/usr/bin/env bash
# Generates the message classes of the project's one .proto for this client, into gen/ beside it, with the
# protoc that matches the Python protobuf runtime (Debian: apt-get install protobuf-compiler python3-protobuf).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/gen}"
mkdir -p "$out"
protoc -I "$here/../../proto/src/main/proto" --python_out="$out" cimle/v1/cimle.proto
touch "$out/cimle/__init__.py" "$out/cimle/v1/__init__.py"
echo "generated $out/cimle/v1/cimle_pb2.py with $(protoc --version)"
