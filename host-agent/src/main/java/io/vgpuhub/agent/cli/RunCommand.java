package io.vgpuhub.agent.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.vgpuhub.agent.AgentSettings;
import io.vgpuhub.agent.HostAgent;

/** {@code run}: the daemon. Runs until the process is stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the agent until stopped.")
final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "<url>", description = "vGPU Hub server base URL.")
    URI server;

    @Option(names = "--token", paramLabel = "<token>", description = "Host token (default: $VGPUHUB_AGENT_TOKEN).")
    String token;

    @Option(names = "--state-dir", paramLabel = "<dir>", defaultValue = "/var/lib/vgpuhub-agent",
            description = "Slice records and, simulated, the simulated host (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--simulate", arity = "0..1", fallbackValue = "", paramLabel = "<host file>",
            description = "Simulate the GPUs described in the host file (default: the bundled demo host).")
    String simulate;

    @Option(names = "--sample-interval", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Usage sample interval, e.g. 5s.")
    Duration sampleInterval;

    @Option(names = "--heartbeat-interval", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Time between heartbeats to the server, e.g. 30s (default: 30s).")
    Duration heartbeatInterval;

    @Option(names = "--readiness-interval", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long a readiness reading (doctor) stands while the GPUs do not change, e.g. 5m (default: 5m).")
    Duration readinessInterval;

    @Option(names = "--metrics-address", paramLabel = "<address>", defaultValue = AgentSettings.DEFAULT_METRICS_ADDRESS,
            description = "Address the /metrics and /health endpoint listens on (default: ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Option(names = "--metrics-port", paramLabel = "<port>", defaultValue = "" + AgentSettings.DEFAULT_METRICS_PORT,
            description = "Port of the /metrics and /health endpoint, 0 for none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Override
    public Integer call() throws InterruptedException {
        String hostToken = token != null ? token : System.getenv("VGPUHUB_AGENT_TOKEN");
        if (hostToken == null || hostToken.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing --token (or VGPUHUB_AGENT_TOKEN)");
        }
        AgentSettings settings = simulate != null
                ? AgentSettings.simulated(server, hostToken, stateDir, SimulatedHostFiles.resolve(simulate, stateDir))
                : AgentSettings.real(server, hostToken, stateDir);
        if (sampleInterval != null) {
            settings = settings.withSampleInterval(sampleInterval);
        }
        if (heartbeatInterval != null) {
            settings = settings.withHeartbeatInterval(heartbeatInterval);
        }
        if (readinessInterval != null) {
            settings = settings.withReadinessInterval(readinessInterval);
        }
        settings = settings.withMetrics(metricsAddress, metricsPort);
        HostAgent agent = HostAgent.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "vgpuhub-agent-shutdown"));
        stopped.await();
        return CommandLine.ExitCode.OK;
    }
}
