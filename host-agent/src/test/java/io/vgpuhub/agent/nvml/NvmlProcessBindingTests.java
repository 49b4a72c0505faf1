package io.vgpuhub.agent.nvml;

import static io.vgpuhub.agent.support.SimulatedHosts.A40_PF;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
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

/** nvmlDeviceGetHandleByUUID and nvmlDeviceGetProcessUtilization, called directly against the compiled simulator. */
class NvmlProcessBindingTests {

    private static final int SUCCESS = 0;
    private static final int INVALID_ARGUMENT = 2;
    private static final int NOT_SUPPORTED = 3;
    private static final int NOT_FOUND = 6;
    private static final int INSUFFICIENT_SIZE = 7;

    @TempDir
    Path dir;

    private NvmlLibrary nvml;

    private NvmlLibrary init() {
        nvml = Native.load(NativeLibraries.resolve(Nvml.SIMULATED_LIBRARY), NvmlLibrary.class);
        assertThat(nvml.nvmlInit_v2()).isEqualTo(SUCCESS);
        return nvml;
    }

    @AfterEach
    void shutdown() {
        if (nvml != null) {
            nvml.nvmlShutdown();
        }
    }

    private Pointer device(String pci) {
        PointerByReference handle = new PointerByReference();
        assertThat(nvml.nvmlDeviceGetHandleByPciBusId_v2(pci, handle)).isEqualTo(SUCCESS);
        return handle.getValue();
    }

    @Test
    void theProcessSampleHasTheLayoutOfNvmlH() {
        NvmlLibrary.NvmlProcessUtilizationSample sample = new NvmlLibrary.NvmlProcessUtilizationSample();
        assertThat(sample.size()).isEqualTo(32);
        sample.pid = 7;
        sample.timeStamp = 0x0102030405060708L;
        sample.smUtil = 16;
        sample.memUtil = 20;
        sample.encUtil = 24;
        sample.decUtil = 28;
        sample.write();
        Pointer p = sample.getPointer();
        assertThat(p.getInt(0)).isEqualTo(7);
        assertThat(p.getLong(8)).isEqualTo(0x0102030405060708L);
        assertThat(new int[] { p.getInt(16), p.getInt(20), p.getInt(24), p.getInt(28) }).containsExactly(16, 20, 24, 28);
    }

    @Test
    void processUtilizationAnswersASizeQueryThenNotFoundWhenNothingIsNewer() {
        Sysfs sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        init();
        Pointer a40 = device(A40_PF);
        IntByReference count = new IntByReference(0);
        assertThat(nvml.nvmlDeviceGetProcessUtilization(a40, null, count, 0)).isEqualTo(SUCCESS);
        assertThat(count.getValue()).isZero();

        sysfs.createMdev("0000:41:00.4", "nvidia-557", UUID.randomUUID());
        sysfs.createMdev("0000:41:00.5", "nvidia-557", UUID.randomUUID());
        assertThat(nvml.nvmlDeviceGetProcessUtilization(a40, null, count, 0)).isEqualTo(INSUFFICIENT_SIZE);
        assertThat(count.getValue()).isEqualTo(2);
        NvmlLibrary.NvmlProcessUtilizationSample[] samples = (NvmlLibrary.NvmlProcessUtilizationSample[])
                new NvmlLibrary.NvmlProcessUtilizationSample().toArray(2);
        IntByReference tooSmall = new IntByReference(1);
        assertThat(nvml.nvmlDeviceGetProcessUtilization(a40, samples, tooSmall, 0)).isEqualTo(INSUFFICIENT_SIZE);
        assertThat(tooSmall.getValue()).isEqualTo(2);

        assertThat(nvml.nvmlDeviceGetProcessUtilization(a40, samples, count, 0)).isEqualTo(SUCCESS);
        assertThat(count.getValue()).isEqualTo(2);
        assertThat(samples[0].pid).isNotEqualTo(samples[1].pid).isPositive();
        for (NvmlLibrary.NvmlProcessUtilizationSample s : samples) {
            assertThat(s.timeStamp).isPositive();
            assertThat(List.of(s.smUtil, s.memUtil, s.encUtil, s.decUtil)).allSatisfy(v -> assertThat(v).isBetween(0, 100));
        }
        // The same processes answer the next query, under the same pids.
        int[] pids = { samples[0].pid, samples[1].pid };
        assertThat(nvml.nvmlDeviceGetProcessUtilization(a40, samples, count, 0)).isEqualTo(SUCCESS);
        assertThat(new int[] { samples[0].pid, samples[1].pid }).containsExactlyInAnyOrder(pids);

        // Samples fall on the whole second: a boundary may come between two calls, never two.
        long lastSeen = Math.max(samples[0].timeStamp, samples[1].timeStamp);
        int result = nvml.nvmlDeviceGetProcessUtilization(a40, samples, count, lastSeen);
        if (result == SUCCESS) {
            lastSeen = Math.max(samples[0].timeStamp, count.getValue() > 1 ? samples[1].timeStamp : 0);
            count.setValue(2);
            result = nvml.nvmlDeviceGetProcessUtilization(a40, samples, count, lastSeen);
        }
        assertThat(result).isEqualTo(NOT_FOUND);
        assertThat(count.getValue()).isZero();

        // The other A40 has no vGPU, so no process.
        count.setValue(0);
        assertThat(nvml.nvmlDeviceGetProcessUtilization(device(SimulatedHosts.SECOND_A40_PF), null, count, 0)).isEqualTo(SUCCESS);
        assertThat(count.getValue()).isZero();
    }

