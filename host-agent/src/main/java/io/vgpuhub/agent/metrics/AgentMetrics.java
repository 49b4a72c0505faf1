package io.vgpuhub.agent.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import io.vgpuhub.agent.nvml.Nvml;

/**
 * The agent's own metrics and the state its health is judged on. Reconcile passes and slice failures are recorded as
 * they happen; spool depth, the last upload and GPU utilization are read from their owners at scrape time, so a
 * scrape never shows a value older than the thing it describes.
 *
 * <p>{@code vgpuhub_agent_reconcile_errors_total} counts two causes: {@code cause="pass"} each reconcile pass that threw
 * (the host could not be brought to the desired state, or an observation could not be reported, and the pass is
 * retried), {@code cause="slice"} each FAILED observation the server accepted: a slice that fails once counts once,
 * not again on every pass while it stays failed (the agent reports an observation only when it changes), and a new
 * failure reason counts again.
 */
public final class AgentMetrics {

    /** Reconcile passes take milliseconds when nothing changes and tens of seconds when MIG modes switch. */
    static final double[] RECONCILE_BUCKETS = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120 };

    /** The shortest time without a successful pass that makes the agent DOWN, whatever the poll wait. */
    static final Duration MIN_DOWN_AFTER = Duration.ofSeconds(5);

    public enum Outcome { OK, FAILED }

    /** The last reconcile pass: when it ended, how, and why it failed (null when OK). */
    public record Pass(Instant at, Outcome outcome, String error) {
    }

    /** The last answer (or missing answer) of the server to any call the agent made. */
    public record ServerContact(Instant at, boolean reachable, String error) {
    }

    private final Clock clock;
    private final Duration downAfter;
    private final Instant startedAt;
    private final LongSupplier spoolSamples;
    private final Supplier<Optional<Instant>> lastUpload;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram reconcileSeconds;
    private final Counter reconcileErrors;
    private volatile Pass lastPass;
    private volatile Instant lastSuccessfulPass;
    private volatile ServerContact server;

    /**
     * @param spoolSamples samples in the spool not yet accepted by the server
     * @param lastUpload when the server last accepted a usage batch, empty before the first since the agent started
     * @param downAfter how long without a successful reconcile pass makes the agent DOWN ({@link #downAfter(Duration)})
     */
    public AgentMetrics(Nvml nvml, LongSupplier spoolSamples, Supplier<Optional<Instant>> lastUpload, Duration downAfter,
            Clock clock) {
        this(new GpuUtilization(nvml)::read, spoolSamples, lastUpload, downAfter, clock);
    }

    /** @param gpuUtilization each GPU's utilization (0..1) by PCI address, read at every scrape */
    AgentMetrics(Supplier<Map<String, Double>> gpuUtilization, LongSupplier spoolSamples,
            Supplier<Optional<Instant>> lastUpload, Duration downAfter, Clock clock) {
        this.clock = clock;
        this.downAfter = downAfter;
        this.startedAt = clock.instant();
        this.spoolSamples = spoolSamples;
        this.lastUpload = lastUpload;
        this.reconcileSeconds = Histogram.builder()
                .name("vgpuhub_agent_reconcile_seconds")
                .help("Duration of the agent's reconcile passes (making the host match the desired state), failed ones included")
                .classicOnly()
                .classicUpperBounds(RECONCILE_BUCKETS)
                .register(registry);
        this.reconcileErrors = Counter.builder()
                .name("vgpuhub_agent_reconcile_errors_total")
                .help("Reconcile errors: cause=pass a pass that threw, cause=slice a slice reported FAILED")
                .labelNames("cause")
                .register(registry);
        reconcileErrors.initLabelValues("pass");
        reconcileErrors.initLabelValues("slice");
        GaugeWithCallback.builder()
                .name("vgpuhub_agent_spool_samples")
                .help("Usage samples in the agent's durable spool that the server has not accepted yet")
                .callback(callback -> callback.call(spoolSamples.getAsLong()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vgpuhub_agent_last_upload_timestamp_seconds")
                .help("When the server last accepted a usage batch (Unix time); absent before the first since the agent started")
                .callback(callback -> lastUpload.get().ifPresent(at -> callback.call(at.toEpochMilli() / 1000.0)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vgpuhub_agent_gpu_utilization_ratio")
                .help("Each GPU's utilization (0..1) as NVML reports it; no series for a GPU NVML does not list or cannot measure")
                .labelNames("gpu")
                .callback(callback -> {
                    for (Map.Entry<String, Double> gpu : gpuUtilization.get().entrySet()) {
                        callback.call(gpu.getValue(), gpu.getKey());
                    }
                })
                .register(registry);
    }

    /**
     * How long without a successful reconcile pass makes the agent DOWN: three poll waits, at least
     * {@link #MIN_DOWN_AFTER}. A healthy agent passes at least once per poll wait (the long-poll answers by then even
     * when nothing changed, and every answer is reconciled), so three missed in a row means the server has been
     * unreachable or the host has refused the desired state for a while, beyond a single slow pass or lost poll.
     */
    public static Duration downAfter(Duration pollWait) {
        Duration three = pollWait.multipliedBy(3);
        return three.compareTo(MIN_DOWN_AFTER) < 0 ? MIN_DOWN_AFTER : three;
    }

    /** Runs one reconcile pass, timing it and recording its outcome; what it throws is counted and rethrown. */
    public void reconcile(Runnable pass) {
        long start = System.nanoTime();
        try {
            pass.run();
        }
        catch (RuntimeException e) {
            reconcileSeconds.observe((System.nanoTime() - start) / 1e9);
            reconcileErrors.labelValues("pass").inc();
            lastPass = new Pass(clock.instant(), Outcome.FAILED, e.getMessage() != null ? e.getMessage() : e.toString());
            throw e;
        }
        reconcileSeconds.observe((System.nanoTime() - start) / 1e9);
        Instant now = clock.instant();
        lastPass = new Pass(now, Outcome.OK, null);
        lastSuccessfulPass = now;
    }

    /** A FAILED observation of a slice reached the server. */
    public void sliceFailed() {
        reconcileErrors.labelValues("slice").inc();
    }

    public void serverAnswered() {
        server = new ServerContact(clock.instant(), true, null);
    }

    public void serverUnreachable(String error) {
        server = new ServerContact(clock.instant(), false, error);
    }

    /** The agent's health now: DOWN when no reconcile pass succeeded within {@code downAfter} (or since the start). */
    public Health health() {
        Instant now = clock.instant();
        Instant since = lastSuccessfulPass != null ? lastSuccessfulPass : startedAt;
        boolean down = Duration.between(since, now).compareTo(downAfter) > 0;
        String reason = down ? downReason(since) : null;
        return new Health(!down, reason, now, lastPass, lastSuccessfulPass, lastUpload.get().orElse(null),
                spoolSamples.getAsLong(), server);
    }

    private String downReason(Instant since) {
        StringBuilder reason = new StringBuilder(lastSuccessfulPass == null
                ? "no reconcile pass has succeeded since the agent started at " + since
                : "no reconcile pass has succeeded since " + since);
        reason.append(" (DOWN after ").append(downAfter.toSeconds()).append(" s)");
        Pass pass = lastPass;
        ServerContact contact = server;
        if (pass != null && pass.outcome() == Outcome.FAILED) {
            reason.append("; the last pass failed: ").append(pass.error());
        }
        else if (contact != null && !contact.reachable()) {
            reason.append("; the server is unreachable: ").append(contact.error());
        }
        return reason.toString();
    }

    PrometheusRegistry registry() {
        return registry;
    }

    /**
     * What {@code GET /health} answers.
     *
     * @param lastPass null before the first pass ended
     * @param server null before the first call to the server ended
     */
    public record Health(boolean up, String reason, Instant checkedAt, Pass lastPass, Instant lastSuccessfulPassAt,
            Instant lastSuccessfulUploadAt, long spoolSamples, ServerContact server) {
    }
}
