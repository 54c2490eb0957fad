# trainer-service, JVM mode, CPU libtorch. Run from the repository root, after
#   ./mvnw -B -pl trainer-service -am package -DskipTests
#   docker build -f deploy/images/trainer-service.Dockerfile -t cimle/trainer-service:0.1.0 trainer-service
# (the build context is the module directory: it copies target/quarkus-app/ as Quarkus' Dockerfile.jvm does).
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23

ENV LANGUAGE='en_US:en'

# Quarkus fast-jar layout, one layer per rate of change (dependencies change least).
COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 target/quarkus-app/*.jar /deployments/
COPY --chown=185 target/quarkus-app/app/ /deployments/app/
COPY --chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/

EXPOSE 8081
USER 185

# libtorch/oneDNN returns NaN from AVX-512 convolutions on some CPUs; libtorch ships inside the jar
# (no download at run time); DJL extracts it to DJL_CACHE_DIR (an emptyDir under a read-only root).
# libtorch's OpenMP threads sleep when idle instead of spinning: beside other busy processes a
# spinning team ran 20x slower (README, "Reproducible training").
ENV ONEDNN_MAX_CPU_ISA=AVX2 \
    OMP_WAIT_POLICY=PASSIVE \
    DJL_CACHE_DIR=/var/cache/djl \
    JAVA_OPTS_APPEND="-Dai.djl.offline=true -Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager" \
    JAVA_APP_JAR="/deployments/quarkus-run.jar"

ENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]
