package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.Observation;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sysfs.KernelWriteException;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.MdevType;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.UnsafeSysfsPathException;
import io.vgpuhub.agent.sysfs.VendorVfioType;
import io.vgpuhub.agent.sysfs.VgpuFramework;

/**
 * The VGPU part of {@link Reconciler}: makes the host's mediated devices match the server's desired VGPU slices and
 * reports what it observed. Idempotent: run it as often as desired state arrives. Only devices the agent recorded for
 * the server are ever removed: mdevs the agent did not create ("foreign") and mdevs an operator created with
 * {@code mdev create} are left alone; foreign ones are logged once each and listed for the inventory's
 * {@code foreignDevices}. An observation is sent again only when it changed, and a record is dropped only after its
 * ABSENT report went through.
 *
 * <p>On hosts with NVIDIA's vendor-specific VFIO framework ({@link VgpuFramework#VENDOR_VFIO}, detected on every pass)
 * there are no mdevs: a slice is its VF's {@code nvidia/current_vgpu_type}, set to the id of the creatable type whose
 * name's last token is the slice's vGPU type, READY while it holds that id, and cleared (0) when the slice is no longer
 * desired, only on VFs the agent recorded. VFs with a type the agent did not set are foreign and left alone. READY
 * carries the slice id as {@code mdevUuid} (the contract requires one); the VM attaches the VF as a PCI hostdev.
 */
final class VgpuReconciler {

    private static final Logger log = LoggerFactory.getLogger(VgpuReconciler.class);

    private final Sysfs sysfs;
    private final SliceStore store;
    private final ObservationReporter reporter;
    private final Map<UUID, ReadySlice> ready = new ConcurrentHashMap<>();
    private final Set<UUID> foreignLogged = ConcurrentHashMap.newKeySet();
    private final Set<String> foreignVfsLogged = ConcurrentHashMap.newKeySet();
    private volatile List<String> foreignDevices = List.of();

    VgpuReconciler(Sysfs sysfs, SliceStore store, ServerClient server) {
        this.sysfs = sysfs;
        this.store = store;
        this.reporter = new ObservationReporter(server, store::delete, log);
    }

    /** Recreates recorded mdevs that are missing (after a host reboot), without the server. */
    void restoreRecorded() {
        store.migrate();
        Set<UUID> present = presentMdevs().keySet();
        for (SliceRecord record : store.all()) {
            if (record.usesVendorVfio()) {
                restoreVendorVfio(record);
                continue;
            }
            if (!present.contains(record.sliceId())) {
                try {
                    sysfs.createMdev(record.parent(), record.mdevTypeId(), record.sliceId());
                    log.info("restored mdev {} ({} on {})", record.sliceId(), record.vgpuType(), record.parent());
                }
                catch (KernelWriteException | UnsafeSysfsPathException e) {
                    log.warn("cannot restore mdev {}: {}", record.sliceId(), e.getMessage());
                }
            }
        }
    }

    /** Sets a recorded vendor-VFIO slice's type again when its VF is back and free. */
    private void restoreVendorVfio(SliceRecord record) {
        try {
            if (sysfs.hasVendorVfio(record.parent()) && sysfs.currentVgpuType(record.parent()) == 0) {
                sysfs.setVgpuType(record.parent(), record.vgpuTypeNumber());
                log.info("restored vGPU {} ({} on VF {})", record.sliceId(), record.vgpuType(), record.parent());
            }
        }
        catch (KernelWriteException | UnsafeSysfsPathException | IllegalStateException e) {
            log.warn("cannot restore vGPU {}: {}", record.sliceId(), e.getMessage());
        }
    }

    /**
     * Removes the devices of recorded server slices that are not in {@code wanted} and reports them ABSENT, then
     * remembers the devices nobody recorded or wants (foreign) for {@link #foreignDevices()}.
     *
     * @param framework the host's vGPU framework, read once per pass ({@link Sysfs#framework()})
     */
    void release(Set<UUID> wanted, VgpuFramework framework) {
        if (framework == VgpuFramework.VENDOR_VFIO) {
            releaseVendorVfio(wanted);
            return;
        }
        Map<UUID, Mdev> present = presentMdevs();
        Map<UUID, SliceRecord> records = new HashMap<>();
        for (SliceRecord record : store.all()) {
            records.put(record.sliceId(), record);
        }
        List<String> foreign = new ArrayList<>();
        for (Mdev mdev : present.values()) {
            SliceRecord record = records.get(mdev.uuid());
            if (record == null && !wanted.contains(mdev.uuid())) {
                foreign.add("mdev " + mdev.uuid() + " (" + mdev.typeId() + " on " + mdev.parent() + ")");
                if (foreignLogged.add(mdev.uuid())) {
                    log.info("foreign mdev {} ({} on {}) was not created by this agent: left alone, never removed",
                            mdev.uuid(), mdev.typeId(), mdev.parent());
                }
                continue;
            }
            if (!wanted.contains(mdev.uuid()) && record != null && record.fromServer()) {
                try {
                    sysfs.removeMdev(mdev.uuid());
                    log.info("removed mdev {} from {}", mdev.uuid(), mdev.parent());
                }
                catch (KernelWriteException e) {
                    log.warn("cannot remove mdev {}: {}", mdev.uuid(), e.getMessage());
                    continue;
                }
                ready.remove(mdev.uuid());
                reporter.reportAbsent(mdev.uuid());
            }
        }
        for (SliceRecord record : records.values()) {
            if (record.fromServer() && !wanted.contains(record.sliceId()) && !present.containsKey(record.sliceId())) {
                ready.remove(record.sliceId());
                reporter.reportAbsent(record.sliceId());
            }
        }
        foreignDevices = List.copyOf(foreign);
    }

