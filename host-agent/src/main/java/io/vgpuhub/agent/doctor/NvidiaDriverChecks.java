package io.vgpuhub.agent.doctor;

import static io.vgpuhub.agent.doctor.ReadinessCheck.HOST;

import java.util.List;
import java.util.stream.Collectors;

import io.vgpuhub.agent.nvml.VirtualizationMode;
import io.vgpuhub.agent.sysfs.PciDrivers;

/**
 * {@code nvidia-driver} and {@code vgpu-manager} (host), {@code driver-flavour} (per GPU). The vGPU host driver runs
 * every kind of slice; the data-center driver runs passthrough and bare MIG, so on a host meant for those it is a WARN
 * (fewer kinds), not a FAIL.
 */
final class NvidiaDriverChecks {

    private NvidiaDriverChecks() {
    }

    static List<ReadinessCheck> host(HostFacts host) {
        return List.of(driver(host), vgpuManager(host));
    }

    private static ReadinessCheck driver(HostFacts host) {
        String id = "nvidia-driver";
        if (host.nvmlError().isEmpty()) {
            return ReadinessCheck.ok(HOST, id, "NVIDIA driver " + host.driverVersion().orElse("(version unknown)") + " is loaded ("
                    + host.flavour().label() + ")");
        }
        String nvml = host.nvmlError().get();
        if (host.gpus().isEmpty()) {
            return ReadinessCheck.fail(HOST, id, "no NVIDIA GPU on this host and no NVIDIA driver (" + nvml + ")",
                    "check that the GPUs are seated and powered (lspci -d 10de: lists them), then " + Fixes.INSTALL_VGPU_DRIVER);
        }
        if (!host.loadedModules().contains("nvidia")) {
            return ReadinessCheck.fail(HOST, id, "the NVIDIA driver is not loaded (" + nvml + ")",
                    Fixes.INSTALL_VGPU_DRIVER + "; if it is installed, run modprobe nvidia and read dmesg for why it did not load");
        }
        return ReadinessCheck.fail(HOST, id, "the nvidia kernel module " + host.driverVersion().orElse("")
                + " is loaded but NVML cannot be used (" + nvml + ")",
                "install the user-space part (libnvidia-ml.so.1) of the same driver release as the kernel module, from the "
                        + "same vGPU host driver package; reboot when nvidia-smi reports a driver/library version mismatch");
    }

    private static ReadinessCheck vgpuManager(HostFacts host) {
        String id = "vgpu-manager";
        if (!host.vgpuManagerPids().isEmpty()) {
            return ReadinessCheck.ok(HOST, id, "nvidia-vgpu-mgr is running (pid " + host.vgpuManagerPids().stream()
                    .map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        }
        return switch (host.flavour()) {
            case VGPU_HOST -> ReadinessCheck.fail(HOST, id, "nvidia-vgpu-mgr is not running: no VM with a vGPU can start",
                    "systemctl enable --now nvidia-vgpu-mgr.service (journalctl -u nvidia-vgpu-mgr says why it stopped)");
            case DATA_CENTER -> ReadinessCheck.warn(HOST, id, "no nvidia-vgpu-mgr: the data-center driver has no vGPU manager "
                    + "(passthrough and MIG slices do not need it; vGPU slices do)", "for vGPU slices, " + Fixes.INSTALL_VGPU_DRIVER);
            case UNKNOWN -> ReadinessCheck.fail(HOST, id, "nvidia-vgpu-mgr is not running (no NVIDIA vGPU host driver)",
                    Fixes.INSTALL_VGPU_DRIVER);
        };
    }

    static ReadinessCheck flavour(HostFacts host, GpuFacts gpu) {
        String id = "driver-flavour";
        String scope = gpu.address();
        if (gpu.virtualization().isPresent()) {
            VirtualizationMode mode = gpu.virtualization().get();
            if (mode.isVgpuHost()) {
                return ReadinessCheck.ok(scope, id, "NVIDIA vGPU host driver (virtualization mode " + mode
                        + "): vGPU, MIG and passthrough slices can run");
            }
            if (mode == VirtualizationMode.NONE) {
                return dataCenter(scope, "virtualization mode NONE");
            }
            return ReadinessCheck.fail(scope, id, "NVML reports virtualization mode " + mode + ": this is a guest's view, not a host's",
                    "run the agent on the hypervisor host that owns the GPU, not inside a VM");
        }
        if (gpu.agentPassthrough() && gpu.boundTo(PciDrivers.VFIO_PCI)) {
            return ReadinessCheck.ok(scope, id, "passed through by vGPU Hub (vfio-pci), so NVML does not see it; the host runs "
                    + host.flavour().label());
        }
        return switch (host.flavour()) {
            case VGPU_HOST -> ReadinessCheck.ok(scope, id, "the host runs the NVIDIA vGPU host driver (NVML does not see this GPU: "
                    + "see gpu-driver)");
            case DATA_CENTER -> dataCenter(scope, "the host's driver");
            case UNKNOWN -> ReadinessCheck.fail(scope, id, "no NVIDIA driver drives this GPU", Fixes.INSTALL_VGPU_DRIVER);
        };
    }

    private static ReadinessCheck dataCenter(String scope, String evidence) {
        return ReadinessCheck.warn(scope, "driver-flavour", "NVIDIA data-center driver (" + evidence + "): passthrough and bare "
                + "MIG slices run, vGPU slices cannot", "for vGPU slices on this GPU, " + Fixes.INSTALL_VGPU_DRIVER);
    }
}
