package io.vgpuhub.agent.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * JNA binding of the NVML C API subset the agent uses, bound by the exported (versioned) symbol names
 * of nvml.h. Only the facades {@link Nvml}, {@link Mig} and {@link Vgpus} see this interface.
 */
interface NvmlLibrary extends Library {

    int NVML_DEVICE_NAME_V2_BUFFER_SIZE = 96;
    int NVML_DEVICE_UUID_V2_BUFFER_SIZE = 96;
    int NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE = 80;

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetHandleByPciBusId_v2(String pciBusId, PointerByReference device);

    /** "GPU-..." UUIDs give a device handle, "MIG-..." UUIDs a MIG device handle; NOT_FOUND for any other. */
    int nvmlDeviceGetHandleByUUID(String uuid, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetPciInfo_v3(Pointer device, NvmlPciInfo pci);

    int nvmlDeviceGetMemoryInfo(Pointer device, NvmlMemory memory);

    int nvmlDeviceGetUtilizationRates(Pointer device, NvmlUtilization utilization);

    /**
     * Per-process samples newer than {@code lastSeenTimeStamp} (CPU microseconds; 0 for all). {@code utilization} null
     * asks for the count (INSUFFICIENT_SIZE, or SUCCESS with 0); NOT_FOUND when nothing is newer; NOT_SUPPORTED on
     * MIG-enabled GPUs.
     */
    int nvmlDeviceGetProcessUtilization(Pointer device, NvmlProcessUtilizationSample[] utilization,
            IntByReference processSamplesCount, long lastSeenTimeStamp);

    /** nvmlGpuVirtualizationMode_t: NONE=0, PASSTHROUGH=1, VGPU=2 (a guest), HOST_VGPU=3, HOST_VSGA=4. */
    int nvmlDeviceGetVirtualizationMode(Pointer device, IntByReference mode);

    /**
     * The compute processes on the GPU. {@code infos} null (or {@code infoCount} too small) asks for the count:
     * INSUFFICIENT_SIZE with the count, or SUCCESS with 0.
     */
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference infoCount, NvmlProcessInfo[] infos);

    // ---- MIG (nvml.h l.12474-13470). Device, GPU-instance and compute-instance handles are opaque pointers.

    int NVML_DEVICE_MIG_DISABLE = 0;
    int NVML_DEVICE_MIG_ENABLE = 1;
    /** Profile indices run 0..NVML_GPU_INSTANCE_PROFILE_COUNT-1 (13.3 headers); the IDs they map to are per device. */
    int NVML_GPU_INSTANCE_PROFILE_COUNT = 0x12;
    int NVML_COMPUTE_INSTANCE_PROFILE_COUNT = 0x9;
    int NVML_COMPUTE_INSTANCE_ENGINE_PROFILE_SHARED = 0;

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceSetMigMode(Pointer device, int mode, IntByReference activationStatus);

    int nvmlDeviceGetGpuInstanceProfileInfoV(Pointer device, int profile, NvmlGpuInstanceProfileInfoV2 info);

    /** {@code placements} null asks for the count only. */
    int nvmlDeviceGetGpuInstancePossiblePlacements_v2(Pointer device, int profileId, NvmlGpuInstancePlacement[] placements,
            IntByReference count);

    int nvmlDeviceGetGpuInstanceRemainingCapacity(Pointer device, int profileId, IntByReference count);

    int nvmlDeviceCreateGpuInstanceWithPlacement(Pointer device, int profileId, NvmlGpuInstancePlacement placement,
            PointerByReference gpuInstance);

    /** {@code gpuInstances} must hold the profile's instanceCount handles; {@code count} is output only. */
    int nvmlDeviceGetGpuInstances(Pointer device, int profileId, Pointer[] gpuInstances, IntByReference count);

    int nvmlDeviceGetGpuInstanceById(Pointer device, int id, PointerByReference gpuInstance);

    int nvmlGpuInstanceGetInfo(Pointer gpuInstance, NvmlGpuInstanceInfo info);

    int nvmlGpuInstanceDestroy(Pointer gpuInstance);

    int nvmlGpuInstanceGetComputeInstanceProfileInfoV(Pointer gpuInstance, int profile, int engProfile,
            NvmlComputeInstanceProfileInfoV2 info);

    int nvmlGpuInstanceCreateComputeInstance(Pointer gpuInstance, int profileId, PointerByReference computeInstance);

    /** {@code computeInstances} must hold the profile's instanceCount handles; {@code count} is output only. */
    int nvmlGpuInstanceGetComputeInstances(Pointer gpuInstance, int profileId, Pointer[] computeInstances, IntByReference count);