    /** Creates the device of every desired slice (FAILED for kinds this reconciler does not make) and reports each. */
    void ensure(Map<UUID, DesiredState.Slice> desired, VgpuFramework framework) {
        boolean vendorVfio = framework == VgpuFramework.VENDOR_VFIO;
        Map<UUID, Mdev> present = vendorVfio ? Map.of() : presentMdevs();
        for (Map.Entry<UUID, DesiredState.Slice> entry : desired.entrySet()) {
            UUID sliceId = entry.getKey();
            DesiredState.Slice slice = entry.getValue();
            report(sliceId, vendorVfio ? ensureVendorVfio(sliceId, slice, store.find(sliceId).orElse(null))
                    : ensure(sliceId, slice, present.get(sliceId)));
        }
        if (vendorVfio) {
            foreignDevices = foreignVendorVfio();
        }
    }

    private void releaseVendorVfio(Set<UUID> wanted) {
        for (SliceRecord record : store.all()) {
            if (!record.usesVendorVfio() || !record.fromServer() || wanted.contains(record.sliceId())) {
                continue;       // mdev records of this host wait until it runs mdev again
            }
            try {
                if (sysfs.hasVendorVfio(record.parent()) && sysfs.currentVgpuType(record.parent()) == record.vgpuTypeNumber()) {
                    sysfs.clearVgpuType(record.parent());
                    log.info("removed vGPU {} ({} on VF {})", record.sliceId(), record.vgpuType(), record.parent());
                }
            }
            catch (KernelWriteException | UnsafeSysfsPathException | IllegalStateException e) {
                log.warn("cannot remove vGPU {} from VF {}: {}", record.sliceId(), record.parent(), e.getMessage());
                continue;
            }
            ready.remove(record.sliceId());
            reporter.reportAbsent(record.sliceId());
        }
    }

    /** VFs with a vGPU type that no record of this agent set. */
    private List<String> foreignVendorVfio() {
        Set<String> recordedVfs = new HashSet<>();
        for (SliceRecord record : store.all()) {
            if (record.usesVendorVfio()) {
                recordedVfs.add(record.parent());
            }
        }
        List<String> foreign = new ArrayList<>();
        for (String vf : sysfs.vendorVfioFunctions()) {
            if (recordedVfs.contains(vf)) {
                continue;
            }
            int current = sysfs.currentVgpuType(vf);
            if (current != 0) {
                foreign.add("vGPU type " + current + " on VF " + vf);
            }
            if (current != 0 && foreignVfsLogged.add(vf + " " + current)) {
                log.info("foreign vGPU type {} on VF {} was not set by this agent: left alone, never cleared", current, vf);
            }
        }
        return List.copyOf(foreign);
    }

    private Observation ensureVendorVfio(UUID sliceId, DesiredState.Slice slice, SliceRecord record) {
        if (!DesiredState.VGPU.equals(slice.kind())) {
            return Observation.failed("slice kind " + slice.kind() + " is not supported by this agent version");
        }
        String vf = slice.vfPciAddress();
        if (vf == null) {
            return Observation.failed("this host uses NVIDIA's vendor-specific VFIO framework, where a vGPU is a VF: the slice names no VF of "
                    + slice.gpuPciAddress());
        }
        try {
            if (!sysfs.hasVendorVfio(vf)) {
                return Observation.failed("VF " + vf + " has no nvidia/current_vgpu_type (VFs not enabled?)");
            }
            int current = sysfs.currentVgpuType(vf);
            if (current != 0) {
                if (record != null && record.usesVendorVfio() && record.parent().equals(vf) && record.vgpuTypeNumber() == current
                        && Objects.equals(slice.vgpuType(), record.vgpuType())) {
                    markReadyVendorVfio(sliceId, slice);
                    return Observation.ready(sliceId);
                }
                return Observation.failed("VF " + vf + " already runs vGPU type " + current
                        + (record != null && record.parent().equals(vf) ? ", recorded for this slice as " + record.vgpuType()
                                : ", not set for this slice"));
            }
            if (record != null && record.usesVendorVfio() && !record.parent().equals(vf)) {
                releaseMovedVendorVfio(record);
            }
            List<VendorVfioType> creatable = sysfs.creatableVgpuTypes(vf);
            Optional<VendorVfioType> type = creatable.stream().filter(t -> t.profile().equals(slice.vgpuType())).findFirst();
            if (type.isEmpty()) {
                return Observation.failed("vGPU type " + slice.vgpuType() + " is not creatable on VF " + vf + " now (creatable: "
                        + String.join(", ", creatable.stream().map(VendorVfioType::profile).toList()) + ")");
            }
            boolean recordedBefore = store.contains(sliceId);
            store.save(SliceRecord.vendorVfio(sliceId, slice.kind(), slice.gpuPciAddress(), vf, type.get().id(), slice.vgpuType()));
            try {
                sysfs.setVgpuType(vf, type.get().id());
            }
            catch (KernelWriteException e) {
                if (!recordedBefore) {
                    store.delete(sliceId);
                }
                return Observation.failed(e.getMessage());
            }
            log.info("created vGPU {} ({} type {} on VF {})", sliceId, slice.vgpuType(), type.get().id(), vf);
            markReadyVendorVfio(sliceId, slice);
            return Observation.ready(sliceId);
        }
        catch (KernelWriteException | UnsafeSysfsPathException | IllegalStateException e) {
            return Observation.failed(e.getMessage());
        }
    }

