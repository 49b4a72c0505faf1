package io.vgpuhub.agent.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vgpuhub.agent.reconcile.Reconciler;
import io.vgpuhub.agent.reconcile.SliceStore;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * On-demand bench harness (not a test): reconcile of 64 vGPU slices on the simulated host, and the packaged agent's
 * resident memory while it runs 64 slices. Commands and results are in BENCHMARKS.md.
 */
public final class AgentBenchmark {

    private static final int SLICES = 64;
    private static final int ROUNDS = 7;
    private static final String HOST = """
            gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=16
            gpu pci=0000:61:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e70 vfs=16
            gpu pci=0000:81:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e71 vfs=16
            gpu pci=0000:c1:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e72 vfs=16
            """;
    private static final List<String> PFS = List.of("0000:41:00.0", "0000:61:00.0", "0000:81:00.0", "0000:c1:00.0");

    private AgentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/dev/shm"), "vgpuhub-bench");
        Path hostFile = Files.writeString(dir.resolve("host.conf"), HOST);
        System.out.printf("machine: %d CPUs, Java %s, state on %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), dir);
        reconcile(dir, hostFile);
        residentMemory(dir, hostFile);
    }

    private static void reconcile(Path dir, Path hostFile) throws Exception {
        Path root = dir.resolve("inproc/sys");
        SimulatedHost.boot(hostFile, root);
        Sysfs sysfs = new Sysfs(root, KernelFiles.load("vgpusim"));
        try (FakeAgentApi api = new FakeAgentApi()) {
            ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);
            Reconciler reconciler = new Reconciler(sysfs, new SliceStore(dir.resolve("inproc/state")), server);
            List<Map<String, Object>> slices = desiredSlices(sysfs);
            long[] create = new long[ROUNDS];
            long[] steady = new long[ROUNDS];
            long[] remove = new long[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                api.desire(withFreshIds(slices));
                List<DesiredState.Slice> desired = server.desiredState(0, Duration.ZERO).slices();
                create[round] = timed(() -> reconciler.reconcile(desired));
                steady[round] = timed(() -> reconciler.reconcile(desired));
                if (sysfs.mdevs().size() != SLICES) {
                    throw new IllegalStateException("expected " + SLICES + " mdevs, found " + sysfs.mdevs().size());
                }
                remove[round] = timed(() -> reconciler.reconcile(List.of()));
            }
            System.out.printf("reconcile %d slices (create + report READY): median %.1f ms, min %.1f ms%n", SLICES,
                    median(create), min(create));
            System.out.printf("reconcile %d slices already in place (no-op):  median %.1f ms, min %.1f ms%n", SLICES,
                    median(steady), min(steady));
            System.out.printf("reconcile to none (remove %d, report ABSENT):  median %.1f ms, min %.1f ms%n", SLICES,
                    median(remove), min(remove));
        }
    }

    private static void residentMemory(Path dir, Path hostFile) throws Exception {
        File[] jars = new File("target").listFiles((d, name) -> name.startsWith("vgpuhub-host-agent-") && name.endsWith("-exec.jar"));
        if (jars == null || jars.length != 1) {
            throw new IllegalStateException("package the agent first (./mvnw -pl host-agent package -DskipTests)");
        }
        try (FakeAgentApi api = new FakeAgentApi()) {
            Path state = dir.resolve("process");
            Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jars[0].getAbsolutePath(), "run", "--server", api.url().toString(), "--token", FakeAgentApi.TOKEN,
                    "--state-dir", state.toString(), "--simulate=" + hostFile, "--sample-interval", "1s")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            try {
                Path sysRoot = state.resolve("sim/sys");
                while (!Files.isDirectory(sysRoot.resolve("class/mdev_bus"))) {
                    Thread.sleep(100);
                }
                Thread.sleep(500);
                api.desire(withFreshIds(desiredSlices(new Sysfs(sysRoot, KernelFiles.load("vgpusim")))));
                while (api.observations().stream().filter(o -> o.endsWith("READY")).count() < SLICES) {
                    Thread.sleep(100);
                }
                long peak = 0;
                long last = 0;
                for (int second = 0; second < 60; second++) {
                    last = rssKib(agent.pid());
                    peak = Math.max(peak, last);
                    Thread.sleep(1000);
                }
                System.out.printf("agent process, %d READY slices sampled every 1 s for 60 s: RSS %d MiB at the end, peak %d MiB"
                        + " (default JVM flags; %d usage batches received)%n", SLICES, last / 1024, peak / 1024,
                        api.received("POST", "/api/agent/v1/usage").size());
            }
            finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    /** One A40-1Q per VF: 16 VFs on each of the 4 GPUs. */
    private static List<Map<String, Object>> desiredSlices(Sysfs sysfs) {
        List<Map<String, Object>> slices = new ArrayList<>();
        for (String pf : PFS) {
            for (String vf : sysfs.virtualFunctions(pf)) {
                slices.add(FakeAgentApi.vgpuSlice(UUID.randomUUID().toString(), pf, vf, "A40-1Q"));
            }
        }
        if (slices.size() != SLICES) {
            throw new IllegalStateException("expected " + SLICES + " VFs, found " + slices.size());
        }
        return slices;
    }

    private static List<Map<String, Object>> withFreshIds(List<Map<String, Object>> slices) {
        return slices.stream().map(s -> FakeAgentApi.vgpuSlice(UUID.randomUUID().toString(), (String) s.get("gpuPciAddress"),
                (String) s.get("vfPciAddress"), (String) s.get("vgpuType"))).toList();
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static long timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double min(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow() / 1e6;
    }
}