    int nvmlComputeInstanceGetInfo_v2(Pointer computeInstance, NvmlComputeInstanceInfo info);

    int nvmlComputeInstanceDestroy(Pointer computeInstance);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    int nvmlDeviceIsMigDeviceHandle(Pointer device, IntByReference isMigDevice);

    int nvmlDeviceGetGpuInstanceId(Pointer migDevice, IntByReference id);

    int nvmlDeviceGetComputeInstanceId(Pointer migDevice, IntByReference id);

    int nvmlDeviceGetDeviceHandleFromMigDeviceHandle(Pointer migDevice, PointerByReference device);

    // ---- vGPU (nvml.h l.1670-2200, 10250-12290). nvmlVgpuTypeId_t and nvmlVgpuInstance_t are unsigned ints.

    int NVML_VGPU_NAME_BUFFER_SIZE = 64;
    int NVML_GRID_LICENSE_BUFFER_SIZE = 128;
    int NVML_DEVICE_UUID_BUFFER_SIZE = 80;
    int NVML_VALUE_TYPE_UNSIGNED_INT = 1;

    /** Size-query protocol: {@code count} 0 (and {@code ids} null) answers INSUFFICIENT_SIZE with the count. */
    int nvmlDeviceGetSupportedVgpus(Pointer device, IntByReference count, int[] ids);

    /** As {@link #nvmlDeviceGetSupportedVgpus}; restricted to the size already running in equal-size mode. */
    int nvmlDeviceGetCreatableVgpus(Pointer device, IntByReference count, int[] ids);

    /** {@code size} is in/out: the buffer's size in, the length needed (with the NUL) out. */
    int nvmlVgpuTypeGetName(int vgpuTypeId, byte[] name, IntByReference size);

    /** {@code size} is in/out, as for the name. */
    int nvmlVgpuTypeGetClass(int vgpuTypeId, byte[] typeClass, IntByReference size);

    /** Bytes. */
    int nvmlVgpuTypeGetFramebufferSize(int vgpuTypeId, LongByReference fbSize);

    int nvmlVgpuTypeGetMaxInstances(Pointer device, int vgpuTypeId, IntByReference count);

    /** {@code size} by value. */
    int nvmlVgpuTypeGetLicense(int vgpuTypeId, byte[] license, int size);

    int nvmlDeviceGetActiveVgpus(Pointer device, IntByReference count, int[] instances);

    int nvmlVgpuInstanceGetUUID(int vgpuInstance, byte[] uuid, int size);

    int nvmlVgpuInstanceGetMdevUUID(int vgpuInstance, byte[] mdevUuid, int size);

    int nvmlVgpuInstanceGetType(int vgpuInstance, IntByReference vgpuTypeId);

    /** Bytes in use by the VM. */
    int nvmlVgpuInstanceGetFbUsage(int vgpuInstance, LongByReference fbUsage);

    /** DRIVER_NOT_LOADED when no guest driver runs on the vGPU. */
    int nvmlVgpuInstanceGetLicenseInfo_v2(int vgpuInstance, NvmlVgpuLicenseInfo info);

    /**
     * One sample per vGPU newer than {@code lastSeenTimeStamp} (CPU microseconds; 0 for all). {@code samples} null asks
     * for the vGPU count (INSUFFICIENT_SIZE, or SUCCESS with 0); NOT_FOUND when no vGPU has a newer sample.
     */
    int nvmlDeviceGetVgpuUtilization(Pointer device, long lastSeenTimeStamp, IntByReference sampleValType, IntByReference count,
            NvmlVgpuInstanceUtilizationSample[] samples);

    /** nvmlPciInfo_t, 68 bytes. */
    @FieldOrder({ "busIdLegacy", "domain", "bus", "device", "pciDeviceId", "pciSubSystemId", "busId" })
    class NvmlPciInfo extends Structure {
        public byte[] busIdLegacy = new byte[16];
        public int domain;
        public int bus;
        public int device;
        public int pciDeviceId;
        public int pciSubSystemId;
        public byte[] busId = new byte[32];
    }

    /** nvmlMemory_t: bytes; "used" includes memory the driver reserves. */
    @FieldOrder({ "total", "free", "used" })
    class NvmlMemory extends Structure {
        public long total;
        public long free;
        public long used;
    }

    /** nvmlUtilization_t: percent over the driver's last sample period. */
    @FieldOrder({ "gpu", "memory" })
    class NvmlUtilization extends Structure {
        public int gpu;
        public int memory;
    }