    /** The slice now wants another VF: clear the one the agent set before, so that it does not keep a vGPU nobody records. */
    private void releaseMovedVendorVfio(SliceRecord record) {
        if (sysfs.hasVendorVfio(record.parent()) && sysfs.currentVgpuType(record.parent()) == record.vgpuTypeNumber()) {
            sysfs.clearVgpuType(record.parent());
            log.info("cleared VF {}: slice {} moved to another VF", record.parent(), record.sliceId());
        }
    }

    private void markReadyVendorVfio(UUID sliceId, DesiredState.Slice slice) {
        ready.put(sliceId, new ReadySlice(sliceId, slice.gpuPciAddress(), sliceId, VendorVfioType.framebufferMib(slice.vgpuType())));
    }

    /** Devices found in the last reconcile that this agent did not create; reported to the server, never removed. */
    List<String> foreignDevices() {
        return foreignDevices;
    }

    /** Slices whose devices exist, for the usage sampler. */
    List<ReadySlice> readySlices() {
        return List.copyOf(ready.values());
    }

    private Observation ensure(UUID sliceId, DesiredState.Slice slice, Mdev existing) {
        if (!DesiredState.VGPU.equals(slice.kind())) {
            return Observation.failed("slice kind " + slice.kind() + " is not supported by this agent version");
        }
        String parent = slice.vfPciAddress() != null ? slice.vfPciAddress() : slice.gpuPciAddress();
        Optional<MdevType> type;
        try {
            type = sysfs.types(parent).stream().filter(t -> t.profile().equals(slice.vgpuType())).findFirst();
        }
        catch (UnsafeSysfsPathException e) {
            return Observation.failed(e.getMessage());
        }
        if (type.isEmpty()) {
            return Observation.failed("no mdev type named " + slice.vgpuType() + " on " + parent);
        }
        if (existing != null) {
            if (existing.parent().equals(parent) && existing.typeId().equals(type.get().id())) {
                markReady(sliceId, slice, type.get());
                return Observation.ready(sliceId);
            }
            return Observation.failed("mdev " + sliceId + " already exists on " + existing.parent() + " with type "
                    + existing.typeId() + ", not " + type.get().id() + " on " + parent);
        }
        boolean recordedBefore = store.contains(sliceId);
        store.save(new SliceRecord(sliceId, slice.kind(), slice.gpuPciAddress(), parent, type.get().id(), slice.vgpuType()));
        try {
            sysfs.createMdev(parent, type.get().id(), sliceId);
        }
        catch (KernelWriteException e) {
            if (!recordedBefore) {
                store.delete(sliceId);
            }
            return Observation.failed(e.getMessage());
        }
        log.info("created mdev {} ({} on {})", sliceId, slice.vgpuType(), parent);
        markReady(sliceId, slice, type.get());
        return Observation.ready(sliceId);
    }

    private void markReady(UUID sliceId, DesiredState.Slice slice, MdevType type) {
        ready.put(sliceId, new ReadySlice(sliceId, slice.gpuPciAddress(), sliceId, type.description().framebufferMib()));
    }

    /** Reports a slice; one that is not READY has no device for the usage sampler. */
    private void report(UUID sliceId, Observation observation) {
        if (!"READY".equals(observation.state())) {
            ready.remove(sliceId);
        }
        reporter.report(sliceId, observation);
    }

    private Map<UUID, Mdev> presentMdevs() {
        Map<UUID, Mdev> present = new HashMap<>();
        for (Mdev mdev : sysfs.mdevs()) {
            present.put(mdev.uuid(), mdev);
        }
        return present;
    }
}
