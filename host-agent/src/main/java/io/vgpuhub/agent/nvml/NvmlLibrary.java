package io.vgpuhub.agent.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * JNA binding of the NVML C API subset the agent uses, bound by the exported (versioned) symbol names
 * of nvml.h. Only {@link Nvml} sees this interface.
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

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetPciInfo_v3(Pointer device, NvmlPciInfo pci);

    int nvmlDeviceGetMemoryInfo(Pointer device, NvmlMemory memory);

    int nvmlDeviceGetUtilizationRates(Pointer device, NvmlUtilization utilization);

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
}
