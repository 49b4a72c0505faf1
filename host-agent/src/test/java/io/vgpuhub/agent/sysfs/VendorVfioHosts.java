package io.vgpuhub.agent.sysfs;

import java.nio.file.Path;

import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.SimulatedHosts;

/** A simulated host on NVIDIA's vendor-specific VFIO framework: one A40 with four VFs, no mdev core. */
public final class VendorVfioHosts {

    public static final String GPU = SimulatedHosts.A40_PF;
    public static final String VF0 = "0000:41:00.4";
    public static final String VF1 = "0000:41:00.5";
    public static final String VF2 = "0000:41:00.6";
    public static final String VF3 = "0000:41:00.7";

    public static final String ONE_A40_VFIO = """
            vgpu_framework=vfio   # vGPU 17+ on kernel 6.8+
            gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=4
            """;

    /** Simulator type ids of the A40 (vgpusim.c): the number written to current_vgpu_type. */
    public static final int A40_1Q = 552;
    public static final int A40_8Q = 557;
    public static final int A40_8C = 564;

    private VendorVfioHosts() {
    }

    /** Boots {@link #ONE_A40_VFIO} with its sysfs tree at {@code <dir>/sys} and returns that root. */
    public static Path boot(Path dir) {
        Path root = dir.resolve("sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir, ONE_A40_VFIO), root);
        return root;
    }
}
