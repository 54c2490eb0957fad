#!/usr/bin/env bash
# Builds the service images with podman from deploy/images/service.Dockerfile, named as the manifests
# reference them (deploy/base image: fields, deploy/overlays/gpu images: newTag):
#   default  docker.io/cimle/trainer-service:0.1.0       docker.io/cimle/generator-service:0.1.0
#   --cuda   docker.io/cimle/trainer-service:0.1.0-cuda  docker.io/cimle/generator-service:0.1.0-cuda
# (docker.io/ is what a cluster makes of the manifests' short names.) `./cimle images` runs this.
#
#   deploy/scripts/build-images.sh [--cuda] [--base IMAGE] [--no-maven] [--offline]
#     --cuda      the CUDA variants: packages with ./mvnw -Pcuda into target/quarkus-app-cuda (the
#                 2.3 GB cu124 libtorch jar comes from Maven Central once), never the CPU ones
#     --base      the base image (default: the Debian one of deploy/scripts/build-base.sh, built if
#                 missing; e.g. --base docker.io/library/eclipse-temurin:17-jre where a registry is reachable)
#     --no-maven  never run Maven: the packaged quarkus-app directories must be there (the e2e test)
#     --offline   never reach a network: the base image must be in podman's store already
#
# Cached: each image carries a label with the hash of what went into it (the packaged application,
# the Dockerfile, the base image's id, the target); an image whose hash matches is not rebuilt, and a
# rebuilt one's predecessor is removed. Prints one line per image: name, size, built or up to date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DOCKERFILE=deploy/images/service.Dockerfile
SERVICES=(trainer-service generator-service)
CUDA=0; BASE=""; MAVEN=1; OFFLINE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cuda) CUDA=1 ;;
    --base) BASE="${2:?--base needs an image}"; shift ;;
    --no-maven) MAVEN=0 ;;
    --offline) OFFLINE=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build-images: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
  shift
done
command -v podman >/dev/null || { echo "build-images: podman is missing (scripts/ensure-test-tools.sh installs it)" >&2; exit 1; }
# crun refuses this machine kind's hybrid cgroups; runc works (only RUN steps would use it: there are none).
PODMAN=(podman)
[ -x /usr/sbin/runc ] && PODMAN+=(--runtime /usr/sbin/runc)
t0=$(date +%s)

