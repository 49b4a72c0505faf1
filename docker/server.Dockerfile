# syntax=docker/dockerfile:1
#
# vGPU Hub server (the `web` module). Build from the repository root:
#   docker build -f docker/server.Dockerfile -t vgpuhub-server .
# or simply `docker compose up --build`.

# ---- build: the whole reactor (web needs db and metering; its tests need host-agent, whose native
# simulator library is compiled with gcc during the build, so the build stage needs a C toolchain).
FROM eclipse-temurin:17-jdk AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache mount keeps Maven (downloaded by the wrapper) and the dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 \
    sh ./mvnw -B -ntp -DskipTests -pl web -am package \
 && cp web/target/vgpuhub-server.jar /vgpuhub-server.jar

# ---- runtime: a JRE, curl for the health check, and an unprivileged user.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/vgpuhub --create-home --shell /usr/sbin/nologin vgpuhub
COPY --from=build /vgpuhub-server.jar /opt/vgpuhub/vgpuhub-server.jar
USER vgpuhub
# Without SPRING_DATASOURCE_URL the server runs an embedded PostgreSQL under VGPUHUB_DATA_DIR.
WORKDIR /var/lib/vgpuhub
ENV VGPUHUB_DATA_DIR=/var/lib/vgpuhub/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=5 \
    CMD curl -fsS http://localhost:${PORT:-8080}/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/vgpuhub/vgpuhub-server.jar"]
