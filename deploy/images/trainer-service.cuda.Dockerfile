# trainer-service, JVM mode, CUDA 12.4 libtorch (Maven profile -Pcuda switches pytorch-native-cpu to
# pytorch-native-cu124, same libtorch 2.5.1). Build context: the module directory, after
#   ./mvnw -B -Pcuda -pl trainer-service -am package -DskipTests
#   docker build -f deploy/images/trainer-service.cuda.Dockerfile -t cimle/trainer-service:0.1.0-cuda trainer-service
# Runs on nodes with an NVIDIA driver >= 550 and the NVIDIA container runtime / device plugin.
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubi9

# A JRE 17 from the distribution; no JDK, no build tools.
RUN dnf install -y --setopt=install_weak_deps=False --nodocs java-17-openjdk-headless \
    && dnf clean all \
    && useradd --uid 185 --gid 0 --home-dir /deployments --no-create-home --shell /sbin/nologin jboss \
    && mkdir -p /deployments /var/cache/djl \
    && chown -R 185:0 /deployments /var/cache/djl

COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 target/quarkus-app/*.jar /deployments/
COPY --chown=185 target/quarkus-app/app/ /deployments/app/
COPY --chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/

WORKDIR /deployments
EXPOSE 8081
USER 185

# libtorch's OpenMP threads sleep when idle instead of spinning: beside other busy processes a
# spinning team ran 20x slower (README, "Reproducible training").
ENV ONEDNN_MAX_CPU_ISA=AVX2 \
    OMP_WAIT_POLICY=PASSIVE \
    DJL_CACHE_DIR=/var/cache/djl \
    JAVA_OPTS_APPEND="-Dai.djl.offline=true"

# JAVA_OPTS_APPEND is the same knob as in the UBI image (the Deployment sets it).
ENTRYPOINT [ "/bin/sh", "-c", "exec java -XX:MaxRAMPercentage=75 -Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar" ]
