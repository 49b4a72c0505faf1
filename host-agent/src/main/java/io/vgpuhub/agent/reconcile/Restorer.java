package io.vgpuhub.agent.reconcile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.vgpuhub.agent.sysfs.KernelWriteException;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.UnsafeSysfsPathException;

/**
 * Brings the host back to its recorded slices after a reboot, without the server: enables the VFs of every recorded
 * slice's GPU whose {@code sriov_numvfs} is 0 (with {@code sriov-manage -e <pf>} where NVIDIA's script is installed,
 * else by writing {@code sriov_totalvfs} to {@code sriov_numvfs}), then recreates every recorded mdev that is missing
 * and, for vendor-VFIO slices, writes the recorded type id to each VF's {@code nvidia/current_vgpu_type} again.
 * Idempotent: what exists is left as it is. Reports one line per action through the given sink.
 */
public final class Restorer {

    /** NVIDIA's script, shipped with the vGPU Manager; NVIDIA asks that VFs be enabled only through it. */
    public static final Path SRIOV_MANAGE = Path.of("/usr/lib/nvidia/sriov-manage");

    /** What a restore did; {@link #ok()} when nothing failed. */
    public record Result(int vfsEnabled, int restored, int alreadyPresent, int failed) {

        public boolean ok() {
            return failed == 0;
        }

        public String summary() {
            return "restore: " + restored + " mdev(s) restored, " + alreadyPresent + " already present, " + failed
                    + " failed; VFs enabled on " + vfsEnabled + " GPU(s)";
        }
    }

    private final Sysfs sysfs;
    private final SliceStore store;
    private final SriovFunctions vfs;
    private final Optional<MigRestorer> mig;

    /**
     * @param sriovManage NVIDIA's {@code sriov-manage} to enable VFs with, or empty to write {@code sriov_numvfs}
     *        directly (simulated hosts, hosts without the vGPU Manager's script)
     */
    public Restorer(Sysfs sysfs, SliceStore store, Optional<Path> sriovManage) {
        this(sysfs, store, sriovManage, Optional.empty());
    }

    /** @param mig restores the recorded MIG instances after the mdevs, or empty where the host has no MIG records */
    public Restorer(Sysfs sysfs, SliceStore store, Optional<Path> sriovManage, Optional<MigRestorer> mig) {
        this.sysfs = sysfs;
        this.store = store;
        this.vfs = new SriovFunctions(sysfs, sriovManage);
        this.mig = mig;
    }

    /** {@link #SRIOV_MANAGE} when it is an executable file on this host. */
    public static Optional<Path> installedSriovManage() {
        return Files.isExecutable(SRIOV_MANAGE) ? Optional.of(SRIOV_MANAGE) : Optional.empty();
    }