    @Test
    void processUtilizationIsNotSupportedOnAMigEnabledGpu() {
        SimulatedHosts.bootMigBoards(dir);
        init();
        IntByReference count = new IntByReference(0);
        assertThat(nvml.nvmlDeviceGetProcessUtilization(device(SimulatedHosts.A100_40GB_PF), null, count, 0))
                .isEqualTo(NOT_SUPPORTED);
        assertThat(nvml.nvmlDeviceGetProcessUtilization(device(SimulatedHosts.A100_80GB_PF), null, count, 0))
                .isEqualTo(SUCCESS);
    }

    @Test
    void handlesByUuidForGpusAndMigDevices() {
        SimulatedHosts.bootMigBoards(dir);
        init();
        PointerByReference handle = new PointerByReference();
        assertThat(nvml.nvmlDeviceGetHandleByUUID(SimulatedHosts.A100_40GB_UUID, handle)).isEqualTo(SUCCESS);
        assertThat(handle.getValue()).isEqualTo(device(SimulatedHosts.A100_40GB_PF));
        assertThat(nvml.nvmlDeviceGetHandleByUUID("GPU-00000000-0000-0000-0000-000000000000", handle)).isEqualTo(NOT_FOUND);
        assertThat(nvml.nvmlDeviceGetHandleByUUID(null, handle)).isEqualTo(INVALID_ARGUMENT);
        assertThat(nvml.nvmlDeviceGetHandleByUUID(SimulatedHosts.A100_40GB_UUID, null)).isEqualTo(INVALID_ARGUMENT);

        try (Nvml facade = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            String migUuid = facade.mig().create(SimulatedHosts.A100_40GB_PF, 9, 0).migDeviceUuids().get(0);
            assertThat(nvml.nvmlDeviceGetHandleByUUID(migUuid, handle)).isEqualTo(SUCCESS);
            IntByReference isMig = new IntByReference();
            assertThat(nvml.nvmlDeviceIsMigDeviceHandle(handle.getValue(), isMig)).isEqualTo(SUCCESS);
            assertThat(isMig.getValue()).isEqualTo(1);
            byte[] uuid = new byte[NvmlLibrary.NVML_DEVICE_UUID_V2_BUFFER_SIZE];
            assertThat(nvml.nvmlDeviceGetUUID(handle.getValue(), uuid, uuid.length)).isEqualTo(SUCCESS);
            assertThat(Native.toString(uuid)).isEqualTo(migUuid);

            facade.mig().destroy(SimulatedHosts.A100_40GB_PF, facade.mig().instances(SimulatedHosts.A100_40GB_PF).get(0).id());
            assertThat(nvml.nvmlDeviceGetHandleByUUID(migUuid, handle)).isEqualTo(NOT_FOUND);
        }
    }
}
