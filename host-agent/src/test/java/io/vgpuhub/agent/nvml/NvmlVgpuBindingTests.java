package io.vgpuhub.agent.nvml;

import static io.vgpuhub.agent.support.SimulatedHosts.A40_PF;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.vgpuhub.agent.natives.NativeLibraries;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The vGPU part of the JNA binding, called directly against the compiled simulator. */
class NvmlVgpuBindingTests {

    private static final int SUCCESS = 0;
    private static final int NOT_FOUND = 6;
    private static final int INSUFFICIENT_SIZE = 7;

    @TempDir
    Path dir;

    private Sysfs sysfs;
    private NvmlLibrary nvml;
    private Pointer a40;

    @BeforeEach
    void init() {
        sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        nvml = Native.load(NativeLibraries.resolve(Nvml.SIMULATED_LIBRARY), NvmlLibrary.class);
        assertThat(nvml.nvmlInit_v2()).isEqualTo(SUCCESS);
        PointerByReference handle = new PointerByReference();
        assertThat(nvml.nvmlDeviceGetHandleByPciBusId_v2(A40_PF, handle)).isEqualTo(SUCCESS);
        a40 = handle.getValue();
    }

    @AfterEach
    void shutdown() {
        nvml.nvmlShutdown();
    }

    @Test
    void theStructuresHaveTheSizesOfNvmlH() {
        assertThat(new NvmlLibrary.NvmlVgpuInstanceUtilizationSample().size()).isEqualTo(48);
        assertThat(new NvmlLibrary.NvmlVgpuLicenseInfo().size()).isEqualTo(24);
        assertThat(new NvmlLibrary.NvmlVgpuLicenseExpiry().size()).isEqualTo(16);
        NvmlLibrary.NvmlVgpuInstanceUtilizationSample sample = new NvmlLibrary.NvmlVgpuInstanceUtilizationSample();
        sample.smUtil = 42;
        sample.write();
        assertThat(sample.getPointer().getInt(16)).isEqualTo(42);
        NvmlLibrary.NvmlVgpuLicenseInfo license = new NvmlLibrary.NvmlVgpuLicenseInfo();
        license.currentState = 5;
        license.licenseExpiry.status = 2;
        license.write();
        assertThat(license.getPointer().getInt(20)).isEqualTo(5);
        assertThat(license.getPointer().getByte(4 + 14)).isEqualTo((byte) 2);
    }

    @Test
    void theTypeListAnswersASizeQueryWithTheCount() {
        IntByReference count = new IntByReference(0);
        assertThat(nvml.nvmlDeviceGetSupportedVgpus(a40, count, null)).isEqualTo(INSUFFICIENT_SIZE);
        assertThat(count.getValue()).isEqualTo(19);
        int[] ids = new int[count.getValue()];
        assertThat(nvml.nvmlDeviceGetSupportedVgpus(a40, count, ids)).isEqualTo(SUCCESS);
        assertThat(ids).contains(550, 557, 568);
    }

    @Test
    void theTypeNameTakesItsSizeByPointerAndReportsTheSizeNeeded() {
        byte[] small = new byte[4];
        IntByReference size = new IntByReference(small.length);
        assertThat(nvml.nvmlVgpuTypeGetName(557, small, size)).isEqualTo(INSUFFICIENT_SIZE);
        assertThat(size.getValue()).isEqualTo("NVIDIA A40-8Q".length() + 1);
        byte[] name = new byte[size.getValue()];
        assertThat(nvml.nvmlVgpuTypeGetName(557, name, size)).isEqualTo(SUCCESS);
        assertThat(new String(name, 0, name.length - 1, StandardCharsets.UTF_8)).isEqualTo("NVIDIA A40-8Q");
    }

    @Test
    void utilizationAnswersASizeQueryThenNotFoundWhenNothingIsNewer() {
        IntByReference valueType = new IntByReference(-1);
        IntByReference count = new IntByReference(0);
        assertThat(nvml.nvmlDeviceGetVgpuUtilization(a40, 0, valueType, count, null)).isEqualTo(SUCCESS);
        assertThat(count.getValue()).isZero();

        sysfs.createMdev("0000:41:00.4", "nvidia-557", UUID.randomUUID());
        assertThat(nvml.nvmlDeviceGetVgpuUtilization(a40, 0, valueType, count, null)).isEqualTo(INSUFFICIENT_SIZE);
        assertThat(count.getValue()).isEqualTo(1);

        NvmlLibrary.NvmlVgpuInstanceUtilizationSample[] samples = (NvmlLibrary.NvmlVgpuInstanceUtilizationSample[])
                new NvmlLibrary.NvmlVgpuInstanceUtilizationSample().toArray(1);
        assertThat(nvml.nvmlDeviceGetVgpuUtilization(a40, 0, valueType, count, samples)).isEqualTo(SUCCESS);
        assertThat(valueType.getValue()).isEqualTo(NvmlLibrary.NVML_VALUE_TYPE_UNSIGNED_INT);
        assertThat(count.getValue()).isEqualTo(1);
        assertThat(samples[0].smUtil & 0xffffffffL).isBetween(0L, 100L);
        IntByReference active = new IntByReference(1);
        int[] instance = new int[1];
        assertThat(nvml.nvmlDeviceGetActiveVgpus(a40, active, instance)).isEqualTo(SUCCESS);
        assertThat(samples[0].vgpuInstance).isEqualTo(instance[0]);

        // The simulator samples on the whole second: a second boundary may fall between two calls, never two.
        long lastSeen = samples[0].timeStamp;
        int result = nvml.nvmlDeviceGetVgpuUtilization(a40, lastSeen, valueType, count, samples);
        if (result == SUCCESS) {
            assertThat(samples[0].timeStamp).isGreaterThan(lastSeen);
            result = nvml.nvmlDeviceGetVgpuUtilization(a40, samples[0].timeStamp, valueType, count, samples);
        }
        assertThat(result).isEqualTo(NOT_FOUND);
    }
}
