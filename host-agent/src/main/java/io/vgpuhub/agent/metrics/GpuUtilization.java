package io.vgpuhub.agent.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;

/**
 * Each GPU's utilization as NVML reports it at scrape time, by PCI address (sysfs form). Read on every scrape rather
 * than cached so that a GPU NVML no longer lists (bound to vfio-pci for passthrough, fallen off the bus) loses its
 * series at once instead of repeating its last value; a GPU whose utilization NVML cannot give (MIG mode answers
 * NOT_SUPPORTED) has no series either.
 */
final class GpuUtilization {

    private static final Logger log = LoggerFactory.getLogger(GpuUtilization.class);

    private final Nvml nvml;

    GpuUtilization(Nvml nvml) {
        this.nvml = nvml;
    }

    /** PCI address to utilization in [0, 1]; empty when NVML cannot enumerate its GPUs. */
    Map<String, Double> read() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        try {
            for (GpuInfo gpu : nvml.gpus()) {
                try {
                    int percent = nvml.utilization(gpu.pciAddress()).gpuPercent();
                    ratios.put(gpu.pciAddress(), Math.min(100, Math.max(0, percent)) / 100.0);
                }
                catch (NvmlException e) {
                    log.debug("no utilization for GPU {}: {}", gpu.pciAddress(), e.getMessage());
                }
            }
        }
        catch (NvmlException e) {
            log.debug("cannot enumerate GPUs for metrics: {}", e.getMessage());
        }
        return ratios;
    }
}
