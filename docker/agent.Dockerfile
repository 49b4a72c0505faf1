# syntax=docker/dockerfile:1
#
# vGPU Hub host agent (the `host-agent` module), here for the simulated demo host. Build from the
# repository root:
#   docker build -f docker/agent.Dockerfile -t vgpuhub-agent .
# or simply `docker compose up --build`.

# ---- build: the agent's jar carries a native simulator library (src/main/c) compiled with gcc.
FROM eclipse-temurin:17-jdk AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    sh ./mvnw -B -ntp -DskipTests -pl host-agent -am package \
 && cp host-agent/target/vgpuhub-host-agent-*-exec.jar /vgpuhub-host-agent.jar

# ---- runtime: a glibc-based JRE (the simulator library links against glibc) and an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/vgpuhub-agent --create-home --shell /usr/sbin/nologin vgpuhub
COPY --from=build /vgpuhub-host-agent.jar /opt/vgpuhub/vgpuhub-host-agent.jar
USER vgpuhub
# Slice records (and the simulated host) live here; mount a volume so they survive a restart.
VOLUME /var/lib/vgpuhub-agent
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# The host token comes from VGPUHUB_AGENT_TOKEN.
ENTRYPOINT ["java", "-jar", "/opt/vgpuhub/vgpuhub-host-agent.jar"]
CMD ["run", "--server", "http://server:8080", "--state-dir", "/var/lib/vgpuhub-agent", "--simulate"]
