package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.MigModeChange;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.Observation;
import io.vgpuhub.agent.server.ServerClient;

/**
 * Makes the host's MIG GPU instances match the server's desired {@code MIG} slices: one GPU instance (with its
 * full-size compute instance) per slice, at exactly the profile and placement the server chose. The placement is
 * recorded ({@link MigStore}) before the instance is created and completed with its GI ID before READY is reported.
 * Only recorded instances are ever destroyed; foreign ones are left alone. MIG mode is switched on only for a GPU that
 * holds no instance (NVML would refuse otherwise); on Ampere the switch waits for a GPU reset and the slice is FAILED
 * until then. READY carries the slice ID in {@code mdevUuid} (the Observation contract); the MIG device UUID is logged.
 */
public final class MigReconciler {

    public static final String KIND = "MIG";
    public static final String PENDING_RESET = "MIG mode change pending a GPU reset";

    private static final Logger log = LoggerFactory.getLogger(MigReconciler.class);

    private final Mig mig;
    private final MigStore store;
    private final ServerClient server;
    private final Map<UUID, Observation> reported = new ConcurrentHashMap<>();

    public MigReconciler(Mig mig, MigStore store, ServerClient server) {
        this.mig = mig;
        this.store = store;
        this.server = server;
    }

    /**
     * Reconciles the {@code MIG} slices of {@code desired} (and releases recorded ones no longer desired) and returns
     * the other slices, for the mdev reconciler.
     */
    public List<DesiredState.Slice> reconcile(List<DesiredState.Slice> desired) {
        List<DesiredState.Slice> others = new ArrayList<>();
        Set<UUID> wanted = new HashSet<>();
        for (DesiredState.Slice slice : desired) {
            if (!KIND.equals(slice.kind())) {
                others.add(slice);
                continue;
            }
            UUID sliceId;
            try {
                sliceId = UUID.fromString(slice.sliceId());
            }
            catch (IllegalArgumentException | NullPointerException e) {
                log.warn("ignoring desired MIG slice with a malformed id '{}'", slice.sliceId());
                continue;
            }
            wanted.add(sliceId);
            report(sliceId, ensureGuarded(sliceId, slice));
        }
        for (MigRecord record : store.all()) {
            if (!wanted.contains(record.sliceId())) {
                release(record);
            }
        }
        return others;
    }

    private Observation ensureGuarded(UUID sliceId, DesiredState.Slice slice) {
        try {
            return ensure(sliceId, slice);
        }
        catch (NvmlException e) {
            return Observation.failed(e.codeName() + ": " + e.getMessage());
        }
    }