# --- names, from the manifests (one source of truth) ---
image_name() { # service -> cimle/<service>:<tag> as deploy/base writes it
  sed -n "s#^ *image: *\(cimle/$1:[^ \"]*\).*#\1#p" deploy/base/*/deployment.yaml | head -1
}
gpu_tag() { # service -> the gpu overlay's newTag for it
  awk -v n="cimle/$1" '$0 ~ "name: *"n"$" {f=1; next} f && /newTag:/ {print $2; exit} /- name:/ {f=0}' \
    deploy/overlays/gpu/kustomization.yaml
}
http_port() { sed -n 's/^quarkus.http.port=\([0-9]*\)$/\1/p' "$1/src/main/resources/application.properties"; }

# --- the packaged applications ---
if [ "$CUDA" = 1 ]; then APP_DIR=target/quarkus-app-cuda; TARGET=cuda; else APP_DIR=target/quarkus-app; TARGET=jvm; fi
stale() { # true when a service's package is missing or older than a source it is built from
  local run="$1/$APP_DIR/quarkus-run.jar"
  [ ! -f "$run" ] || [ -n "$(find pom.xml proto imle-core service-support "$1" \( -name '*.java' -o -name '*.proto' \
      -o -name 'pom.xml' -o -name '*.properties' -o -name '*.html' \) -newer "$run" -not -path '*/target/*' -print -quit)" ]
}
need_package=0
for s in "${SERVICES[@]}"; do
  if [ "$MAVEN" = 1 ]; then stale "$s" && need_package=1
  # --no-maven: the caller (./mvnw verify, for the e2e test) has just packaged; only its absence is an error.
  elif [ ! -f "$s/$APP_DIR/quarkus-run.jar" ]; then
    echo "build-images: $s/$APP_DIR is missing; package first (or drop --no-maven)" >&2; exit 1
  fi
done
if [ "$need_package" = 1 ]; then
  if [ "$CUDA" = 1 ]; then
    echo "build-images: ./mvnw -Pcuda package (CUDA libtorch, into $APP_DIR)..." >&2
    ./mvnw -B -q -Pcuda package -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}")" -am \
      -Dquarkus.package.output-directory=quarkus-app-cuda >&2
  else
    echo "build-images: ./mvnw package..." >&2
    ./mvnw -B -q package -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}")" -am >&2
  fi
fi
if [ "$CUDA" = 1 ]; then
  for s in "${SERVICES[@]}"; do
    # The jar's CUDA runtime under the name DJL's GPU probe loads (see the Dockerfile's cuda stage).
    native=$(ls "$s/$APP_DIR"/lib/main/ai.djl.pytorch.pytorch-native-cu*.jar 2>/dev/null | head -1)
    [ -n "$native" ] || { echo "build-images: no CUDA libtorch in $s/$APP_DIR (was it built with -Pcuda?)" >&2; exit 1; }
    entry=$(unzip -Z1 "$native" | grep -E '/libcudart-[^/]*\.so\.[0-9]+$' | head -1)
    mkdir -p "$s/target/cuda-runtime"
    if [ ! -f "$s/target/cuda-runtime/libcudart.so.12" ] || [ "$native" -nt "$s/target/cuda-runtime/libcudart.so.12" ]; then
      unzip -p "$native" "$entry" > "$s/target/cuda-runtime/libcudart.so.12"
    fi
  done
fi

# --- the base ---
if [ -z "$BASE" ]; then
  if [ "$OFFLINE" = 1 ]; then BASE="${CIMLE_BASE_IMAGE_NAME:-localhost/cimle/base:bookworm-jre17}"
  else BASE="$(deploy/scripts/build-base.sh)"; fi
fi
if [ "$OFFLINE" = 1 ] && ! podman image exists "$BASE"; then
  echo "build-images: base image $BASE is not in podman's store (deploy/scripts/build-base.sh builds it; scripts/ensure-test-tools.sh runs that)" >&2
  exit 1
fi
podman image exists "$BASE" || "${PODMAN[@]}" pull "$BASE" >/dev/null
base_id=$(podman image inspect --format '{{.Id}}' "$BASE")

# --- the images ---
for s in "${SERVICES[@]}"; do
  name="docker.io/$(image_name "$s")"
  [ "$name" != "docker.io/" ] || { echo "build-images: no image: cimle/$s:... in deploy/base" >&2; exit 1; }
  if [ "$CUDA" = 1 ]; then
    tag=$(gpu_tag "$s"); [ -n "$tag" ] || { echo "build-images: no newTag for cimle/$s in deploy/overlays/gpu" >&2; exit 1; }
    name="${name%:*}:$tag"
  fi
  port=$(http_port "$s")
  files=("$s/$APP_DIR"); [ "$CUDA" = 1 ] && files+=("$s/target/cuda-runtime")
  hash=$( { find "${files[@]}" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s#  $s/#  #"
            sha256sum "$DOCKERFILE"; echo "$base_id $TARGET $APP_DIR $port"; } | sha256sum | cut -c1-16)
  old_id=$(podman image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)
  old_hash=$(podman image inspect --format '{{index .Labels "io.cimle.context"}}' "$name" 2>/dev/null || true)
  if [ -n "$old_id" ] && [ "$old_hash" = "$hash" ]; then
    state="up to date"
  else
    b0=$(date +%s)
    "${PODMAN[@]}" build --quiet --layers --pull=never -f "$DOCKERFILE" --target "$TARGET" \
      --build-arg BASE_IMAGE="$BASE" --build-arg APP_DIR="$APP_DIR" --build-arg HTTP_PORT="$port" \
      --label io.cimle.context="$hash" -t "$name" "$s" >/dev/null
    state="built in $(( $(date +%s) - b0 )) s"
    new_id=$(podman image inspect --format '{{.Id}}' "$name")
    # The predecessor, now untagged: removed unless a container still uses it.
    if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
      podman rmi "$old_id" >/dev/null 2>&1 || echo "build-images: the previous $name (${old_id:0:12}) is still used by a container: kept" >&2
    fi
  fi
  size=$(podman image inspect --format '{{.Size}}' "$name")
  printf '%s  %d MB  %s  (base %s)\n' "$name" $(( size / 1000000 )) "$state" "$BASE"
done
echo "build-images: done in $(( $(date +%s) - t0 )) s" >&2
