package io.vgpuhub.agent.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.Observation;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.SysfsNames;
import io.vgpuhub.agent.sysfs.UnsafeSysfsPathException;

/**
 * Makes the host's whole-GPU passthroughs match the server's desired {@code PASSTHROUGH} slices. A desired slice on GPU X
 * means: X and the other functions of its IOMMU group in its slot (its audio function) are bound to vfio-pci
 * ({@link VfioBinding}), recorded with the driver each had in {@link PassthroughStore} before the binding, and READY
 * (without a UUID: the VM attaches the PCI address). Refused, with nothing touched ({@link PassthroughChecks}): a host
 * without IOMMU or vfio-pci, a group shared with another device bound to a driver, a GPU that holds mdev, vGPU or MIG
 * instances or runs host compute processes, a GPU or audio function a host process holds open ({@link GpuHolders}: their
 * unbinds would block in the kernel; the GPU's is guarded by NVIDIA's unbind lock). A slice no longer desired gets each function back to its own driver, its record deleted and
 * ABSENT, but only once no VM holds the device any more ({@link VfioUsers}): until then the slice stays RELEASING.
 * Only recorded bindings are ever undone: a GPU bound to vfio-pci by someone else is reported as a foreign device and
 * left as it is, and a slice desired on it fails.
 */
public final class PassthroughReconciler {

    private static final Logger log = LoggerFactory.getLogger(PassthroughReconciler.class);

    private final PassthroughStore store;
    private final Nvml nvml;
    private final Sysfs sysfs;
    private final PciDrivers drivers;
    private final PassthroughChecks checks;
    private final VfioBinding binding;
    private final VfioUsers users;
    private final ObservationReporter reporter;
    private final Set<String> foreignLogged = ConcurrentHashMap.newKeySet();
    private final Set<UUID> heldLogged = ConcurrentHashMap.newKeySet();

    /**
     * @param nvml reads the GPU's identity before binding (NVML no longer sees it after) and its compute processes, or null
     * @param devices what the GPUs hold (a GPU with devices is never passed through)
     * @param sriovManage NVIDIA's {@code sriov-manage}, to disable and enable VFs with; empty to write {@code sriov_numvfs}
     * @param server where observations go; null for {@link #restore} only
     */
    public PassthroughReconciler(Sysfs sysfs, PassthroughStore store, ServerClient server, Nvml nvml, GpuDevices devices,
            Optional<Path> sriovManage) {
        this.store = store;
        this.reporter = new ObservationReporter(server, store::delete, log);
        this.nvml = nvml;
        this.sysfs = sysfs;
        this.drivers = sysfs.drivers();
        GpuHolders holders = new GpuHolders(sysfs);
        this.checks = new PassthroughChecks(sysfs, devices, nvml, holders);
        this.binding = new VfioBinding(sysfs, new SriovFunctions(sysfs, sriovManage), holders);
        this.users = new VfioUsers(sysfs);
    }

    /**
     * Gives back the functions of recorded slices that are not in {@code wanted}; ABSENT once they are back. A slice
     * whose device a VM still holds is left for the next pass: vfio-pci's unbind would block until the VM lets go.
     */
    void release(Set<UUID> wanted) {
        for (PassthroughRecord record : store.all()) {
            if (wanted.contains(record.sliceId())) {
                continue;
            }
            List<String> holders;
            try {
                holders = users.holding(record.gpuPciAddress(), record.addresses());
            }
            catch (UnsafeSysfsPathException e) {
                log.warn("cannot end the passthrough of released slice {}: {}", record.sliceId(), e.getMessage());
                continue;
            }
            if (!holders.isEmpty()) {
                if (heldLogged.add(record.sliceId())) {
                    log.warn("slice {} is released but a VM still uses GPU {}: {}; it stays on vfio-pci until the VM lets go "
                            + "(shut the VM down or detach the device), checked again on every pass", record.sliceId(),
                            record.gpuPciAddress(), String.join(", ", holders));
                }
                continue;
            }
            heldLogged.remove(record.sliceId());
            Optional<String> problem = binding.release(record.gpuPciAddress(), record.functions(), record.vfsBefore());
            if (problem.isPresent()) {
                log.warn("cannot end the passthrough of released slice {}: {}", record.sliceId(), problem.get());
                continue;
            }
            log.info("gave {} back from vfio-pci: slice {} released", describe(record), record.sliceId());
            reporter.reportAbsent(record.sliceId());
        }
    }

    /** Binds the GPU of every desired slice and reports each (only when its observation changed). */
    void ensure(Map<UUID, DesiredState.Slice> slices) {
        for (Map.Entry<UUID, DesiredState.Slice> entry : slices.entrySet()) {
            UUID sliceId = entry.getKey();
            Observation observation;
            try {
                observation = ensure(sliceId, entry.getValue().gpuPciAddress());
            }
            catch (UnsafeSysfsPathException e) {
                observation = Observation.failed(e.getMessage());
            }
            reporter.report(sliceId, observation);
        }
    }

