package io.vgpuhub.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.vgpuhub.agent.natives.NativeLibraries;
import io.vgpuhub.agent.sim.SimulatedHost;

/** Host files for tests, and a booted simulated host under a test's temporary directory. */
public final class SimulatedHosts {

    public static final String A40_PF = "0000:41:00.0";
    public static final String A40_UUID = "GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f";
    public static final String SECOND_A40_PF = "0000:c1:00.0";
    public static final String SECOND_A40_UUID = "GPU-7e51d0a2-4c9b-4f3e-8a6d-2b3c4d5e6f70";

    public static final String TWO_A40S = """
            # two boards, as in the demo
            gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f memory_mib=46068 vfs=16
            gpu pci=0000:c1:00.0 model=A40 uuid=GPU-7e51d0a2-4c9b-4f3e-8a6d-2b3c4d5e6f70 vfs=4   # default memory
            """;

    public static final String A100_40GB_PF = "0000:17:00.0";
    public static final String A100_40GB_UUID = "GPU-5a1f0c2e-9d3b-4c7a-8e6f-0b1c2d3e4f50";
    public static final String H100_PF = "0000:65:00.0";
    public static final String A100_80GB_PF = "0000:ca:00.0";
    public static final String A30_PF = "0000:e3:00.0";

    /** MIG boards: MIG on for the A100-40GB, H100 and A30 from boot, off for the A100-80GB. */
    public static final String MIG_BOARDS = """
            gpu pci=0000:17:00.0 model=A100-40GB uuid=GPU-5a1f0c2e-9d3b-4c7a-8e6f-0b1c2d3e4f50 mig=on
            gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061 mig=on
            gpu pci=0000:ca:00.0 model=A100-80GB uuid=GPU-7c3b2e40-1f5d-4e9c-a081-2d3e4f506172 mig=off
            gpu pci=0000:e3:00.0 model=A30 uuid=GPU-8d4c3f51-2a6e-4fad-b192-3e4f50617283 mig=on
            """;

    /**
     * One board of each kind, as in the demo: an A40 with 4 VFs (vGPU), an A100 80GB with MIG on, an H100 with MIG off
     * (passthrough, or MIG when the operator wants it).
     */
    public static final String ALL_KINDS = """
            gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f memory_mib=46068 vfs=4
            gpu pci=0000:ca:00.0 model=A100-80GB uuid=GPU-7c3b2e40-1f5d-4e9c-a081-2d3e4f506172 mig=on
            gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061 mig=off
            """;
    public static final String H100_UUID = "GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061";

    private SimulatedHosts() {
    }

    /** Boots the MIG host ({@link #MIG_BOARDS}) with its sysfs tree at {@code <dir>/sys}. */
    public static Path bootMigBoards(Path dir) {
        Path root = dir.resolve("sys");
        SimulatedHost.boot(hostFile(dir, MIG_BOARDS), root);
        return root;
    }

    /** Resets one simulated GPU, as {@code nvidia-smi -r} would: a pending MIG mode becomes current, MIG instances go. */
    public static void resetGpu(String pciAddress) {
        if (SimulatorControl.INSTANCE.vgpusim_reset_gpu(pciAddress) != 0) {
            throw new IllegalArgumentException("no simulated GPU at " + pciAddress);
        }
    }

    private interface SimulatorControl extends Library {
        SimulatorControl INSTANCE = Native.load(NativeLibraries.resolve("vgpusim"), SimulatorControl.class);

        int vgpusim_reset_gpu(String pciAddress);
    }

    public static Path hostFile(Path dir, String content) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("host.conf"), content);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Boots the two-A40 host with its sysfs tree at {@code <dir>/sys} and returns that root. */
    public static Path bootTwoA40s(Path dir) {
        Path root = dir.resolve("sys");
        SimulatedHost.boot(hostFile(dir, TWO_A40S), root);
        return root;
    }

    /**
     * nvidia-vgpu-mgr exits on the simulated host whose files lie under {@code dir}: its process ({@code VGPU_MGR_PID}
     * 2187 in host.c) leaves {@code <dir>/proc}.
     */
    public static void stopVgpuManager(Path dir) {
        try (Stream<Path> files = Files.walk(dir.resolve("proc/2187"))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
