package io.vgpuhub.agent.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.Observation;
import io.vgpuhub.agent.server.ServerClient;

/**
 * Makes the host's MIG GPU instances match the server's desired {@code MIG} slices: one GPU instance (with its
 * full-size compute instance) per slice, at exactly the profile and placement the server chose. The placement is
 * recorded ({@link MigStore}) before the instance is created and completed with its GI ID before READY is reported.
 * Only recorded instances are ever destroyed; foreign ones are left alone. MIG mode itself is switched by
 * {@link GpuModes} (only while the GPU holds nothing); a slice on a GPU whose MIG mode is not on yet fails with the
 * reason (a pending reset on Ampere, devices on the GPU, the operator's mode). READY carries the MIG device UUID.
 */
public final class MigReconciler {

    public static final String PENDING_RESET = "MIG mode change pending a GPU reset";

    private static final Logger log = LoggerFactory.getLogger(MigReconciler.class);

    private final Mig mig;
    private final MigStore store;
    private final ObservationReporter reporter;

    public MigReconciler(Mig mig, MigStore store, ServerClient server) {
        this.mig = mig;
        this.store = store;
        this.reporter = new ObservationReporter(server, store::delete, log);
    }

    Mig mig() {
        return mig;
    }

    /** Destroys the instances of recorded slices that are not in {@code wanted}, reporting each ABSENT. */
    void release(Set<UUID> wanted) {
        for (MigRecord record : store.all()) {
            if (!wanted.contains(record.sliceId())) {
                release(record);
            }
        }
    }

    /**
     * Makes an instance for every desired MIG slice and reports each (only when its observation changed).
     *
     * @param modes the operator's mode per GPU (a GPU in another mode gets no MIG slice)
     * @param modeProblems why a GPU's MIG mode is not on yet, from {@link GpuModes}
     */
    void ensure(Map<UUID, DesiredState.Slice> slices, Map<String, String> modes, Map<String, String> modeProblems) {
        for (Map.Entry<UUID, DesiredState.Slice> entry : slices.entrySet()) {
            reporter.report(entry.getKey(), ensureGuarded(entry.getKey(), entry.getValue(), modes, modeProblems));
        }
    }

    private Observation ensureGuarded(UUID sliceId, DesiredState.Slice slice, Map<String, String> modes,
            Map<String, String> modeProblems) {
        try {
            return ensure(sliceId, slice, modes, modeProblems);
        }
        catch (NvmlException e) {
            return Observation.failed(e.codeName() + ": " + e.getMessage());
        }
    }

    private Observation ensure(UUID sliceId, DesiredState.Slice slice, Map<String, String> modes, Map<String, String> modeProblems) {
        String gpu = slice.gpuPciAddress();
        if (gpu == null || slice.migProfile() == null || slice.migStartSlot() == null) {
            return Observation.failed("a MIG slice needs gpuPciAddress, migProfile and migStartSlot");
        }
        String mode = modes.get(gpu);
        if (mode != null && !DesiredState.MIG.equals(mode)) {
            return Observation.failed("the operator set GPU " + gpu + " to mode " + mode + "; a MIG slice needs mode MIG");
        }
        MigMode migMode = mig.mode(gpu);
        if (!migMode.current() || !migMode.pending()) {
            String problem = modeProblems.get(gpu);
            if (problem != null) {
                return Observation.failed(problem);
            }
            return Observation.failed(migMode.current() ? PENDING_RESET + " (" + gpu + ": MIG is being disabled)"
                    : PENDING_RESET + " (" + gpu + ": MIG is not enabled)");
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

    /** READY with the MIG device's UUID; an instance without its compute instance (a crash between the two) gets it now. */
    private Observation ready(UUID sliceId, String gpu, GpuInstance instance) {
        GpuInstance complete = instance.migDeviceUuids().isEmpty() ? mig.ensureComputeInstance(gpu, instance.id()) : instance;
        Observation ready = Observation.readyMig(complete.migDeviceUuids().get(0));
        if (!reporter.alreadyReported(sliceId, ready)) {
            log.info("slice {} READY: GPU instance {} on {}, MIG device {}", sliceId, complete.id(), gpu, ready.migDeviceUuid());
        }
        return ready;
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
        reporter.reportAbsent(record.sliceId());
    }
}
