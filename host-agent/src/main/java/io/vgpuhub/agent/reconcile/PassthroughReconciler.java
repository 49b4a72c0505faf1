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
 * means: X holds no mdev, vGPU or MIG instance (else FAILED, nothing touched), X is bound to vfio-pci
 * ({@link VfioBinding}), recorded in {@link PassthroughStore} before the binding, and READY (without a UUID: the VM
 * attaches the PCI address). A slice no longer desired gets its GPU back to nvidia, its record deleted and ABSENT.
 * Only recorded bindings are ever undone: a GPU bound to vfio-pci by someone else is reported as a foreign device and
 * left as it is, and a slice desired on it fails.
 */
public final class PassthroughReconciler {

    private static final Logger log = LoggerFactory.getLogger(PassthroughReconciler.class);

    private final PassthroughStore store;
    private final Nvml nvml;
    private final VfioBinding binding;
    private final PciDrivers drivers;
    private final ObservationReporter reporter;
    private final Set<String> foreignLogged = ConcurrentHashMap.newKeySet();

    /**
     * @param nvml reads the GPU's identity before binding (NVML no longer sees it after), or null
     * @param devices what the GPUs hold (a GPU with devices is never passed through)
     * @param sriovManage NVIDIA's {@code sriov-manage}, to disable and enable VFs with; empty to write {@code sriov_numvfs}
     * @param server where observations go; null for {@link #restore} only
     */
    public PassthroughReconciler(Sysfs sysfs, PassthroughStore store, ServerClient server, Nvml nvml, GpuDevices devices,
            Optional<Path> sriovManage) {
        this.store = store;
        this.reporter = new ObservationReporter(server, store::delete, log);
        this.nvml = nvml;
        this.binding = new VfioBinding(sysfs, devices, new SriovFunctions(sysfs, sriovManage));
        this.drivers = binding.drivers();
    }

    /** Gives back the GPUs of recorded slices that are not in {@code wanted}; ABSENT once a GPU is back. */
    void release(Set<UUID> wanted) {
        for (PassthroughRecord record : store.all()) {
            if (wanted.contains(record.sliceId())) {
                continue;
            }
            Optional<String> problem = binding.release(record.gpuPciAddress(), record.vfsBefore());
            if (problem.isPresent()) {
                log.warn("cannot end the passthrough of released slice {}: {}", record.sliceId(), problem.get());
                continue;
            }
            log.info("gave GPU {} back from vfio-pci: slice {} released", record.gpuPciAddress(), record.sliceId());
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
        if (drivers.isBoundTo(gpu, PciDrivers.VFIO_PCI)) {
            if (recorded.isPresent()) {
                return Observation.readyPassthrough();
            }
            return Observation.failed("GPU " + gpu + " is bound to vfio-pci by someone else, not by this agent: left alone");
        }
        Optional<String> refusal = binding.refusal(gpu);
        if (refusal.isPresent()) {
            return Observation.failed(refusal.get());
        }
        PassthroughRecord record = recorded.orElseGet(() -> newRecord(sliceId, gpu));
        store.save(record);
        Optional<String> failure = binding.bind(gpu, record.vfsBefore());
        if (failure.isPresent()) {
            if (recorded.isEmpty()) {
                store.delete(sliceId);
            }
            return Observation.failed(failure.get());
        }
        log.info("bound GPU {} to vfio-pci for slice {}", gpu, sliceId);
        return Observation.readyPassthrough();
    }

    /** The GPU's identity while NVML still sees it, and its enabled VFs. */
    private PassthroughRecord newRecord(UUID sliceId, String gpu) {
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
        Sysfs sysfs = binding.sysfs();
        int vfs = sysfs.hasSriov(gpu) ? sysfs.numVfs(gpu) : 0;
        return new PassthroughRecord(sliceId, gpu, uuid, name, memoryMib, vfs);
    }

    /**
     * After a reboot, without the server: binds every recorded GPU to vfio-pci again (driver_override does not survive a
     * reboot). Idempotent; one line per record and a summary through {@code out}.
     */
    public Restorer.Result restore(Consumer<String> out) {
        int restored = 0;
        int present = 0;
        int failed = 0;
        for (PassthroughRecord r : store.all()) {
            String what = r.sliceId() + " (" + r.gpuPciAddress() + ")";
            try {
                if (drivers.isBoundTo(r.gpuPciAddress(), PciDrivers.VFIO_PCI)) {
                    out.accept("ok       passthrough " + what + " already bound to vfio-pci");
                    present++;
                    continue;
                }
                Optional<String> problem = binding.refusal(r.gpuPciAddress());
                if (problem.isEmpty()) {
                    int vfs = binding.sysfs().hasSriov(r.gpuPciAddress()) ? binding.sysfs().numVfs(r.gpuPciAddress()) : 0;
                    problem = binding.bind(r.gpuPciAddress(), vfs);
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
