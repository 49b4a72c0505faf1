package io.vgpuhub.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.metrics.AgentMetrics;
import io.vgpuhub.agent.metrics.MetricsEndpoint;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.reconcile.GpuDevices;
import io.vgpuhub.agent.reconcile.MigReconciler;
import io.vgpuhub.agent.reconcile.MigStore;
import io.vgpuhub.agent.reconcile.PassthroughReconciler;
import io.vgpuhub.agent.reconcile.PassthroughStore;
import io.vgpuhub.agent.reconcile.Reconciler;
import io.vgpuhub.agent.reconcile.Restorer;
import io.vgpuhub.agent.reconcile.SliceStore;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.Inventory;
import io.vgpuhub.agent.server.Observation;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.server.ServerException;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.usage.UsageSampler;
import io.vgpuhub.agent.usage.UsageSpool;
import io.vgpuhub.agent.usage.UsageUploader;

/**
 * The running agent: uploads the inventory, long-polls desired state and reconciles it (VGPU, MIG and PASSTHROUGH
 * slices, and each GPU's MIG mode), sends a heartbeat every {@link AgentSettings#heartbeatInterval()} whatever the
 * long-poll is doing, samples usage into the durable spool under {@code <stateDir>/spool} and uploads it, on daemon
 * threads. Server outages are retried with backoff and never stop the agent. With a metrics port it serves
 * {@code /metrics} and {@code /health} ({@link MetricsEndpoint}) from start to {@link #close()}, which stops it all.
 */
public final class HostAgent implements AutoCloseable {

    public static final String VERSION = "0.1.0";

