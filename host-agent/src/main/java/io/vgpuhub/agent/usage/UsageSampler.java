package io.vgpuhub.agent.usage;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.reconcile.ReadySlice;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.server.ServerException;
import io.vgpuhub.agent.server.UsageBatch;

/**
 * Samples every READY slice and uploads the samples as one batch per tick. A batch that failed to upload is sent again,
 * with the same batchId, before any newer one, so the server can count re-sent batches once.
 *
 * <p>What a sample holds today: {@code gpuUtilizationPercent} is the utilization of the slice's <em>physical</em> GPU
 * (nvmlDeviceGetUtilizationRates), and {@code memoryUsedMib} is the framebuffer allocated to the vGPU by its type.
 * Per-vGPU figures (nvmlDeviceGetVgpuUtilization, nvmlVgpuInstanceGetFbUsage) replace both in a later version.
 */
public final class UsageSampler {

    private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);
    private static final int MAX_PENDING_BATCHES = 720;

    private final Nvml nvml;
    private final ServerClient server;
    private final Supplier<List<ReadySlice>> readySlices;
    private final Clock clock;
    private final List<UsageBatch> pending = new ArrayList<>();

    public UsageSampler(Nvml nvml, ServerClient server, Supplier<List<ReadySlice>> readySlices, Clock clock) {
        this.nvml = nvml;
        this.server = server;
        this.readySlices = readySlices;
        this.clock = clock;
    }

    /** One tick: sample, then upload every pending batch in order; stops at the first failed upload. */
    public synchronized void sampleAndUpload() {
        UsageBatch batch = sample();
        if (!batch.samples().isEmpty()) {
            pending.add(batch);
            if (pending.size() > MAX_PENDING_BATCHES) {
                UsageBatch dropped = pending.remove(0);
                log.warn("server unreachable for too long; dropped usage batch {}", dropped.batchId());
            }
        }
        while (!pending.isEmpty()) {
            UsageBatch next = pending.get(0);
            try {
                server.uploadUsage(next);
            }
            catch (ServerException e) {
                if (!e.retryable()) {
                    log.warn("server refused usage batch {}, dropping it: {}", next.batchId(), e.getMessage());
                    pending.remove(0);
                    continue;
                }
                log.info("usage upload failed, will retry batch {}: {}", next.batchId(), e.getMessage());
                return;
            }
            pending.remove(0);
        }
    }

    synchronized int pendingBatches() {
        return pending.size();
    }

    UsageBatch sample() {
        String sampledAt = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Integer> gpuUtilization = new HashMap<>();
        List<UsageBatch.Sample> samples = new ArrayList<>();
        for (ReadySlice slice : readySlices.get()) {
            Integer percent = gpuUtilization.computeIfAbsent(slice.gpuPciAddress(), this::utilizationOrNull);
            if (percent != null) {
                samples.add(new UsageBatch.Sample(slice.sliceId().toString(), sampledAt, percent, slice.framebufferMib()));
            }
        }
        return new UsageBatch(UUID.randomUUID().toString(), List.copyOf(samples));
    }

    private Integer utilizationOrNull(String pciAddress) {
        try {
            return nvml.utilization(pciAddress).gpuPercent();
        }
        catch (NvmlException e) {
            log.warn("cannot sample GPU {}: {}", pciAddress, e.getMessage());
            return null;
        }
    }
}
