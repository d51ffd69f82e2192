# The native container in one command, for anyone with Docker (no GraalVM, Java or Maven needed on the host):
#   docker build -t pg-replication-monitor:native .
#   docker run -p 8080:8080 -v $PWD/config.yaml:/config/config.yaml:ro pg-replication-monitor:native --config /config/config.yaml
# Stage 1 compiles the native binary in the Quarkus Mandrel builder image (several minutes and about 6 GB of memory);
# stage 2 is src/main/docker/Dockerfile.native-micro's image around it.
FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21 AS build
USER root
# WORKDIR would create it owned by root: the build runs as the image's own user, who must write target/ there.
RUN mkdir /code && chown quarkus:quarkus /code
WORKDIR /code
COPY --chown=quarkus:quarkus mvnw pom.xml ./
COPY --chown=quarkus:quarkus .mvn .mvn
USER quarkus
RUN ./mvnw -B -q dependency:go-offline
COPY --chown=quarkus:quarkus src src
COPY --chown=quarkus:quarkus config config
RUN ./mvnw -B package -Dnative -DskipTests

FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0
WORKDIR /work/
RUN chown 1001 /work && chmod "g+rwX" /work && chown 1001:root /work
COPY --from=build --chown=1001:root --chmod=0755 /code/target/*-runner /work/application
EXPOSE 8080
USER 1001
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD ["/work/application", "--check-health", "http://127.0.0.1:8080/q/health/live"]
ENTRYPOINT ["./application", "-Dquarkus.http.host=0.0.0.0"]