    private static final Logger log = LoggerFactory.getLogger(HostAgent.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AgentSettings settings;
    private final Nvml nvml;
    private final ServerClient server;
    private final InventoryScanner inventory;
    private final Reconciler reconciler;
    private final Thread control;
    private final ScheduledExecutorService sampling;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean heartbeatFailing;
    private final UsageSpool spool;
    private final UsageUploader uploader;
    private final Thread uploading;
    private final AgentMetrics metrics;
    private MetricsEndpoint endpoint;
    private volatile boolean running = true;
    private volatile long generation = -1;

    private HostAgent(AgentSettings settings) {
        this.settings = settings;
        try {
            Files.createDirectories(settings.stateDir());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + settings.stateDir(), e);
        }
        this.nvml = Nvml.load(settings.nvmlLibrary());
        Sysfs sysfs = new Sysfs(settings.sysfsRoot(), KernelFiles.load(settings.kernelLibrary()));
        this.server = new ServerClient(settings.serverUrl(), settings.token(), this::observed);
        PassthroughStore passthroughStore = new PassthroughStore(settings.stateDir());
        this.inventory = new InventoryScanner(nvml, sysfs, passthroughStore, settings.readinessInterval());
        Optional<Path> sriovManage = settings.isSimulated() ? Optional.empty() : Restorer.installedSriovManage();
        this.reconciler = new Reconciler(sysfs, new SliceStore(settings.stateDir()), server,
                new MigReconciler(nvml.mig(), new MigStore(settings.stateDir()), server),
                new PassthroughReconciler(sysfs, passthroughStore, server, nvml, new GpuDevices(sysfs, nvml.mig()), sriovManage));
        this.spool = UsageSpool.open(settings.stateDir().resolve("spool"));
        UsageSampler sampler = new UsageSampler(nvml, reconciler::readySlices, Clock.systemUTC(), spool);
        this.uploader = new UsageUploader(spool, server, settings.sampleInterval());
        this.metrics = new AgentMetrics(nvml, spool::pendingSamples, uploader::lastSuccessfulUpload,
                AgentMetrics.downAfter(settings.pollWait()), Clock.systemUTC());
        this.uploading = new Thread(uploader, "vgpuhub-agent-usage-upload");
        this.uploading.setDaemon(true);
        this.control = new Thread(this::controlLoop, "vgpuhub-agent-control");
        this.control.setDaemon(true);
        this.sampling = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vgpuhub-agent-usage");
            t.setDaemon(true);
            return t;
        });
        long interval = settings.sampleInterval().toMillis();
        this.sampling.scheduleWithFixedDelay(() -> guarded("usage sampling", sampler::sampleOnce), interval, interval,
                TimeUnit.MILLISECONDS);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vgpuhub-agent-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the agent's threads and its metrics endpoint and returns at once.
     *
     * @throws IllegalStateException naming the port when the metrics endpoint cannot listen; nothing is left running
     */
    public static HostAgent start(AgentSettings settings) {
        HostAgent agent = new HostAgent(settings);
        log.info("host agent {} starting: {}", VERSION, settings);
        if (settings.metricsEnabled()) {
            try {
                agent.endpoint = MetricsEndpoint.start(settings.metricsAddress(), settings.metricsPort(), agent.metrics);
            }
            catch (RuntimeException e) {
                agent.close();
                throw e;
            }
        }
        agent.control.start();
        agent.uploading.start();
        agent.heartbeats.scheduleAtFixedRate(agent::heartbeat, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        return agent;
    }

    /** The last desired-state generation the agent reconciled, or -1 before the first. */
    public long generation() {
        return generation;
    }

    public AgentSettings settings() {
        return settings;
    }

    /** Where {@code /metrics} and {@code /health} are served ({@code address:port}); empty when the port is 0. */
    public Optional<String> metricsEndpoint() {
        return Optional.ofNullable(endpoint).map(MetricsEndpoint::address);
    }

    private void controlLoop() {
        guarded("restoring recorded slices", reconciler::restoreRecorded);
        Duration backoff = Duration.ofSeconds(1);
        Inventory uploaded = null;
        while (running) {
            try {
                // Re-read every round: MIG modes change, and devices someone else created must reach the operator.
                Inventory current = inventory.scan(reconciler.foreignDevices());
                if (!current.equals(uploaded)) {
                    server.putInventory(current);
                    uploaded = current;
                    log.info("inventory uploaded ({} GPUs, {} foreign devices)", current.gpus().size(),
                            current.foreignDevices().size());
                }
                DesiredState desired = server.desiredState(generation, settings.pollWait());
                metrics.serverAnswered();
                metrics.reconcile(() -> reconciler.reconcile(desired));
                generation = desired.generation();
                backoff = Duration.ofSeconds(1);
            }
            catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (e instanceof ServerException) {
                    metrics.serverUnreachable(e.getMessage());
                }
                log.warn("{}; retrying in {} s", e.getMessage(), backoff.toSeconds());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** One heartbeat; a failing server is logged once until it answers again, so a long outage does not flood the log. */
    private void heartbeat() {
        try {
            server.heartbeat(VERSION);
            metrics.serverAnswered();
            if (heartbeatFailing) {
                heartbeatFailing = false;
                log.info("heartbeats are answered again");
            }
        }
        catch (RuntimeException e) {
            metrics.serverUnreachable(e.getMessage());
            if (!heartbeatFailing) {
                heartbeatFailing = true;
                log.warn("heartbeat failed: {}; retrying every {} ms", e.getMessage(), settings.heartbeatInterval().toMillis());
            }
        }
    }

    /** Each observation the server accepted; the reporters send one only when it changed, so a failure counts once. */
    private void observed(Observation observation) {
        if (observation.isFailed()) {
            metrics.sliceFailed();
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return running;
        }
        catch (InterruptedException e) {
            return false;
        }
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        }
        catch (RuntimeException e) {
            log.warn("{} failed: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        if (endpoint != null) {
            endpoint.close();
        }
        control.interrupt();
        heartbeats.shutdownNow();
        sampling.shutdownNow();
        uploader.stop();
        uploading.interrupt();
        try {
            control.join(5_000);
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
            sampling.awaitTermination(5, TimeUnit.SECONDS);
            uploading.join(5_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
        nvml.close();
        log.info("host agent stopped");
    }
}
