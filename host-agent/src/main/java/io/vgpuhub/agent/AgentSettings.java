package io.vgpuhub.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.sim.SimulatedHost;

/**
 * The agent's settings, validated on construction.
 *
 * @param serverUrl base URL of the vGPU Hub server, e.g. {@code http://localhost:8080}
 * @param token the host's bearer token for {@code /api/agent/v1}
 * @param stateDir where the agent keeps its slice records (and, simulated, the simulated sysfs tree)
 * @param sysfsRoot {@code /sys} on a real host
 * @param nvmlLibrary {@code nvidia-ml} on a real host, {@code vgpusim} simulated
 * @param simulatedHostFile the simulated host's description; null on a real host
 * @param sampleInterval time between usage samples
 * @param pollWait how long the server may hold a desired-state long-poll
 * @param heartbeatInterval time between heartbeats, sent whatever the long-poll is doing
 * @param metricsAddress the address the metrics and health endpoint listens on
 * @param metricsPort its port; 0 = no endpoint
 * @param readinessInterval how long a readiness reading ({@code doctor}) stands while the scanned GPUs do not change
 */
public record AgentSettings(URI serverUrl, String token, Path stateDir, Path sysfsRoot, String nvmlLibrary,
        Path simulatedHostFile, Duration sampleInterval, Duration pollWait, Duration heartbeatInterval,
        String metricsAddress, int metricsPort, Duration readinessInterval) {

    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    /** Local only: the endpoint has no authentication, and Prometheus usually scrapes through a node-local path. */
    public static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1";
    /** The port the {@code run} command serves metrics on unless told otherwise (9464, the port of OpenTelemetry's Prometheus exporter). */
    public static final int DEFAULT_METRICS_PORT = 9464;
    /** The readiness checks re-read much of the host: every 5 minutes, or when the scanned GPUs change. */
    public static final Duration DEFAULT_READINESS_INTERVAL = Duration.ofMinutes(5);

    public AgentSettings {
        Objects.requireNonNull(serverUrl, "serverUrl");
        if (!serverUrl.isAbsolute() || !("http".equals(serverUrl.getScheme()) || "https".equals(serverUrl.getScheme()))
                || serverUrl.getHost() == null) {
            throw new IllegalArgumentException("serverUrl must be an absolute http(s) URL: " + serverUrl);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        if (nvmlLibrary == null || nvmlLibrary.isBlank()) {
            throw new IllegalArgumentException("nvmlLibrary must not be blank");
        }
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        if (sampleInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("sampleInterval must be at least 100ms: " + sampleInterval);
        }
        Objects.requireNonNull(pollWait, "pollWait");
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("pollWait must be between 0 and 5 minutes: " + pollWait);
        }
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.compareTo(Duration.ofMillis(100)) < 0 || heartbeatInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("heartbeatInterval must be between 100ms and 1 hour: " + heartbeatInterval);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("metricsPort must be between 0 (off) and 65535: " + metricsPort);
        }
        if (metricsAddress == null || metricsAddress.isBlank()) {
            throw new IllegalArgumentException("metricsAddress must not be blank");
        }
        Objects.requireNonNull(readinessInterval, "readinessInterval");
        if (readinessInterval.isNegative() || readinessInterval.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("readinessInterval must be between 0 and 24 hours: " + readinessInterval);
        }
    }

    /** A real GPU host: /sys, libnvidia-ml.so.1, samples every 10 s; no metrics endpoint ({@link #withMetrics}). */
    public static AgentSettings real(URI serverUrl, String token, Path stateDir) {
        return new AgentSettings(serverUrl, token, stateDir, Path.of("/sys"), Nvml.REAL_LIBRARY, null,
                Duration.ofSeconds(10), Duration.ofSeconds(20), DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_METRICS_ADDRESS, 0,
                DEFAULT_READINESS_INTERVAL);
    }

    /**
     * A simulated GPU host described by {@code hostFile}: boots the native simulator now and builds (or reuses) its sysfs
     * tree under {@code <stateDir>/sim/sys}. One simulated host per process. No metrics endpoint ({@link #withMetrics}).
     */
    public static AgentSettings simulated(URI serverUrl, String token, Path stateDir, Path hostFile) {
        Objects.requireNonNull(hostFile, "hostFile");
        Path sysfsRoot = stateDir.toAbsolutePath().resolve("sim").resolve("sys");
        AgentSettings settings = new AgentSettings(serverUrl, token, stateDir, sysfsRoot, Nvml.SIMULATED_LIBRARY, hostFile,
                Duration.ofSeconds(5), Duration.ofSeconds(20), DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_METRICS_ADDRESS, 0,
                DEFAULT_READINESS_INTERVAL);
        SimulatedHost.boot(hostFile, sysfsRoot);
        return settings;
    }

    public AgentSettings withSampleInterval(Duration interval) {
        return new AgentSettings(serverUrl, token, stateDir, sysfsRoot, nvmlLibrary, simulatedHostFile, interval, pollWait,
                heartbeatInterval, metricsAddress, metricsPort, readinessInterval);
    }

    public AgentSettings withPollWait(Duration wait) {
        return new AgentSettings(serverUrl, token, stateDir, sysfsRoot, nvmlLibrary, simulatedHostFile, sampleInterval, wait,
                heartbeatInterval, metricsAddress, metricsPort, readinessInterval);
    }

    public AgentSettings withHeartbeatInterval(Duration interval) {
        return new AgentSettings(serverUrl, token, stateDir, sysfsRoot, nvmlLibrary, simulatedHostFile, sampleInterval, pollWait,
                interval, metricsAddress, metricsPort, readinessInterval);
    }

    public AgentSettings withReadinessInterval(Duration interval) {
        return new AgentSettings(serverUrl, token, stateDir, sysfsRoot, nvmlLibrary, simulatedHostFile, sampleInterval, pollWait,
                heartbeatInterval, metricsAddress, metricsPort, interval);
    }

    /** Serves {@code /metrics} and {@code /health} on {@code address:port}; port 0 turns the endpoint off. */
    public AgentSettings withMetrics(String address, int port) {
        return new AgentSettings(serverUrl, token, stateDir, sysfsRoot, nvmlLibrary, simulatedHostFile, sampleInterval, pollWait,
                heartbeatInterval, address, port, readinessInterval);
    }

    public boolean metricsEnabled() {
        return metricsPort != 0;
    }

    public boolean isSimulated() {
        return simulatedHostFile != null;
    }

    /** Where open/write/close for kernel attribute files come from: the simulated kernel or the real libc. */
    String kernelLibrary() {
        return isSimulated() ? "vgpusim" : "c";
    }

    @Override
    public String toString() {
        return "AgentSettings[serverUrl=" + serverUrl + ", token=****, stateDir=" + stateDir + ", sysfsRoot=" + sysfsRoot
                + ", nvmlLibrary=" + nvmlLibrary + ", simulatedHostFile=" + simulatedHostFile + ", sampleInterval="
                + sampleInterval + ", pollWait=" + pollWait + ", heartbeatInterval=" + heartbeatInterval + ", metrics="
                + (metricsEnabled() ? metricsAddress + ":" + metricsPort : "off") + ", readinessInterval=" + readinessInterval
                + "]";
    }
}
