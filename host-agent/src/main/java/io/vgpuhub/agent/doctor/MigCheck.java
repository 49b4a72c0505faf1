package io.vgpuhub.agent.doctor;

import java.util.stream.Collectors;

import io.vgpuhub.agent.nvml.MigMode;

/**
 * {@code mig}: capability, and a mode change NVML accepted that waits for a GPU reset (Ampere; Hopper applies at once).
 * Pending is a WARN: the GPU runs in its current mode until the reset.
 */
final class MigCheck {

    private MigCheck() {
    }

    static ReadinessCheck check(GpuFacts gpu) {
        String id = "mig";
        String pf = gpu.address();
        if (gpu.nvml().isEmpty()) {
            return ReadinessCheck.ok(pf, id, "MIG mode unknown: NVML does not see the GPU (bound to " + gpu.driverName() + ")");
        }
        if (gpu.mig().isEmpty()) {
            return ReadinessCheck.ok(pf, id, "no MIG on this GPU");
        }
        MigMode mode = gpu.mig().get();
        if (!mode.resetRequired()) {
            return ReadinessCheck.ok(pf, id, mode.current() ? "MIG enabled" : "MIG capable, disabled");
        }
        int index = gpu.nvml().get().index();
        String reset = "nvidia-smi -i " + index + " -r (GPU reset; index " + index + " is " + pf + "), or reboot the host";
        String fix = gpu.computePids().isEmpty()
                ? "when nothing uses the GPU (no VM, no process): " + reset
                : "stop the compute processes on the GPU (pids " + gpu.computePids().stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + "; nvidia-smi lists them) and its VMs, then " + reset;
        return ReadinessCheck.warn(pf, id, "MIG mode change pending: " + word(mode.current()) + " now, " + word(mode.pending())
                + " after a GPU reset", fix);
    }

    private static String word(boolean enabled) {
        return enabled ? "enabled" : "disabled";
    }
}