    /** nvmlProcessUtilizationSample_t, 32 bytes: pid at 0, timeStamp at 8, sm/mem/enc/dec percent at 16, 20, 24, 28. */
    @FieldOrder({ "pid", "timeStamp", "smUtil", "memUtil", "encUtil", "decUtil" })
    class NvmlProcessUtilizationSample extends Structure {
        public int pid;
        public long timeStamp;
        public int smUtil;
        public int memUtil;
        public int encUtil;
        public int decUtil;
    }

    /** nvmlProcessInfo_t, 24 bytes: what nvmlDeviceGetComputeRunningProcesses_v3 fills. */
    @FieldOrder({ "pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId" })
    class NvmlProcessInfo extends Structure {
        public int pid;
        public long usedGpuMemory;
        public int gpuInstanceId;
        public int computeInstanceId;
    }

    /** nvmlGpuInstancePlacement_t, 8 bytes: a range of memory slices. */
    @FieldOrder({ "start", "size" })
    class NvmlGpuInstancePlacement extends Structure {
        public int start;
        public int size;
    }

    /** nvmlGpuInstanceProfileInfo_v2_t, 152 bytes; the caller sets {@code version} (done here). */
    @FieldOrder({ "version", "id", "isP2pSupported", "sliceCount", "instanceCount", "multiprocessorCount", "copyEngineCount",
            "decoderCount", "encoderCount", "jpegCount", "ofaCount", "memorySizeMB", "name" })
    class NvmlGpuInstanceProfileInfoV2 extends Structure {
        static final int VERSION = 0x02000098;
        public int version = VERSION;
        public int id;
        public int isP2pSupported;
        public int sliceCount;
        public int instanceCount;
        public int multiprocessorCount;
        public int copyEngineCount;
        public int decoderCount;
        public int encoderCount;
        public int jpegCount;
        public int ofaCount;
        public long memorySizeMB;
        public byte[] name = new byte[96];
    }

    /** nvmlGpuInstanceInfo_t, 24 bytes. */
    @FieldOrder({ "device", "id", "profileId", "placement" })
    class NvmlGpuInstanceInfo extends Structure {
        public Pointer device;
        public int id;
        public int profileId;
        public NvmlGpuInstancePlacement placement;
    }

    /** nvmlComputeInstanceProfileInfo_v2_t, 136 bytes; the caller sets {@code version} (done here). */
    @FieldOrder({ "version", "id", "sliceCount", "instanceCount", "multiprocessorCount", "sharedCopyEngineCount",
            "sharedDecoderCount", "sharedEncoderCount", "sharedJpegCount", "sharedOfaCount", "name" })
    class NvmlComputeInstanceProfileInfoV2 extends Structure {
        static final int VERSION = 0x02000088;
        public int version = VERSION;
        public int id;
        public int sliceCount;
        public int instanceCount;
        public int multiprocessorCount;
        public int sharedCopyEngineCount;
        public int sharedDecoderCount;
        public int sharedEncoderCount;
        public int sharedJpegCount;
        public int sharedOfaCount;
        public byte[] name = new byte[96];
    }

    /** nvmlComputeInstancePlacement_t, 8 bytes: a range of the GPU instance's compute slices. */
    @FieldOrder({ "start", "size" })
    class NvmlComputeInstancePlacement extends Structure {
        public int start;
        public int size;
    }

    /** nvmlComputeInstanceInfo_t, 32 bytes. */
    @FieldOrder({ "device", "gpuInstance", "id", "profileId", "placement" })
    class NvmlComputeInstanceInfo extends Structure {
        public Pointer device;
        public Pointer gpuInstance;
        public int id;
        public int profileId;
        public NvmlComputeInstancePlacement placement;
    }

    /** nvmlVgpuInstanceUtilizationSample_t, 48 bytes; each nvmlValue_t (8-byte union) is read as its low 4 bytes (uiVal). */
    @FieldOrder({ "vgpuInstance", "timeStamp", "smUtil", "memUtil", "encUtil", "decUtil" })
    class NvmlVgpuInstanceUtilizationSample extends Structure {
        public int vgpuInstance;
        public long timeStamp;
        public long smUtil;
        public long memUtil;
        public long encUtil;
        public long decUtil;
    }

    /** nvmlVgpuLicenseExpiry_t, 16 bytes. */
    @FieldOrder({ "year", "month", "day", "hour", "min", "sec", "status" })
    class NvmlVgpuLicenseExpiry extends Structure {
        public int year;
        public short month;
        public short day;
        public short hour;
        public short min;
        public short sec;
        public byte status;
    }

    /** nvmlVgpuLicenseInfo_t, 24 bytes. */
    @FieldOrder({ "isLicensed", "licenseExpiry", "currentState" })
    class NvmlVgpuLicenseInfo extends Structure {
        public byte isLicensed;
        public NvmlVgpuLicenseExpiry licenseExpiry;
        public int currentState;
    }
}
