package io.vgpuhub.agent.usage;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.VgpuInstance;
import io.vgpuhub.agent.nvml.VgpuUtilization;
import io.vgpuhub.agent.nvml.Vgpus;
import io.vgpuhub.agent.reconcile.ReadySlice;
import io.vgpuhub.agent.server.UsageBatch;

/**
 * Samples every READY slice and appends the samples to the {@link UsageSpool}; {@link UsageUploader} sends them. A
 * sample is taken once the spool has fsync'd it.
 *
 * <p>What a sample holds: the slice's own vGPU, found among its GPU's active vGPUs by mdev UUID, gives
 * {@code gpuUtilizationPercent} (its SM utilization from nvmlDeviceGetVgpuUtilization, 0 while NVML holds no sample
 * for it, as for a vGPU whose VM runs nothing) and {@code memoryUsedMib} (framebuffer in use, nvmlVgpuInstanceGetFbUsage).
 * Only when NVML has no vGPU for the slice's mdev (or cannot answer vGPU queries for its GPU) does the sample fall back
 * to the utilization of the physical GPU and the framebuffer the type allocates; that is logged once per slice.
 *
 * {@code licenseState} is the guest's license state (nvmlVgpuInstanceGetLicenseInfo_v2); the fallback leaves it null.
 */
public final class UsageSampler {

    private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

    private final Nvml nvml;
    private final Vgpus vgpus;
    private final Supplier<List<ReadySlice>> readySlices;
    private final Clock clock;
    private final UsageSpool spool;
    private final Set<UUID> fallbackLogged = new HashSet<>();

    public UsageSampler(Nvml nvml, Supplier<List<ReadySlice>> readySlices, Clock clock, UsageSpool spool) {
        this.nvml = nvml;
        this.vgpus = nvml.vgpus();
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

    synchronized List<UsageBatch.Sample> sample() {
        String sampledAt = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
        Map<String, GpuFigures> gpus = new HashMap<>();
        List<ReadySlice> slices = readySlices.get();
        List<UsageBatch.Sample> samples = new ArrayList<>();
        for (ReadySlice slice : slices) {
            GpuFigures gpu = gpus.computeIfAbsent(slice.gpuPciAddress(), this::vgpuFigures);
            VgpuInstance vgpu = slice.mdevUuid() == null ? null : gpu.vgpus.get(slice.mdevUuid());
            if (vgpu != null) {
                VgpuUtilization utilization = gpu.utilization.get(vgpu.mdevUuid());
                int percent = utilization == null ? 0 : Math.min(100, Math.max(0, utilization.smPercent()));
                samples.add(new UsageBatch.Sample(slice.sliceId().toString(), sampledAt, percent, vgpu.framebufferUsedMib(),
                        vgpu.licenseState().name()));
                fallbackLogged.remove(slice.sliceId());
                continue;
            }
            if (fallbackLogged.add(slice.sliceId())) {
                log.info("NVML has no vGPU for slice {} (mdev {} on {}): sampling its physical GPU's utilization and its type's "
                        + "framebuffer instead", slice.sliceId(), slice.mdevUuid(), slice.gpuPciAddress());
            }
            Integer percent = gpu.parentUtilization();
            if (percent != null) {
                samples.add(new UsageBatch.Sample(slice.sliceId().toString(), sampledAt, percent, slice.framebufferMib(), null));
            }
        }
        fallbackLogged.retainAll(slices.stream().map(ReadySlice::sliceId).collect(Collectors.toSet()));
        return List.copyOf(samples);
    }

    private GpuFigures vgpuFigures(String pciAddress) {
        Map<UUID, VgpuInstance> byMdev = new HashMap<>();
        Map<UUID, VgpuUtilization> utilization = Map.of();
        try {
            for (VgpuInstance vgpu : vgpus.activeVgpus(pciAddress)) {
                byMdev.put(vgpu.mdevUuid(), vgpu);
            }
            utilization = vgpus.vgpuUtilization(pciAddress);
        }
        catch (NvmlException e) {
            log.debug("no vGPU figures for GPU {}: {}", pciAddress, e.getMessage());
        }
        return new GpuFigures(pciAddress, byMdev, utilization);
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

    /** One tick's NVML figures of one physical GPU; the GPU's own utilization is read only if a slice falls back to it. */
    private final class GpuFigures {
        private final String pciAddress;
        private final Map<UUID, VgpuInstance> vgpus;
        private final Map<UUID, VgpuUtilization> utilization;
        private boolean parentRead;
        private Integer parentPercent;

        GpuFigures(String pciAddress, Map<UUID, VgpuInstance> vgpus, Map<UUID, VgpuUtilization> utilization) {
            this.pciAddress = pciAddress;
            this.vgpus = vgpus;
            this.utilization = utilization;
        }

        Integer parentUtilization() {
            if (!parentRead) {
                parentRead = true;
                parentPercent = utilizationOrNull(pciAddress);
            }
            return parentPercent;
        }
    }
}
