# The image of either service (trainer-service, generator-service), JVM mode, Quarkus fast-jar layout.
# Build context: the service's module directory, after its `./mvnw package`. Targets:
#   jvm   CPU libtorch (pytorch-native-cpu inside the application)          -> cimle/<service>:0.1.0
#   cuda  CUDA 12.4 libtorch (the -Pcuda build: pytorch-native-cu124) and
#         the CUDA runtime DJL looks for to see the GPUs                     -> cimle/<service>:0.1.0-cuda
# `./cimle images [--cuda]` builds them (deploy/scripts/build-images.sh). By hand:
#   podman build -f deploy/images/service.Dockerfile --target jvm --build-arg HTTP_PORT=8081 \
#     -t docker.io/cimle/trainer-service:0.1.0 trainer-service
# Nothing runs at build time (COPY only, no RUN): any glibc base with a JRE 17 on PATH and /bin/sh
# works, and the build needs no network beyond the base itself.

# A well-known JRE base for users. The project's machines, which reach no image registry, build on one
# made from Debian packages (deploy/scripts/build-base.sh: mmdebstrap, podman import).
ARG BASE_IMAGE=docker.io/library/eclipse-temurin:17-jre

FROM ${BASE_IMAGE} AS jvm
ARG BASE_IMAGE
# The packaged application: target/quarkus-app (the CUDA build writes target/quarkus-app-cuda).
ARG APP_DIR=target/quarkus-app
# 8080 generator, 8081 trainer (their application.properties); documentation only.
ARG HTTP_PORT=8080
LABEL org.opencontainers.image.base.name="${BASE_IMAGE}"

# One layer per rate of change (the dependencies, libtorch among them, change least). Owned by root
# and only readable by the service's user; the cluster mounts the root file system read-only anyway.
COPY ${APP_DIR}/lib/ /deployments/lib/
COPY ${APP_DIR}/quarkus-run.jar /deployments/
COPY ${APP_DIR}/app/ /deployments/app/
COPY ${APP_DIR}/quarkus/ /deployments/quarkus/

WORKDIR /deployments
EXPOSE ${HTTP_PORT}
# The manifests' runAsUser/runAsGroup; no passwd entry is needed.
USER 185:185

# libtorch/oneDNN returns NaN from AVX-512 convolutions on some CPUs; OpenMP threads sleep when idle
# (a spinning team ran 20x slower beside other busy processes: README, "Reproducible training").
# libtorch ships inside the application and is never downloaded (ai.djl.offline); DJL extracts it to
# DJL_CACHE_DIR, an emptyDir under the read-only root, as is /tmp (user.home: nothing else is written).
# JAVA_OPTS is the image's; JAVA_OPTS_APPEND is the deployment's (deploy/base sets it).
ENV ONEDNN_MAX_CPU_ISA=AVX2 \
    OMP_WAIT_POLICY=PASSIVE \
    DJL_CACHE_DIR=/var/cache/djl \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -Duser.home=/tmp -Dai.djl.offline=true -Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager" \
    JAVA_OPTS_APPEND=""

ENTRYPOINT [ "/bin/sh", "-c", "exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar" ]

FROM jvm AS cuda
# DJL takes the CUDA libtorch only when it sees a GPU, and it looks for one through a CUDA runtime
# named libcudart (>= the libtorch's 12.4) loaded with JNA. The application's own copy has a hashed
# name DJL does not look for, so build-images.sh extracts it to target/cuda-runtime/libcudart.so.12.
# The driver (libcuda) comes from the node: the NVIDIA container toolkit injects it for the
# capabilities asked for here. With no GPU visible the service stops at start-up saying so.
COPY target/cuda-runtime/ /opt/cimle/cuda/
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JAVA_OPTS="${JAVA_OPTS} -Djna.library.path=/opt/cimle/cuda"