    private Observation ensure(UUID sliceId, String gpuAddress) {
        String gpu = SysfsNames.pciAddress(gpuAddress);
        Optional<PassthroughRecord> recorded = store.find(sliceId);
        if (recorded.isPresent() && !recorded.get().gpuPciAddress().equals(gpu)) {
            return Observation.failed("slice " + sliceId + " already passes through GPU " + recorded.get().gpuPciAddress()
                    + "; release it before placing it elsewhere");
        }
        Optional<PassthroughRecord> other = store.onGpu(gpu).filter(r -> !r.sliceId().equals(sliceId));
        if (other.isPresent()) {
            return Observation.failed("GPU " + gpu + " is already passed through for slice " + other.get().sliceId());
        }
        if (recorded.isPresent() && binding.allBound(recorded.get().functions())) {
            return Observation.readyPassthrough();
        }
        if (recorded.isEmpty() && drivers.isBoundTo(gpu, PciDrivers.VFIO_PCI)) {
            return Observation.failed("GPU " + gpu + " is bound to vfio-pci by someone else, not by this agent: left alone");
        }
        PassthroughChecks.Verdict verdict = checks.check(gpu, recorded.isPresent());
        if (verdict.refusal().isPresent()) {
            return Observation.failed(verdict.refusal().get());
        }
        PassthroughRecord record = recorded.orElseGet(() -> newRecord(sliceId, gpu, verdict.functions()));
        store.save(record);
        Optional<String> failure = binding.bind(gpu, record.functions(), record.vfsBefore());
        if (failure.isPresent()) {
            if (recorded.isEmpty()) {
                store.delete(sliceId);
            }
            return Observation.failed(failure.get());
        }
        log.info("bound {} to vfio-pci for slice {}", describe(record), sliceId);
        return Observation.readyPassthrough();
    }

    /** The GPU's identity while NVML still sees it, and its enabled VFs; {@code functions} from the checks. */
    private PassthroughRecord newRecord(UUID sliceId, String gpu, List<PassthroughRecord.Function> functions) {
        String uuid = null;
        String name = null;
        long memoryMib = 0;
        if (nvml != null) {
            try {
                GpuInfo info = nvml.gpu(gpu);
                uuid = info.uuid();
                name = info.name();
                memoryMib = info.memoryTotalMib();
            }
            catch (NvmlException e) {
                log.info("NVML does not know GPU {} ({}): its passthrough record has no UUID", gpu, e.codeName());
            }
        }
        int vfs = sysfs.hasSriov(gpu) ? sysfs.numVfs(gpu) : 0;
        return new PassthroughRecord(sliceId, gpu, uuid, name, memoryMib, vfs, functions);
    }

    /**
     * After a reboot, without the server: binds every recorded function to vfio-pci again (driver_override does not
     * survive a reboot), with the same checks as a new binding. Idempotent; one line per record and a summary through
     * {@code out}.
     */
    public Restorer.Result restore(Consumer<String> out) {
        int restored = 0;
        int present = 0;
        int failed = 0;
        for (PassthroughRecord r : store.all()) {
            String what = r.sliceId() + " (" + String.join(", ", r.addresses()) + ")";
            try {
                if (binding.allBound(r.functions())) {
                    out.accept("ok       passthrough " + what + " already bound to vfio-pci");
                    present++;
                    continue;
                }
                Optional<String> problem = checks.check(r.gpuPciAddress(), true).refusal();
                if (problem.isEmpty()) {
                    int vfs = sysfs.hasSriov(r.gpuPciAddress()) ? sysfs.numVfs(r.gpuPciAddress()) : 0;
                    problem = binding.bind(r.gpuPciAddress(), r.functions(), vfs);
                }
                if (problem.isPresent()) {
                    out.accept("FAILED   passthrough " + what + ": " + problem.get());
                    failed++;
                    continue;
                }
                out.accept("restored passthrough " + what + ": bound to vfio-pci");
                restored++;
            }
            catch (UnsafeSysfsPathException e) {
                out.accept("FAILED   passthrough " + what + ": " + e.getMessage());
                failed++;
            }
        }
        out.accept("restore: " + restored + " passthrough binding(s) restored, " + present + " already present, " + failed
                + " failed");
        return new Restorer.Result(0, restored, present, failed);
    }

    private static String describe(PassthroughRecord record) {
        return record.functions().size() == 1 ? "GPU " + record.gpuPciAddress()
                : "GPU " + record.gpuPciAddress() + " with " + String.join(", ", record.addresses().subList(1, record.addresses().size()));
    }

    boolean hasRecords() {
        return !store.all().isEmpty();
    }

    /** NVIDIA GPUs bound to vfio-pci without a record of this agent: reported to the server, never unbound. */
    public List<String> foreignBindings() {
        Set<String> recorded = new HashSet<>();
        for (PassthroughRecord record : store.all()) {
            recorded.add(record.gpuPciAddress());
        }
        List<String> foreign = new ArrayList<>();
        for (String gpu : drivers.nvidiaGpus()) {
            if (drivers.isBoundTo(gpu, PciDrivers.VFIO_PCI) && !recorded.contains(gpu)) {
                foreign.add("GPU " + gpu + " bound to vfio-pci (not by this agent)");
                if (foreignLogged.add(gpu)) {
                    log.info("GPU {} is bound to vfio-pci by someone else: left alone, never unbound", gpu);
                }
            }
        }
        return List.copyOf(foreign);
    }
}
