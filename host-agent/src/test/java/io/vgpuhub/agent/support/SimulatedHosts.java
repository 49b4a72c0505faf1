package io.vgpuhub.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private SimulatedHosts() {
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
}
