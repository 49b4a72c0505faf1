package io.vgpuhub.agent.nvml;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * vGPU types and active vGPUs of physical GPUs through NVML (read-only). GPUs are named by PCI address (sysfs or NVML
 * form). Obtained from {@link Nvml#vgpus()} and usable while that facade is open. Errors are {@link NvmlException}s.
 */
public final class Vgpus {

    private static final int INVALID_ARGUMENT = 2;
    private static final int NOT_FOUND = 6;
    private static final int INSUFFICIENT_SIZE = 7;
    private static final int DRIVER_NOT_LOADED = 9;
    private static final int EXPIRY_VALID = 2;
    private static final long MIB = 1024L * 1024L;
    /** Instances come and go between the size query and the read; NVML's own samples retry likewise. */
    private static final int SIZE_QUERY_ATTEMPTS = 5;

    private final NvmlLibrary nvml;
    private final NvmlCalls calls;

    Vgpus(NvmlLibrary nvml) {
        this.nvml = nvml;
        this.calls = new NvmlCalls(nvml);
    }

    /** Every vGPU type the GPU supports; empty for GPUs without vGPU support. */
    public List<VgpuType> supportedTypes(String pciAddress) {
        Pointer device = calls.device(pciAddress);
        return types(device, ids("nvmlDeviceGetSupportedVgpus", (count, ids) -> nvml.nvmlDeviceGetSupportedVgpus(device, count, ids)));
    }

    /** The types one more vGPU could be created of now; in equal-size mode only the size already running. */
    public List<VgpuType> creatableTypes(String pciAddress) {
        Pointer device = calls.device(pciAddress);
        return types(device, ids("nvmlDeviceGetCreatableVgpus", (count, ids) -> nvml.nvmlDeviceGetCreatableVgpus(device, count, ids)));
    }

    /** The GPU's active vGPUs; one removed while it is being described is left out. */
    public List<VgpuInstance> activeVgpus(String pciAddress) {
        Pointer device = calls.device(pciAddress);
        List<VgpuInstance> active = new ArrayList<>();
        for (int id : ids("nvmlDeviceGetActiveVgpus", (count, ids) -> nvml.nvmlDeviceGetActiveVgpus(device, count, ids))) {
            try {
                active.add(describe(id));
            }
            catch (NvmlException e) {
                if (e.code() != INVALID_ARGUMENT && e.code() != NOT_FOUND) {
                    throw e;
                }
            }
        }
        return List.copyOf(active);
    }

    /** The latest utilization sample of each of the GPU's vGPUs, keyed by mdev UUID; empty without vGPUs or samples. */
    public Map<UUID, VgpuUtilization> vgpuUtilization(String pciAddress) {
        return vgpuUtilizationSince(pciAddress, 0);
    }

    /** As {@link #vgpuUtilization(String)}, with only the samples newer than {@code lastSeenMicros}. */
    public Map<UUID, VgpuUtilization> vgpuUtilizationSince(String pciAddress, long lastSeenMicros) {
        Pointer device = calls.device(pciAddress);
        NvmlLibrary.NvmlVgpuInstanceUtilizationSample[] samples = null;
        IntByReference valueType = new IntByReference();
        IntByReference count = new IntByReference();
        for (int attempt = 0; attempt < SIZE_QUERY_ATTEMPTS; attempt++) {
            int result = nvml.nvmlDeviceGetVgpuUtilization(device, lastSeenMicros, valueType, count, samples);
            if (result == NOT_FOUND || (result == 0 && count.getValue() == 0)) {
                return Map.of();
            }
            if (result == INSUFFICIENT_SIZE) {
                samples = (NvmlLibrary.NvmlVgpuInstanceUtilizationSample[]) new NvmlLibrary.NvmlVgpuInstanceUtilizationSample()
                        .toArray(count.getValue());
                continue;
            }
            calls.check("nvmlDeviceGetVgpuUtilization", result);
            if (samples == null) {
                return Map.of();
            }
            if (valueType.getValue() != NvmlLibrary.NVML_VALUE_TYPE_UNSIGNED_INT) {
                throw new NvmlException("nvmlDeviceGetVgpuUtilization (sample value type " + valueType.getValue() + ")",
                        INVALID_ARGUMENT, "unexpected sample value type");
            }
            Map<UUID, VgpuUtilization> byMdev = new LinkedHashMap<>();
            for (int i = 0; i < count.getValue(); i++) {
                NvmlLibrary.NvmlVgpuInstanceUtilizationSample s = samples[i];
                UUID mdev = mdevUuidOrNull(s.vgpuInstance);
                if (mdev != null) {
                    byMdev.put(mdev, new VgpuUtilization(Integer.toUnsignedLong(s.vgpuInstance), s.timeStamp, low(s.smUtil),
                            low(s.memUtil), low(s.encUtil), low(s.decUtil)));
                }
            }
            return Map.copyOf(byMdev);
        }
        throw new NvmlException("nvmlDeviceGetVgpuUtilization", INSUFFICIENT_SIZE, nvml.nvmlErrorString(INSUFFICIENT_SIZE));
    }

    private VgpuInstance describe(int id) {
        byte[] uuid = new byte[NvmlLibrary.NVML_DEVICE_UUID_BUFFER_SIZE];
        calls.check("nvmlVgpuInstanceGetUUID", nvml.nvmlVgpuInstanceGetUUID(id, uuid, uuid.length));
        byte[] mdev = new byte[NvmlLibrary.NVML_DEVICE_UUID_BUFFER_SIZE];
        calls.check("nvmlVgpuInstanceGetMdevUUID", nvml.nvmlVgpuInstanceGetMdevUUID(id, mdev, mdev.length));
        IntByReference type = new IntByReference();
        calls.check("nvmlVgpuInstanceGetType", nvml.nvmlVgpuInstanceGetType(id, type));
        LongByReference fb = new LongByReference();
        calls.check("nvmlVgpuInstanceGetFbUsage", nvml.nvmlVgpuInstanceGetFbUsage(id, fb));
        NvmlLibrary.NvmlVgpuLicenseInfo license = new NvmlLibrary.NvmlVgpuLicenseInfo();
        int result = nvml.nvmlVgpuInstanceGetLicenseInfo_v2(id, license);
        VgpuLicenseState state;
        LocalDateTime expiry = null;
        if (result == DRIVER_NOT_LOADED) {
            state = VgpuLicenseState.NO_GUEST_DRIVER;
        }
        else {
            calls.check("nvmlVgpuInstanceGetLicenseInfo_v2", result);
            state = VgpuLicenseState.ofNvml(license.currentState);
            NvmlLibrary.NvmlVgpuLicenseExpiry e = license.licenseExpiry;
            if (license.isLicensed != 0 && e.status == EXPIRY_VALID) {
                expiry = LocalDateTime.of(e.year, e.month, e.day, e.hour, e.min, e.sec);
            }
        }
        return new VgpuInstance(Integer.toUnsignedLong(id), UUID.fromString(NvmlCalls.cString(uuid)), UUID.fromString(NvmlCalls.cString(mdev)),
                type.getValue(), typeName(type.getValue()), Long.divideUnsigned(fb.getValue(), MIB), state,
                expiry == null ? null : expiry.toInstant(ZoneOffset.UTC));
    }

    private UUID mdevUuidOrNull(int id) {
        byte[] mdev = new byte[NvmlLibrary.NVML_DEVICE_UUID_BUFFER_SIZE];
        int result = nvml.nvmlVgpuInstanceGetMdevUUID(id, mdev, mdev.length);
        if (result == INVALID_ARGUMENT || result == NOT_FOUND) {
            return null;
        }
        calls.check("nvmlVgpuInstanceGetMdevUUID", result);
        return UUID.fromString(NvmlCalls.cString(mdev));
    }

    private List<VgpuType> types(Pointer device, int[] ids) {
        List<VgpuType> types = new ArrayList<>(ids.length);
        for (int id : ids) {
            LongByReference fb = new LongByReference();
            calls.check("nvmlVgpuTypeGetFramebufferSize", nvml.nvmlVgpuTypeGetFramebufferSize(id, fb));
            IntByReference max = new IntByReference();
            calls.check("nvmlVgpuTypeGetMaxInstances", nvml.nvmlVgpuTypeGetMaxInstances(device, id, max));
            byte[] license = new byte[NvmlLibrary.NVML_GRID_LICENSE_BUFFER_SIZE];
            calls.check("nvmlVgpuTypeGetLicense", nvml.nvmlVgpuTypeGetLicense(id, license, license.length));
            types.add(new VgpuType(id, typeName(id), sized("nvmlVgpuTypeGetClass", (buffer, size) -> nvml.nvmlVgpuTypeGetClass(id, buffer, size)),
                    Long.divideUnsigned(fb.getValue(), MIB), max.getValue(), NvmlCalls.cString(license)));
        }
        return List.copyOf(types);
    }

    private String typeName(int id) {
        return sized("nvmlVgpuTypeGetName", (buffer, size) -> nvml.nvmlVgpuTypeGetName(id, buffer, size));
    }

    /** A string read through an in/out size pointer: grown once to the size NVML asks for. */
    private String sized(String call, BiFunction<byte[], IntByReference, Integer> read) {
        byte[] buffer = new byte[NvmlLibrary.NVML_VGPU_NAME_BUFFER_SIZE];
        IntByReference size = new IntByReference(buffer.length);
        int result = read.apply(buffer, size);
        if (result == INSUFFICIENT_SIZE) {
            buffer = new byte[size.getValue()];
            size.setValue(buffer.length);
            result = read.apply(buffer, size);
        }
        calls.check(call, result);
        return NvmlCalls.cString(buffer);
    }

    /** The size-query protocol of nvmlDeviceGet{Supported,Creatable,Active}Vgpus. */
    private int[] ids(String call, BiFunction<IntByReference, int[], Integer> query) {
        IntByReference count = new IntByReference(0);
        int[] ids = null;
        for (int attempt = 0; attempt < SIZE_QUERY_ATTEMPTS; attempt++) {
            int result = query.apply(count, ids);
            if (result == INSUFFICIENT_SIZE) {
                ids = new int[count.getValue()];
                continue;
            }
            calls.check(call, result);
            return ids == null ? new int[0] : Arrays.copyOf(ids, count.getValue());
        }
        throw new NvmlException(call, INSUFFICIENT_SIZE, nvml.nvmlErrorString(INSUFFICIENT_SIZE));
    }

    private static int low(long nvmlValue) {
        return (int) (nvmlValue & 0xffffffffL);
    }

}
