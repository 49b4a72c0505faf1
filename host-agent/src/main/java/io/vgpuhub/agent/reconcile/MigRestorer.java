package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.MigModeChange;
import io.vgpuhub.agent.nvml.NvmlException;

/**
 * The MIG part of a restore: GPU and compute instances never survive a reboot, and on Hopper neither does MIG mode. For
 * every GPU with recorded MIG slices it enables MIG where it is off (Hopper applies at once; Ampere only after a GPU
 * reset, so those slices fail until then), then recreates each recorded GPU instance at its recorded placement,
 * largest first (smaller instances placed first can block bigger ones), and records the new GI ID. Instances already
 * there are left as they are. One line per action.
 */
public final class MigRestorer {

    /** What the MIG restore did. */
    public record Result(int modesEnabled, int restored, int alreadyPresent, int failed) {

        public String summary() {
            return "restore: " + restored + " MIG instance(s) restored, " + alreadyPresent + " already present, " + failed
                    + " failed; MIG enabled on " + modesEnabled + " GPU(s)";
        }
    }

    private final Mig mig;
    private final MigStore store;

    public MigRestorer(Mig mig, MigStore store) {
        this.mig = mig;
        this.store = store;
    }

    public Result restore(Consumer<String> out) {
        Map<String, List<MigRecord>> byGpu = new LinkedHashMap<>();
        for (MigRecord r : store.all()) {
            byGpu.computeIfAbsent(r.gpuPciAddress(), g -> new ArrayList<>()).add(r);
        }
        int enabled = 0;
        int restored = 0;
        int present = 0;
        int failed = 0;
        for (Map.Entry<String, List<MigRecord>> entry : byGpu.entrySet()) {
            String gpu = entry.getKey();
            List<MigRecord> records = new ArrayList<>(entry.getValue());
            records.sort(Comparator.comparingInt(MigRecord::size).reversed().thenComparingInt(MigRecord::start));
            String modeProblem;
            try {
                MigMode mode = mig.mode(gpu);
                modeProblem = null;
                if (!mode.current()) {
                    if (mode.pending()) {
                        modeProblem = MigReconciler.PENDING_RESET + " (MIG enabled pending on " + gpu + ")";
                    }
                    else {
                        MigModeChange change = mig.setMode(gpu, true);
                        if (change == MigModeChange.PENDING_RESET) {
                            out.accept("enabled  MIG on " + gpu + " pending a GPU reset (Ampere): reset the GPU, then restore again");
                            modeProblem = MigReconciler.PENDING_RESET;
                        }
                        else {
                            out.accept("enabled  MIG on " + gpu);
                            enabled++;
                        }
                    }
                }
            }
            catch (NvmlException e) {
                modeProblem = "cannot enable MIG on " + gpu + ": " + e.codeName();
            }
            for (MigRecord r : records) {
                String what = r.sliceId() + " (" + r.shortProfileName() + " at " + r.placement() + " on " + gpu + ")";
                if (modeProblem != null) {
                    out.accept("FAILED   mig " + what + ": " + modeProblem);
                    failed++;
                    continue;
                }
                try {
                    Optional<GpuInstance> existing = mig.instances(gpu).stream().filter(i -> r.matches(i)).findFirst();
                    if (existing.isPresent()) {
                        if (existing.get().id() != r.gpuInstanceId()) {
                            store.save(r.withGpuInstanceId(existing.get().id()));
                        }
                        out.accept("ok       mig " + what + " already present as GPU instance " + existing.get().id());
                        present++;
                        continue;
                    }
                    GpuInstance created = mig.create(gpu, r.profileId(), r.start());
                    store.save(r.withGpuInstanceId(created.id()));
                    out.accept("restored mig " + what + " as GPU instance " + created.id() + " "
                            + String.join(",", created.migDeviceUuids()));
                    restored++;
                }
                catch (NvmlException e) {
                    out.accept("FAILED   mig " + what + ": " + e.codeName() + " (" + e.getMessage() + ")");
                    failed++;
                }
            }
        }
        Result result = new Result(enabled, restored, present, failed);
        out.accept(result.summary());
        return result;
    }
}
