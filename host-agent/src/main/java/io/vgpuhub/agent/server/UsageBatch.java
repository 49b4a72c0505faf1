package io.vgpuhub.agent.server;

import java.util.List;

/** Body of {@code POST /api/agent/v1/usage}; a re-sent batch keeps its batchId so the server counts it once. */
public record UsageBatch(String batchId, List<Sample> samples) {

    /**
     * @param sampledAt    ISO-8601 instant in UTC, to the millisecond, e.g. {@code 2026-11-24T10:00:00.250Z}
     * @param licenseState the guest's vGPU license state as NVML reports it (e.g. {@code LICENSED}); null when NVML
     *                     has no vGPU for the slice
     */
    public record Sample(String sliceId, String sampledAt, int gpuUtilizationPercent, long memoryUsedMib,
            String licenseState) {
    }
}