    private Observation ensure(UUID sliceId, DesiredState.Slice slice) {
        String gpu = slice.gpuPciAddress();
        if (gpu == null || slice.migProfile() == null || slice.migStartSlot() == null) {
            return Observation.failed("a MIG slice needs gpuPciAddress, migProfile and migStartSlot");
        }
        Optional<GpuInstanceProfile> found = MigProfiles.find(mig.profiles(gpu), slice.migProfile());
        if (found.isEmpty()) {
            return Observation.failed("no MIG profile named " + slice.migProfile() + " on " + gpu);
        }
        GpuInstanceProfile profile = found.get();
        int start = slice.migStartSlot();
        List<Placement> allowed = mig.possiblePlacements(gpu, profile.id());
        Optional<Placement> placement = allowed.stream().filter(p -> p.start() == start).findFirst();
        if (placement.isEmpty()) {
            return Observation.failed("NVML_ERROR_INVALID_ARGUMENT: " + slice.migProfile() + " cannot start at memory slice "
                    + start + " on " + gpu + " (allowed starts " + allowed.stream().map(p -> String.valueOf(p.start())).toList() + ")");
        }
        int size = placement.get().size();
        if (slice.migSize() != null && slice.migSize() != size) {
            return Observation.failed("a " + slice.migProfile() + " placement is " + size + " memory slices, not " + slice.migSize());
        }
        MigRecord wantedRecord = new MigRecord(sliceId, gpu, profile.id(), profile.name(), start, size, -1);
        Optional<MigRecord> recorded = store.find(sliceId);
        if (recorded.isPresent() && !samePlacement(recorded.get(), wantedRecord)) {
            MigRecord r = recorded.get();
            return Observation.failed("slice " + sliceId + " already holds " + r.shortProfileName() + " at " + r.placement()
                    + " on " + r.gpuPciAddress() + "; release it before placing it elsewhere");
        }

        MigMode mode = mig.mode(gpu);
        if (!mode.current()) {
            if (mode.pending()) {
                return Observation.failed(PENDING_RESET + " (" + gpu + ": MIG is enabled pending; reset the GPU)");
            }
            MigModeChange change = mig.setMode(gpu, true);
            if (change == MigModeChange.PENDING_RESET) {
                log.warn("MIG enabled on {} pending a GPU reset (Ampere): reset the GPU (nvidia-smi -r) to apply it", gpu);
                return Observation.failed(PENDING_RESET + " (" + gpu + ": MIG enabled, takes effect after a GPU reset)");
            }
            log.info("MIG enabled on {} ({})", gpu, change);
        }
        else if (!mode.pending()) {
            return Observation.failed(PENDING_RESET + " (" + gpu + ": MIG is being disabled)");
        }

        List<GpuInstance> instances = mig.instances(gpu);
        Optional<GpuInstance> atPlacement = instances.stream()
                .filter(i -> i.placement().start() == start && i.profileId() == profile.id()).findFirst();
        if (atPlacement.isPresent()) {
            GpuInstance instance = atPlacement.get();
            if (recorded.isEmpty() || !recorded.get().matches(instance)) {
                return Observation.failed("NVML_ERROR_INSUFFICIENT_RESOURCES: GPU instance " + instance.id() + " ("
                        + profile.name() + " at " + start + ":" + size + ") on " + gpu + " was not created for this slice");
            }
            if (recorded.get().gpuInstanceId() != instance.id()) {
                store.save(recorded.get().withGpuInstanceId(instance.id()));
            }
            return ready(sliceId, gpu, instance);
        }

        store.save(recorded.orElse(wantedRecord).withGpuInstanceId(-1));
        GpuInstance created;
        try {
            created = mig.create(gpu, profile.id(), start);
        }
        catch (NvmlException e) {
            if (recorded.isEmpty()) {
                store.delete(sliceId);
            }
            return Observation.failed(e.codeName() + ": cannot create " + profile.name() + " at " + start + ":" + size
                    + " on " + gpu + ": " + e.getMessage());
        }
        store.save(wantedRecord.withGpuInstanceId(created.id()));
        log.info("created GPU instance {} ({} at {}:{}) on {} for slice {}", created.id(), profile.name(), start, size, gpu, sliceId);
        return ready(sliceId, gpu, created);
    }

    private Observation ready(UUID sliceId, String gpu, GpuInstance instance) {
        if (!Observation.ready(sliceId).equals(reported.get(sliceId))) {
            log.info("slice {} READY: GPU instance {} on {}, MIG device {}", sliceId, instance.id(), gpu,
                    String.join(",", instance.migDeviceUuids()));
        }
        return Observation.ready(sliceId);
    }

    private static boolean samePlacement(MigRecord a, MigRecord b) {
        return a.gpuPciAddress().equals(b.gpuPciAddress()) && a.profileId() == b.profileId() && a.start() == b.start();
    }

    /**
     * Destroys the recorded instance of a slice no longer desired, then reports ABSENT and drops the record. An instance
     * at the placement with another GI ID than recorded is not ours (ours vanished, someone else made that one).
     */
    private void release(MigRecord record) {
        String gpu = record.gpuPciAddress();
        try {
            Optional<GpuInstance> instance = mig.instances(gpu).stream()
                    .filter(i -> record.matches(i) && (record.gpuInstanceId() < 0 || record.gpuInstanceId() == i.id()))
                    .findFirst();
            if (instance.isPresent()) {
                mig.destroy(gpu, instance.get().id());
                log.info("destroyed GPU instance {} ({} at {}) on {} of released slice {}", instance.get().id(),
                        record.profileName(), record.placement(), gpu, record.sliceId());
            }
        }
        catch (NvmlException e) {
            log.warn("cannot destroy the GPU instance of released slice {} ({} at {} on {}): {}", record.sliceId(),
                    record.profileName(), record.placement(), gpu, e.getMessage());
            return;
        }
        server.reportObserved(record.sliceId(), Observation.absent());
        reported.remove(record.sliceId());
        store.delete(record.sliceId());
    }

    private void report(UUID sliceId, Observation observation) {
        if (observation.equals(reported.get(sliceId))) {
            return;
        }
        if (!"READY".equals(observation.state())) {
            log.warn("slice {} {}: {}", sliceId, observation.state(), observation.reason());
        }
        server.reportObserved(sliceId, observation);
        reported.put(sliceId, observation);
    }
}
