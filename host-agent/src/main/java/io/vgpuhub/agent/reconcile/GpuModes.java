package io.vgpuhub.agent.reconcile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.MigModeChange;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.server.DesiredState;

/**
 * Switches MIG mode to match the mode the operator wants per GPU: on for {@code MIG}, off for {@code VGPU} and
 * {@code PASSTHROUGH}, and only while the GPU holds no device ({@link GpuDevices}; NVML itself refuses to turn MIG off
 * under GPU instances). A GPU that holds devices keeps its mode; the conflict is logged (once until it changes) and
 * the switch is tried again on every reconcile. GPUs NVML does not see (bound to vfio-pci) and GPUs without MIG are
 * skipped. On Ampere a switch waits for a GPU reset.
 */
final class GpuModes {

    private static final Logger log = LoggerFactory.getLogger(GpuModes.class);

    private final Mig mig;
    private final GpuDevices devices;
    private final Map<String, String> logged = new ConcurrentHashMap<>();

    GpuModes(Mig mig, GpuDevices devices) {
        this.mig = mig;
        this.devices = devices;
    }

    /**
     * Applies the wanted modes (GPU address to {@code MIG}, {@code VGPU} or {@code PASSTHROUGH}) and returns, per GPU
     * whose MIG mode is not (yet) what its mode needs, why not.
     */
    Map<String, String> apply(Map<String, String> wanted) {
        Map<String, String> unmet = new HashMap<>();
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            String gpu = entry.getKey();
            String mode = entry.getValue();
            if (!DesiredState.MIG.equals(mode) && !DesiredState.VGPU.equals(mode) && !DesiredState.PASSTHROUGH.equals(mode)) {
                note(gpu, "unknown GPU mode '" + mode + "' for " + gpu + ": ignored");
                continue;
            }
            String problem = apply(gpu, DesiredState.MIG.equals(mode), mode);
            if (problem == null) {
                logged.remove(gpu);
            }
            else {
                unmet.put(gpu, problem);
                note(gpu, problem);
            }
        }
        return unmet;
    }

    /** Null when the GPU's MIG mode is what {@code mode} needs now. */
    private String apply(String gpu, boolean migOn, String mode) {
        MigMode current;
        try {
            current = mig.mode(gpu);
        }
        catch (NvmlException e) {
            // NOT_SUPPORTED: no MIG on this board; NOT_FOUND: NVML does not see it (bound to vfio-pci)
            return migOn ? "GPU " + gpu + " cannot be put in MIG mode: " + e.codeName() : null;
        }
        if (current.current() == migOn && current.pending() == migOn) {
            return null;
        }
        String wantedMig = migOn ? "enabled" : "disabled";
        if (current.pending() == migOn) {
            return MigReconciler.PENDING_RESET + " (" + gpu + ": MIG " + wantedMig + " pending; reset the GPU)";
        }
        List<String> held = devices.on(gpu);
        if (!held.isEmpty()) {
            return "the operator wants GPU " + gpu + " in mode " + mode + " but it holds " + held.size() + " device(s) ("
                    + String.join(", ", held) + "): MIG stays " + (current.current() ? "enabled" : "disabled")
                    + ", retried on each reconcile";
        }
        try {
            MigModeChange change = mig.setMode(gpu, migOn);
            if (change == MigModeChange.PENDING_RESET) {
                return MigReconciler.PENDING_RESET + " (" + gpu + ": MIG " + wantedMig + ", takes effect after a GPU reset: nvidia-smi -r)";
            }
            log.info("MIG {} on {} (operator's mode {})", wantedMig, gpu, mode);
            return null;
        }
        catch (NvmlException e) {
            return "cannot set MIG " + wantedMig + " on " + gpu + ": " + e.codeName() + " (" + e.getMessage() + ")";
        }
    }

    private void note(String gpu, String message) {
        if (!message.equals(logged.put(gpu, message))) {
            log.warn("{}", message);
        }
    }
}
