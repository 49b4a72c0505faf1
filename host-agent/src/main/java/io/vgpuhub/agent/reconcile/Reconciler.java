package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.VgpuFramework;

/**
 * Makes the host match the server's desired state and reports what it observed, in an order that lets one pass go
 * from any layout to any other: first every device that is no longer desired goes (passthrough bindings, MIG
 * instances, mdevs and vendor-VFIO vGPUs), then each GPU's MIG mode follows the operator's mode ({@link GpuModes}, only
 * on GPUs that hold nothing by then), then the desired devices are made. VGPU slices go to {@link VgpuReconciler}, MIG
 * slices to {@link MigReconciler} and PASSTHROUGH slices to {@link PassthroughReconciler}; a kind this agent has no
 * reconciler for is reported FAILED. Idempotent: run it as often as desired state arrives.
 *
 * <p>A server that sends no GPU modes (before they existed) still gets MIG slices: their GPUs are then wanted in MIG
 * mode, as the agent did before.
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Sysfs sysfs;
    private final VgpuReconciler vgpu;
    private final MigReconciler mig;
    private final PassthroughReconciler passthrough;
    private final GpuModes modes;

    /** Without MIG and passthrough: those slices are reported FAILED as unsupported. */
    public Reconciler(Sysfs sysfs, SliceStore store, ServerClient server) {
        this(sysfs, store, server, null, null);
    }

    /** @param mig reconciles the {@code MIG} slices, or null for an agent without MIG */
    public Reconciler(Sysfs sysfs, SliceStore store, ServerClient server, MigReconciler mig) {
        this(sysfs, store, server, mig, null);
    }

    /**
     * @param mig reconciles the {@code MIG} slices and switches MIG modes, or null for an agent without MIG
     * @param passthrough reconciles the {@code PASSTHROUGH} slices, or null for an agent without passthrough
     */
    public Reconciler(Sysfs sysfs, SliceStore store, ServerClient server, MigReconciler mig, PassthroughReconciler passthrough) {
        this.sysfs = sysfs;
        this.vgpu = new VgpuReconciler(sysfs, store, server);
        this.mig = mig;
        this.passthrough = passthrough;
        this.modes = mig == null ? null : new GpuModes(mig.mig(), new GpuDevices(sysfs, mig.mig()));
    }

    /**
     * Recreates recorded devices that are missing (after a host reboot), without the server: mdevs, vGPU types and
     * passthrough bindings. MIG instances come back through the {@code restore} command or the next reconcile.
     */
    public void restoreRecorded() {
        vgpu.restoreRecorded();
        if (passthrough != null && passthrough.hasRecords()) {
            passthrough.restore(line -> log.info("{}", line));
        }
    }

    /** A desired state without GPU modes. */
    public void reconcile(List<DesiredState.Slice> slices) {
        reconcile(new DesiredState(-1, slices));
    }

    public void reconcile(DesiredState desired) {
        Map<UUID, DesiredState.Slice> vgpuSlices = new LinkedHashMap<>();
        Map<UUID, DesiredState.Slice> migSlices = new LinkedHashMap<>();
        Map<UUID, DesiredState.Slice> passthroughSlices = new LinkedHashMap<>();
        Set<UUID> wanted = new HashSet<>();
        for (DesiredState.Slice slice : desired.slices()) {
            UUID sliceId;
            try {
                sliceId = UUID.fromString(slice.sliceId());
            }
            catch (IllegalArgumentException | NullPointerException e) {
                log.warn("ignoring desired slice with a malformed id '{}'", slice.sliceId());
                continue;
            }
            wanted.add(sliceId);
            if (mig != null && DesiredState.MIG.equals(slice.kind())) {
                migSlices.put(sliceId, slice);
            }
            else if (passthrough != null && DesiredState.PASSTHROUGH.equals(slice.kind())) {
                passthroughSlices.put(sliceId, slice);
            }
            else {
                vgpuSlices.put(sliceId, slice);     // other kinds fail there as unsupported
            }
        }

        if (passthrough != null) {
            passthrough.release(wanted);
        }
        if (mig != null) {
            mig.release(wanted);
        }
        VgpuFramework framework = sysfs.framework();
        vgpu.release(wanted, framework);

        Map<String, String> gpuModes = new HashMap<>();
        for (DesiredState.Slice slice : migSlices.values()) {
            if (slice.gpuPciAddress() != null) {
                gpuModes.put(slice.gpuPciAddress(), DesiredState.MIG);
            }
        }
        for (DesiredState.GpuMode mode : desired.gpus()) {
            if (mode.pciAddress() != null && mode.mode() != null) {
                gpuModes.put(mode.pciAddress(), mode.mode());
            }
        }
        Map<String, String> modeProblems = modes == null ? Map.of() : modes.apply(gpuModes);

        if (mig != null) {
            mig.ensure(migSlices, gpuModes, modeProblems);
        }
        if (passthrough != null) {
            passthrough.ensure(passthroughSlices);
        }
        vgpu.ensure(vgpuSlices, framework);
    }

    /** Devices found in the last reconcile that this agent did not create; reported to the server, never removed. */
    public List<String> foreignDevices() {
        List<String> foreign = new ArrayList<>(vgpu.foreignDevices());
        if (passthrough != null) {
            foreign.addAll(passthrough.foreignBindings());
        }
        return List.copyOf(foreign);
    }

    /** Slices whose devices exist, for the usage sampler (VGPU slices: MIG and passthrough GPUs give NVML no per-slice figures). */
    public List<ReadySlice> readySlices() {
        return vgpu.readySlices();
    }
}
