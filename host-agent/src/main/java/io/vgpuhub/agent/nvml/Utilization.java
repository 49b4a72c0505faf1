package io.vgpuhub.agent.nvml;

/** nvmlDeviceGetUtilizationRates of a whole physical GPU, in percent. */
public record Utilization(int gpuPercent, int memoryPercent) {
}