    public Result restore(Consumer<String> out) {
        int migrated = store.migrate();
        if (migrated > 0) {
            out.accept("migrated " + migrated + " slice record(s): wrote their mdevctl definitions");
        }
        List<SliceRecord> records = store.all();
        int failed = 0;
        int enabled = 0;
        Set<String> failedPfs = new LinkedHashSet<>();
        for (String pf : physicalFunctions(records)) {
            try {
                if (!sysfs.hasSriov(pf)) {
                    continue;
                }
                int current = sysfs.numVfs(pf);
                if (current != 0) {
                    out.accept("ok       " + pf + ": " + current + " VF(s) already enabled");
                    continue;
                }
                String how = vfs.enable(pf);
                out.accept("enabled  " + pf + ": " + sysfs.numVfs(pf) + " VF(s) (" + how + ")");
                enabled++;
            }
            catch (KernelWriteException e) {
                out.accept("FAILED   " + pf + ": cannot enable VFs: " + e.reason());
                failedPfs.add(pf);
            }
            catch (SriovFunctions.SriovException | UnsafeSysfsPathException e) {
                out.accept("FAILED   " + pf + ": cannot enable VFs: " + e.getMessage());
                failedPfs.add(pf);
            }
        }
        failed += failedPfs.size();

        Map<java.util.UUID, Mdev> present = new HashMap<>();
        for (Mdev mdev : sysfs.mdevs()) {
            present.put(mdev.uuid(), mdev);
        }
        int restored = 0;
        int alreadyPresent = 0;
        for (SliceRecord r : records) {
            if (r.usesVendorVfio()) {
                switch (restoreVendorVfio(r, out)) {
                    case RESTORED -> restored++;
                    case PRESENT -> alreadyPresent++;
                    case FAILED -> failed++;
                }
                continue;
            }
            String what = r.sliceId() + " (" + r.mdevTypeId() + (r.vgpuType() != null ? " " + r.vgpuType() : "") + " on " + r.parent() + ")";
            Mdev existing = present.get(r.sliceId());
            if (existing != null) {
                if (existing.parent().equals(r.parent()) && existing.typeId().equals(r.mdevTypeId())) {
                    out.accept("ok       mdev " + what + " already present");
                    alreadyPresent++;
                }
                else {
                    out.accept("FAILED   mdev " + what + ": the UUID exists as " + existing.typeId() + " on " + existing.parent());
                    failed++;
                }
                continue;
            }
            try {
                sysfs.createMdev(r.parent(), r.mdevTypeId(), r.sliceId());
                out.accept("restored mdev " + what);
                restored++;
            }
            catch (KernelWriteException e) {
                out.accept("FAILED   mdev " + what + ": " + e.reason());
                failed++;
            }
            catch (UnsafeSysfsPathException e) {
                out.accept("FAILED   mdev " + what + ": " + e.getMessage());
                failed++;
            }
        }
        Result result = new Result(enabled, restored, alreadyPresent, failed);
        out.accept(result.summary());
        if (mig.isPresent()) {
            MigRestorer.Result migResult = mig.get().restore(out);
            result = new Result(enabled, restored, alreadyPresent, failed + migResult.failed());
        }
        return result;
    }

    private enum Outcome { RESTORED, PRESENT, FAILED }

    /**
     * A vendor-VFIO slice: writes its type id to its VF's {@code nvidia/current_vgpu_type} again (VFs come back with 0
     * after a reboot and {@code sriov-manage -e}); a VF that holds another type is left alone and counts as failed.
     */
    private Outcome restoreVendorVfio(SliceRecord r, Consumer<String> out) {
        String what = r.sliceId() + " (" + r.mdevTypeId()
                + (r.vgpuType() != null ? " " + r.vgpuType() : "") + " on VF " + r.parent() + ")";
        try {
            if (!sysfs.hasVendorVfio(r.parent())) {
                out.accept("FAILED   vGPU " + what + ": the VF has no nvidia/current_vgpu_type");
                return Outcome.FAILED;
            }
            int current = sysfs.currentVgpuType(r.parent());
            if (current == r.vgpuTypeNumber()) {
                out.accept("ok       vGPU " + what + " already present");
                return Outcome.PRESENT;
            }
            if (current != 0) {
                out.accept("FAILED   vGPU " + what + ": the VF runs vGPU type " + current);
                return Outcome.FAILED;
            }
            sysfs.setVgpuType(r.parent(), r.vgpuTypeNumber());
            out.accept("restored vGPU " + what);
            return Outcome.RESTORED;
        }
        catch (KernelWriteException e) {
            out.accept("FAILED   vGPU " + what + ": " + e.reason());
            return Outcome.FAILED;
        }
        catch (UnsafeSysfsPathException | IllegalStateException e) {
            out.accept("FAILED   vGPU " + what + ": " + e.getMessage());
            return Outcome.FAILED;
        }
    }

    /** The GPUs of VF-parented records, in record order. */
    private static List<String> physicalFunctions(List<SliceRecord> records) {
        Set<String> pfs = new LinkedHashSet<>();
        for (SliceRecord r : records) {
            if (r.gpuPciAddress() != null && !r.gpuPciAddress().equals(r.parent())) {
                pfs.add(r.gpuPciAddress());
            }
        }
        return new ArrayList<>(pfs);
    }

}
