package io.vgpuhub.agent.reconcile;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * What the passthrough tests share: a simulated host booted from a host file into a temporary sysfs, the real sysfs
 * code and JNA binding against it, a fake server, and a Reconciler wired as the agent wires it.
 */
abstract class PassthroughTestSupport {

    @TempDir
    Path dir;

    Path root;
    FakeAgentApi api;
    Nvml nvml;
    Sysfs sysfs;
    PciDrivers drivers;
    PassthroughStore store;
    Reconciler reconciler;

    /** Boots the simulated host that {@code hostFile} describes (see {@link SimulatedHosts}) and wires the agent. */
    void boot(String hostFile) throws Exception {
        root = dir.resolve("sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir, hostFile), root);
        api = new FakeAgentApi();
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        sysfs = new Sysfs(root, KernelFiles.load("vgpusim"));
        drivers = sysfs.drivers();
        store = new PassthroughStore(dir.resolve("state"));
        reconciler = newReconciler();
    }

    @AfterEach
    void tearDown() {
        if (nvml != null) {
            nvml.close();
            api.close();
        }
    }

    /** The reasons the agent reported with its slice observations, in order. */
    List<String> reasons() {
        return api.received("POST", "/api/agent/v1/slices/").stream()
                .filter(r -> r.body().get("reason") != null && !r.body().get("reason").isNull())
                .map(r -> r.body().get("reason").asString()).toList();
    }

    /** A Reconciler over the booted host's sysfs and the state directory, as a (re)started agent makes it. */
    Reconciler newReconciler() {
        return newReconciler(Optional.empty());
    }

    /** {@link #newReconciler()} with the given {@code sriov-manage} script, if any. */
    Reconciler newReconciler(Optional<Path> sriovManage) {
        ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);
        return new Reconciler(sysfs, new SliceStore(dir.resolve("state")), server,
                new MigReconciler(nvml.mig(), new MigStore(dir.resolve("state")), server),
                new PassthroughReconciler(sysfs, store, server, nvml, new GpuDevices(sysfs, nvml.mig()), sriovManage));
    }

    /** The passthrough half alone, with no server, as {@code vgpuhub-agent restore} makes it. */
    PassthroughReconciler passthrough() {
        return new PassthroughReconciler(sysfs, store, null, nvml, new GpuDevices(sysfs, nvml.mig()), Optional.empty());
    }
}
