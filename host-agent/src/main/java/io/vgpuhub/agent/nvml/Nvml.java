package io.vgpuhub.agent.nvml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Native;
import io.vgpuhub.agent.natives.NativeLibraries;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Read-only NVML facade: callers see records and {@link NvmlException}, never JNA types.
 * {@link #close()} releases this facade's nvmlInit reference (NVML counts them).
 */
public final class Nvml implements AutoCloseable {

    /** The real driver library; the dev-package symlink {@code libnvidia-ml.so} is often absent, so the soname is tried first. */
    public static final String REAL_LIBRARY = "nvidia-ml";
    /** The simulator built from src/main/c. */
    public static final String SIMULATED_LIBRARY = "vgpusim";

    private static final Pattern NVML_BUS_ID = Pattern.compile("^([0-9a-fA-F]{1,8}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])$");
    private static final long MIB = 1024L * 1024L;
    private static final int SUCCESS = 0;
    private static final int NOT_FOUND = 6;
    private static final int INSUFFICIENT_SIZE = 7;

    private final NvmlLibrary nvml;
    private final NvmlCalls calls;
    private boolean closed;

    private Nvml(NvmlLibrary nvml) {
        this.nvml = nvml;
        this.calls = new NvmlCalls(nvml);
    }

    /** Loads the library ({@link #REAL_LIBRARY} or {@link #SIMULATED_LIBRARY}) and calls nvmlInit_v2. */
    public static Nvml load(String libraryName) {
        NvmlLibrary library = bind(libraryName);
        Nvml facade = new Nvml(library);
        facade.calls.check("nvmlInit_v2", library.nvmlInit_v2());
        return facade;
    }

    private static NvmlLibrary bind(String libraryName) {
        if (REAL_LIBRARY.equals(libraryName)) {
            try {
                return Native.load("libnvidia-ml.so.1", NvmlLibrary.class);
            }
            catch (UnsatisfiedLinkError soNameMissing) {
                return Native.load(REAL_LIBRARY, NvmlLibrary.class);
            }
        }
        return Native.load(NativeLibraries.resolve(libraryName), NvmlLibrary.class);
    }

    public String driverVersion() {
        byte[] buffer = new byte[NvmlLibrary.NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
        calls.check("nvmlSystemGetDriverVersion", nvml.nvmlSystemGetDriverVersion(buffer, buffer.length));
        return NvmlCalls.cString(buffer);
    }

    public List<GpuInfo> gpus() {
        IntByReference count = new IntByReference();
        calls.check("nvmlDeviceGetCount_v2", nvml.nvmlDeviceGetCount_v2(count));
        List<GpuInfo> gpus = new ArrayList<>(count.getValue());
        for (int index = 0; index < count.getValue(); index++) {
            PointerByReference handle = new PointerByReference();
            calls.check("nvmlDeviceGetHandleByIndex_v2", nvml.nvmlDeviceGetHandleByIndex_v2(index, handle));
            gpus.add(describe(index, handle.getValue()));
        }
        return List.copyOf(gpus);
    }

    /** Utilization of the GPU at a PCI address (sysfs or NVML form). Not supported by NVML on MIG-enabled GPUs. */
    public Utilization utilization(String pciAddress) {
        NvmlLibrary.NvmlUtilization utilization = new NvmlLibrary.NvmlUtilization();
        calls.check("nvmlDeviceGetUtilizationRates", nvml.nvmlDeviceGetUtilizationRates(calls.device(pciAddress), utilization));
        return new Utilization(utilization.gpu, utilization.memory);
    }

    /**
     * One sample per process on the GPU at a PCI address newer than {@code lastSeenMicros} (CPU microseconds, 0 for all
     * buffered); empty when there is none. NVML does not support it on MIG-enabled GPUs (NOT_SUPPORTED).
     */
    public List<ProcessUtilization> processUtilization(String pciAddress, long lastSeenMicros) {
        Pointer device = calls.device(pciAddress);
        for (int attempt = 0; attempt < 3; attempt++) {
            IntByReference count = new IntByReference(0);
            int sized = nvml.nvmlDeviceGetProcessUtilization(device, null, count, lastSeenMicros);
            if (sized == NOT_FOUND || (sized == SUCCESS && count.getValue() == 0)) {
                return List.of();
            }
            if (sized != INSUFFICIENT_SIZE) {
                calls.check("nvmlDeviceGetProcessUtilization", sized);
            }
            NvmlLibrary.NvmlProcessUtilizationSample[] samples = (NvmlLibrary.NvmlProcessUtilizationSample[])
                    new NvmlLibrary.NvmlProcessUtilizationSample().toArray(count.getValue());
            int result = nvml.nvmlDeviceGetProcessUtilization(device, samples, count, lastSeenMicros);
            if (result == NOT_FOUND) {
                return List.of();
            }
            if (result == INSUFFICIENT_SIZE) {
                continue;   // a process started between the two calls
            }
            calls.check("nvmlDeviceGetProcessUtilization", result);
            List<ProcessUtilization> processes = new ArrayList<>(count.getValue());
            for (int i = 0; i < count.getValue(); i++) {
                NvmlLibrary.NvmlProcessUtilizationSample s = samples[i];
                processes.add(new ProcessUtilization(s.pid & 0xffffffffL, s.timeStamp, s.smUtil, s.memUtil, s.encUtil, s.decUtil));
            }
            return List.copyOf(processes);
        }
        throw new NvmlException("nvmlDeviceGetProcessUtilization", INSUFFICIENT_SIZE, nvml.nvmlErrorString(INSUFFICIENT_SIZE));
    }

    /** Which driver holds the GPU, as NVML sees it: the vGPU host driver, or another (data-center) driver. */
    public VirtualizationMode virtualizationMode(String pciAddress) {
        IntByReference mode = new IntByReference();
        calls.check("nvmlDeviceGetVirtualizationMode", nvml.nvmlDeviceGetVirtualizationMode(calls.device(pciAddress), mode));
        return VirtualizationMode.of(mode.getValue());
    }

    /** The process ids of the compute processes (CUDA contexts) on the GPU at a PCI address; empty when there is none. */
    public List<Long> computeProcesses(String pciAddress) {
        Pointer device = calls.device(pciAddress);
        for (int attempt = 0; attempt < 3; attempt++) {
            IntByReference count = new IntByReference(0);
            int sized = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device, count, null);
            if (sized == SUCCESS && count.getValue() == 0) {
                return List.of();
            }
            if (sized != INSUFFICIENT_SIZE) {
                calls.check("nvmlDeviceGetComputeRunningProcesses_v3", sized);
            }
            NvmlLibrary.NvmlProcessInfo[] infos = (NvmlLibrary.NvmlProcessInfo[]) new NvmlLibrary.NvmlProcessInfo()
                    .toArray(count.getValue());
            int result = nvml.nvmlDeviceGetComputeRunningProcesses_v3(device, count, infos);
            if (result == INSUFFICIENT_SIZE) {
                continue;   // a process started between the two calls
            }
            calls.check("nvmlDeviceGetComputeRunningProcesses_v3", result);
            List<Long> pids = new ArrayList<>(count.getValue());
            for (int i = 0; i < count.getValue(); i++) {
                pids.add(infos[i].pid & 0xffffffffL);
            }
            return List.copyOf(pids);
        }
        throw new NvmlException("nvmlDeviceGetComputeRunningProcesses_v3", INSUFFICIENT_SIZE,
                nvml.nvmlErrorString(INSUFFICIENT_SIZE));
    }

    /**
     * The GPU with that UUID, empty when NVML knows none. A {@code MIG-...} UUID of an existing MIG device resolves to
     * the physical GPU that holds it.
     */
    public Optional<GpuInfo> gpuByUuid(String uuid) {
        PointerByReference handle = new PointerByReference();
        int result = nvml.nvmlDeviceGetHandleByUUID(uuid, handle);
        if (result == NOT_FOUND) {
            return Optional.empty();
        }
        calls.check("nvmlDeviceGetHandleByUUID(" + uuid + ")", result);
        Pointer device = handle.getValue();
        IntByReference isMig = new IntByReference();
        calls.check("nvmlDeviceIsMigDeviceHandle", nvml.nvmlDeviceIsMigDeviceHandle(device, isMig));
        if (isMig.getValue() != 0) {
            PointerByReference parent = new PointerByReference();
            calls.check("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", nvml.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(device, parent));
            device = parent.getValue();
        }
        return Optional.of(describe(-1, device));
    }

    /** MIG management on this facade's NVML reference; usable until {@link #close()}. */
    public Mig mig() {
        return new Mig(nvml);
    }

    /** vGPU types and active vGPUs on this facade's NVML reference; usable until {@link #close()}. */
    public Vgpus vgpus() {
        return new Vgpus(nvml);
    }

    public GpuInfo gpu(String pciAddress) {
        return describe(-1, calls.device(pciAddress));
    }

    private GpuInfo describe(int index, Pointer device) {
        byte[] name = new byte[NvmlLibrary.NVML_DEVICE_NAME_V2_BUFFER_SIZE];
        calls.check("nvmlDeviceGetName", nvml.nvmlDeviceGetName(device, name, name.length));
        byte[] uuid = new byte[NvmlLibrary.NVML_DEVICE_UUID_V2_BUFFER_SIZE];
        calls.check("nvmlDeviceGetUUID", nvml.nvmlDeviceGetUUID(device, uuid, uuid.length));
        NvmlLibrary.NvmlPciInfo pci = new NvmlLibrary.NvmlPciInfo();
        calls.check("nvmlDeviceGetPciInfo_v3", nvml.nvmlDeviceGetPciInfo_v3(device, pci));
        NvmlLibrary.NvmlMemory memory = new NvmlLibrary.NvmlMemory();
        calls.check("nvmlDeviceGetMemoryInfo", nvml.nvmlDeviceGetMemoryInfo(device, memory));
        return new GpuInfo(index, NvmlCalls.cString(name), NvmlCalls.cString(uuid), toSysfsAddress(NvmlCalls.cString(pci.busId)), pci.pciDeviceId,
                memory.total / MIB, memory.used / MIB);
    }

    /** NVML writes bus ids as {@code 00000000:41:00.0}; sysfs names devices {@code 0000:41:00.0}. */
    public static String toSysfsAddress(String nvmlBusId) {
        Matcher m = NVML_BUS_ID.matcher(nvmlBusId.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PCI bus id: '" + nvmlBusId + "'");
        }
        long domain = Long.parseLong(m.group(1), 16);
        if (domain > 0xffff) {
            throw new IllegalArgumentException("PCI domain out of range in '" + nvmlBusId + "'");
        }
        return String.format(Locale.ROOT, "%04x:%s:%s.%s", domain, m.group(2), m.group(3), m.group(4)).toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            nvml.nvmlShutdown();
        }
    }
}
