package io.vgpuhub.agent.nvml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * MIG through NVML: mode, GPU-instance profiles and placements, and GPU instances each with its full-size compute
 * instance (what {@code nvidia-smi mig -cgi <id> -C} makes). GPUs are named by PCI address (sysfs or NVML form).
 * Obtained from {@link Nvml#mig()} and usable while that facade is open. Errors are {@link NvmlException}s.
 */
public final class Mig {

    private static final int NOT_SUPPORTED = 3;
    private static final int INVALID_ARGUMENT = 2;
    private static final int NOT_FOUND = 6;

    private final NvmlLibrary nvml;
    private final NvmlCalls calls;

    Mig(NvmlLibrary nvml) {
        this.nvml = nvml;
        this.calls = new NvmlCalls(nvml);
    }

    public MigMode mode(String pciAddress) {
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        calls.check("nvmlDeviceGetMigMode", nvml.nvmlDeviceGetMigMode(calls.device(pciAddress), current, pending));
        return new MigMode(current.getValue() == NvmlLibrary.NVML_DEVICE_MIG_ENABLE,
                pending.getValue() == NvmlLibrary.NVML_DEVICE_MIG_ENABLE);
    }

    /** Enables or disables MIG. NVML refuses (IN_USE) while GPU instances exist. */
    public MigModeChange setMode(String pciAddress, boolean enabled) {
        MigMode before = mode(pciAddress);
        if (before.current() == enabled && before.pending() == enabled) {
            return MigModeChange.UNCHANGED;
        }
        IntByReference activation = new IntByReference();
        int mode = enabled ? NvmlLibrary.NVML_DEVICE_MIG_ENABLE : NvmlLibrary.NVML_DEVICE_MIG_DISABLE;
        calls.check("nvmlDeviceSetMigMode", nvml.nvmlDeviceSetMigMode(calls.device(pciAddress), mode, activation));
        calls.check("nvmlDeviceSetMigMode (activation)", activation.getValue());
        return mode(pciAddress).current() == enabled ? MigModeChange.APPLIED : MigModeChange.PENDING_RESET;
    }

    /** Every GPU-instance profile the GPU supports, found by trying each profile index as go-nvlib does. */
    public List<GpuInstanceProfile> profiles(String pciAddress) {
        Pointer device = calls.device(pciAddress);
        List<GpuInstanceProfile> profiles = new ArrayList<>();
        for (int index = 0; index < NvmlLibrary.NVML_GPU_INSTANCE_PROFILE_COUNT; index++) {
            NvmlLibrary.NvmlGpuInstanceProfileInfoV2 info = new NvmlLibrary.NvmlGpuInstanceProfileInfoV2();
            int result = nvml.nvmlDeviceGetGpuInstanceProfileInfoV(device, index, info);
            if (result == NOT_SUPPORTED || result == INVALID_ARGUMENT) {
                continue;
            }
            calls.check("nvmlDeviceGetGpuInstanceProfileInfoV", result);
            profiles.add(new GpuInstanceProfile(index, info.id, NvmlCalls.cString(info.name), info.sliceCount, info.instanceCount,
                    info.multiprocessorCount, info.memorySizeMB, info.copyEngineCount, info.decoderCount,
                    info.encoderCount, info.jpegCount, info.ofaCount));
        }
        return List.copyOf(profiles);
    }

    /** Where instances of a profile may start, whether or not MIG is enabled. */
    public List<Placement> possiblePlacements(String pciAddress, int profileId) {
        return placements(calls.device(pciAddress), profileId);
    }

    /** How many more instances of the profile fit next to the existing ones. */
    public int remainingCapacity(String pciAddress, int profileId) {
        IntByReference count = new IntByReference();
        calls.check("nvmlDeviceGetGpuInstanceRemainingCapacity",
                nvml.nvmlDeviceGetGpuInstanceRemainingCapacity(calls.device(pciAddress), profileId, count));
        return count.getValue();
    }

    /**
     * Creates a GPU instance of the profile at memory slice {@code start} and its full-size compute instance. If the
     * compute instance cannot be made the GPU instance is destroyed again.
     */
    public GpuInstance create(String pciAddress, int profileId, int start) {
        Pointer device = calls.device(pciAddress);
        List<Placement> allowed = placements(device, profileId);
        NvmlLibrary.NvmlGpuInstancePlacement placement = new NvmlLibrary.NvmlGpuInstancePlacement();
        placement.start = start;
        placement.size = allowed.isEmpty() ? 0 : allowed.get(0).size();
        PointerByReference created = new PointerByReference();
        calls.check("nvmlDeviceCreateGpuInstanceWithPlacement(" + profileId + "@" + start + ")",
                nvml.nvmlDeviceCreateGpuInstanceWithPlacement(device, profileId, placement, created));
        Pointer gpuInstance = created.getValue();
        try {
            calls.check("nvmlGpuInstanceCreateComputeInstance",
                    nvml.nvmlGpuInstanceCreateComputeInstance(gpuInstance, fullSizeComputeProfile(gpuInstance), new PointerByReference()));
        }
        catch (NvmlException e) {
            nvml.nvmlGpuInstanceDestroy(gpuInstance);
            throw e;
        }
        return describe(gpuInstance, migDeviceUuids(device));
    }

    /** The GPU instances, by placement; empty while MIG is not enabled. */
    public List<GpuInstance> instances(String pciAddress) {
        Pointer device = calls.device(pciAddress);
        if (!mode(pciAddress).current()) {
            return List.of();
        }
        Map<Integer, List<String>> uuids = migDeviceUuids(device);
        List<GpuInstance> instances = new ArrayList<>();
        for (GpuInstanceProfile profile : profiles(pciAddress)) {
            Pointer[] handles = new Pointer[profile.instanceCount()];
            IntByReference count = new IntByReference();
            calls.check("nvmlDeviceGetGpuInstances", nvml.nvmlDeviceGetGpuInstances(device, profile.id(), handles, count));
            for (int i = 0; i < count.getValue(); i++) {
                instances.add(describe(handles[i], uuids));
            }
        }
        instances.sort(Comparator.comparingInt(instance -> instance.placement().start()));
        return List.copyOf(instances);
    }

    /**
     * The GPU instance with its full-size compute instance: created when it has none (an instance found after a crash
     * between the two creates, or one made with {@code nvidia-smi mig -cgi} without {@code -C}).
     */
    public GpuInstance ensureComputeInstance(String pciAddress, int gpuInstanceId) {
        Pointer device = calls.device(pciAddress);
        PointerByReference found = new PointerByReference();
        calls.check("nvmlDeviceGetGpuInstanceById(" + gpuInstanceId + ")",
                nvml.nvmlDeviceGetGpuInstanceById(device, gpuInstanceId, found));
        Pointer gpuInstance = found.getValue();
        GpuInstance instance = describe(gpuInstance, migDeviceUuids(device));
        if (!instance.migDeviceUuids().isEmpty()) {
            return instance;
        }
        calls.check("nvmlGpuInstanceCreateComputeInstance",
                nvml.nvmlGpuInstanceCreateComputeInstance(gpuInstance, fullSizeComputeProfile(gpuInstance), new PointerByReference()));
        return describe(gpuInstance, migDeviceUuids(device));
    }

    /** Destroys a GPU instance after its compute instances (NVML refuses a GPU instance that still has some). */
    public void destroy(String pciAddress, int gpuInstanceId) {
        PointerByReference found = new PointerByReference();
        calls.check("nvmlDeviceGetGpuInstanceById(" + gpuInstanceId + ")",
                nvml.nvmlDeviceGetGpuInstanceById(calls.device(pciAddress), gpuInstanceId, found));
        Pointer gpuInstance = found.getValue();
        for (NvmlLibrary.NvmlComputeInstanceProfileInfoV2 profile : computeProfiles(gpuInstance)) {
            Pointer[] handles = new Pointer[profile.instanceCount];
            IntByReference count = new IntByReference();
            calls.check("nvmlGpuInstanceGetComputeInstances",
                    nvml.nvmlGpuInstanceGetComputeInstances(gpuInstance, profile.id, handles, count));
            for (int i = 0; i < count.getValue(); i++) {
                calls.check("nvmlComputeInstanceDestroy", nvml.nvmlComputeInstanceDestroy(handles[i]));
            }
        }
        calls.check("nvmlGpuInstanceDestroy", nvml.nvmlGpuInstanceDestroy(gpuInstance));
    }

    private List<Placement> placements(Pointer device, int profileId) {
        IntByReference count = new IntByReference();
        calls.check("nvmlDeviceGetGpuInstancePossiblePlacements_v2",
                nvml.nvmlDeviceGetGpuInstancePossiblePlacements_v2(device, profileId, null, count));
        if (count.getValue() == 0) {
            return List.of();
        }
        NvmlLibrary.NvmlGpuInstancePlacement[] placements = (NvmlLibrary.NvmlGpuInstancePlacement[])
                new NvmlLibrary.NvmlGpuInstancePlacement().toArray(count.getValue());
        calls.check("nvmlDeviceGetGpuInstancePossiblePlacements_v2",
                nvml.nvmlDeviceGetGpuInstancePossiblePlacements_v2(device, profileId, placements, count));
        List<Placement> result = new ArrayList<>(count.getValue());
        for (int i = 0; i < count.getValue(); i++) {
            result.add(new Placement(placements[i].start, placements[i].size));
        }
        return List.copyOf(result);
    }

    private List<NvmlLibrary.NvmlComputeInstanceProfileInfoV2> computeProfiles(Pointer gpuInstance) {
        List<NvmlLibrary.NvmlComputeInstanceProfileInfoV2> profiles = new ArrayList<>();
        for (int index = 0; index < NvmlLibrary.NVML_COMPUTE_INSTANCE_PROFILE_COUNT; index++) {
            NvmlLibrary.NvmlComputeInstanceProfileInfoV2 info = new NvmlLibrary.NvmlComputeInstanceProfileInfoV2();
            int result = nvml.nvmlGpuInstanceGetComputeInstanceProfileInfoV(gpuInstance, index,
                    NvmlLibrary.NVML_COMPUTE_INSTANCE_ENGINE_PROFILE_SHARED, info);
            if (result == NOT_SUPPORTED || result == INVALID_ARGUMENT) {
                continue;
            }
            calls.check("nvmlGpuInstanceGetComputeInstanceProfileInfoV", result);
            profiles.add(info);
        }
        return profiles;
    }

    /** The compute-instance profile that spans the whole GPU instance. */
    private int fullSizeComputeProfile(Pointer gpuInstance) {
        int widest = -1;
        int widestSlices = 0;
        for (NvmlLibrary.NvmlComputeInstanceProfileInfoV2 profile : computeProfiles(gpuInstance)) {
            if (profile.sliceCount > widestSlices) {
                widest = profile.id;
                widestSlices = profile.sliceCount;
            }
        }
        if (widest < 0) {
            throw new NvmlException("nvmlGpuInstanceGetComputeInstanceProfileInfoV", NOT_SUPPORTED,
                    nvml.nvmlErrorString(NOT_SUPPORTED));
        }
        return widest;
    }

    private GpuInstance describe(Pointer gpuInstance, Map<Integer, List<String>> uuids) {
        NvmlLibrary.NvmlGpuInstanceInfo info = new NvmlLibrary.NvmlGpuInstanceInfo();
        calls.check("nvmlGpuInstanceGetInfo", nvml.nvmlGpuInstanceGetInfo(gpuInstance, info));
        return new GpuInstance(info.id, info.profileId, new Placement(info.placement.start, info.placement.size),
                uuids.getOrDefault(info.id, List.of()));
    }

    /** MIG device UUIDs by GPU-instance ID, from the GPU's MIG device handles. */
    private Map<Integer, List<String>> migDeviceUuids(Pointer device) {
        IntByReference max = new IntByReference();
        calls.check("nvmlDeviceGetMaxMigDeviceCount", nvml.nvmlDeviceGetMaxMigDeviceCount(device, max));
        Map<Integer, List<String>> uuids = new HashMap<>();
        for (int index = 0; index < max.getValue(); index++) {
            PointerByReference handle = new PointerByReference();
            int result = nvml.nvmlDeviceGetMigDeviceHandleByIndex(device, index, handle);
            if (result == NOT_FOUND) {
                break;
            }
            calls.check("nvmlDeviceGetMigDeviceHandleByIndex", result);
            IntByReference gpuInstanceId = new IntByReference();
            calls.check("nvmlDeviceGetGpuInstanceId", nvml.nvmlDeviceGetGpuInstanceId(handle.getValue(), gpuInstanceId));
            byte[] uuid = new byte[NvmlLibrary.NVML_DEVICE_UUID_V2_BUFFER_SIZE];
            calls.check("nvmlDeviceGetUUID", nvml.nvmlDeviceGetUUID(handle.getValue(), uuid, uuid.length));
            uuids.computeIfAbsent(gpuInstanceId.getValue(), id -> new ArrayList<>()).add(NvmlCalls.cString(uuid));
        }
        return uuids;
    }

}
