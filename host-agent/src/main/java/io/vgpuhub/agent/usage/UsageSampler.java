package io.vgpuhub.agent.usage;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.reconcile.ReadySlice;
import io.vgpuhub.agent.server.UsageBatch;

/**
 * Samples every READY slice and appends the samples to the {@link UsageSpool}; {@link UsageUploader} sends them. A
 * sample is taken once the spool has fsync'd it.
 *
 * <p>What a sample holds today: {@code gpuUtilizationPercent} is the utilization of the slice's <em>physical</em> GPU
 * (nvmlDeviceGetUtilizationRates), and {@code memoryUsedMib} is the framebuffer allocated to the vGPU by its type.
 * Per-vGPU figures (nvmlDeviceGetVgpuUtilization, nvmlVgpuInstanceGetFbUsage) replace both in a later version.
 */
public final class UsageSampler {

    private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

    private final Nvml nvml;
    private final Supplier<List<ReadySlice>> readySlices;
    private final Clock clock;
    private final UsageSpool spool;

    public UsageSampler(Nvml nvml, Supplier<List<ReadySlice>> readySlices, Clock clock, UsageSpool spool) {
        this.nvml = nvml;
        this.readySlices = readySlices;
        this.clock = clock;
        this.spool = spool;
    }

    /** One tick: samples every READY slice and spools the samples durably. */
    public void sampleOnce() {
        List<UsageBatch.Sample> samples = sample();
        spool.append(samples);
        if (!samples.isEmpty()) {
            log.debug("spooled {} usage samples", samples.size());
        }
    }

    List<UsageBatch.Sample> sample() {
        String sampledAt = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Integer> gpuUtilization = new HashMap<>();
        List<UsageBatch.Sample> samples = new ArrayList<>();
        for (ReadySlice slice : readySlices.get()) {
            Integer percent = gpuUtilization.computeIfAbsent(slice.gpuPciAddress(), this::utilizationOrNull);
            if (percent != null) {
                samples.add(new UsageBatch.Sample(slice.sliceId().toString(), sampledAt, percent, slice.framebufferMib()));
            }
        }
        return List.copyOf(samples);
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
