package io.vgpuhub.agent.nvml;

import static io.vgpuhub.agent.support.SimulatedHosts.A100_40GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.A100_40GB_UUID;
import static io.vgpuhub.agent.support.SimulatedHosts.A30_PF;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

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

/** The MIG part of the JNA binding, called directly against the compiled simulator. */
class NvmlMigBindingTests {

    private static final int SUCCESS = 0;
    private static final int NOT_SUPPORTED = 3;
    private static final int NOT_FOUND = 6;
    private static final int IN_USE = 19;
    private static final int THREE_G = 9;
    private static final int COMPUTE_3_SLICE = 0x2;

    @TempDir
    Path dir;

    private NvmlLibrary nvml;

    @BeforeEach
    void init() {
        SimulatedHosts.bootMigBoards(dir);
        nvml = Native.load(NativeLibraries.resolve(Nvml.SIMULATED_LIBRARY), NvmlLibrary.class);
        assertThat(nvml.nvmlInit_v2()).isEqualTo(SUCCESS);
    }

    @AfterEach
    void shutdown() {
        nvml.nvmlShutdown();
    }

    @Test
    void theStructuresHaveTheSizesOfNvmlH() {
        assertThat(new NvmlLibrary.NvmlGpuInstancePlacement().size()).isEqualTo(8);
        assertThat(new NvmlLibrary.NvmlGpuInstanceProfileInfoV2().size()).isEqualTo(152);
        assertThat(new NvmlLibrary.NvmlGpuInstanceInfo().size()).isEqualTo(24);
        assertThat(new NvmlLibrary.NvmlComputeInstancePlacement().size()).isEqualTo(8);
        assertThat(new NvmlLibrary.NvmlComputeInstanceProfileInfoV2().size()).isEqualTo(136);
        assertThat(new NvmlLibrary.NvmlComputeInstanceInfo().size()).isEqualTo(32);
        assertThat(new NvmlLibrary.NvmlGpuInstanceProfileInfoV2().version).isEqualTo(0x02000098);
        assertThat(new NvmlLibrary.NvmlComputeInstanceProfileInfoV2().version).isEqualTo(0x02000088);
        NvmlLibrary.NvmlGpuInstanceProfileInfoV2 profile = new NvmlLibrary.NvmlGpuInstanceProfileInfoV2();
        profile.memorySizeMB = 0x1122334455L;
        profile.write();
        assertThat(profile.getPointer().getLong(48)).as("memorySizeMB after 4 bytes of padding").isEqualTo(0x1122334455L);
        NvmlLibrary.NvmlComputeInstanceProfileInfoV2 computeProfile = new NvmlLibrary.NvmlComputeInstanceProfileInfoV2();
        computeProfile.name[0] = 'M';
        computeProfile.write();
        assertThat(computeProfile.getPointer().getByte(40)).isEqualTo((byte) 'M');
    }

    @Test
    void aGpuInstanceWithAComputeInstanceCannotBeDestroyed() {
        Pointer device = device(A100_40GB_PF);
        Pointer gpuInstance = createThreeG(device, 4);
        PointerByReference computeInstance = new PointerByReference();
        assertThat(nvml.nvmlGpuInstanceCreateComputeInstance(gpuInstance, COMPUTE_3_SLICE, computeInstance)).isEqualTo(SUCCESS);

        assertThat(nvml.nvmlGpuInstanceDestroy(gpuInstance)).isEqualTo(IN_USE);
        assertThat(nvml.nvmlComputeInstanceDestroy(computeInstance.getValue())).isEqualTo(SUCCESS);
        assertThat(nvml.nvmlGpuInstanceDestroy(gpuInstance)).isEqualTo(SUCCESS);
    }

    @Test
    void gpuAndComputeInstancesDescribeThemselves() {
        Pointer device = device(A100_40GB_PF);
        Pointer gpuInstance = createThreeG(device, 4);
        PointerByReference computeInstance = new PointerByReference();
        nvml.nvmlGpuInstanceCreateComputeInstance(gpuInstance, COMPUTE_3_SLICE, computeInstance);

        NvmlLibrary.NvmlGpuInstanceInfo gi = new NvmlLibrary.NvmlGpuInstanceInfo();
        assertThat(nvml.nvmlGpuInstanceGetInfo(gpuInstance, gi)).isEqualTo(SUCCESS);
        assertThat(gi.device).isEqualTo(device);
        assertThat(gi.profileId).isEqualTo(THREE_G);
        assertThat(gi.placement.start).isEqualTo(4);
        assertThat(gi.placement.size).isEqualTo(4);

        NvmlLibrary.NvmlComputeInstanceInfo ci = new NvmlLibrary.NvmlComputeInstanceInfo();
        assertThat(nvml.nvmlComputeInstanceGetInfo_v2(computeInstance.getValue(), ci)).isEqualTo(SUCCESS);
        assertThat(ci.device).isEqualTo(device);
        assertThat(ci.gpuInstance).isEqualTo(gpuInstance);
        assertThat(ci.profileId).isEqualTo(COMPUTE_3_SLICE);
        assertThat(ci.placement.size).isEqualTo(3);

        NvmlLibrary.NvmlComputeInstanceProfileInfoV2 oneSlice = new NvmlLibrary.NvmlComputeInstanceProfileInfoV2();
        assertThat(nvml.nvmlGpuInstanceGetComputeInstanceProfileInfoV(gpuInstance, 0, 0, oneSlice)).isEqualTo(SUCCESS);
        assertThat(oneSlice.instanceCount).isEqualTo(3);
        assertThat(Native.toString(oneSlice.name)).isEqualTo("MIG 1c.3g.20gb");
        NvmlLibrary.NvmlComputeInstanceProfileInfoV2 sevenSlices = new NvmlLibrary.NvmlComputeInstanceProfileInfoV2();
        assertThat(nvml.nvmlGpuInstanceGetComputeInstanceProfileInfoV(gpuInstance, 0x4, 0, sevenSlices)).isEqualTo(NOT_SUPPORTED);
    }

    @Test
    void eachComputeInstanceIsAMigDeviceWithItsOwnHandleAndUuid() {
        Pointer device = device(A100_40GB_PF);
        Pointer gpuInstance = createThreeG(device, 0);
        PointerByReference computeInstance = new PointerByReference();
        nvml.nvmlGpuInstanceCreateComputeInstance(gpuInstance, COMPUTE_3_SLICE, computeInstance);
        NvmlLibrary.NvmlGpuInstanceInfo gi = new NvmlLibrary.NvmlGpuInstanceInfo();
        nvml.nvmlGpuInstanceGetInfo(gpuInstance, gi);
        NvmlLibrary.NvmlComputeInstanceInfo ci = new NvmlLibrary.NvmlComputeInstanceInfo();
        nvml.nvmlComputeInstanceGetInfo_v2(computeInstance.getValue(), ci);

        IntByReference max = new IntByReference();
        assertThat(nvml.nvmlDeviceGetMaxMigDeviceCount(device, max)).isEqualTo(SUCCESS);
        assertThat(max.getValue()).isEqualTo(7);
        PointerByReference migDevice = new PointerByReference();
        assertThat(nvml.nvmlDeviceGetMigDeviceHandleByIndex(device, 0, migDevice)).isEqualTo(SUCCESS);
        assertThat(nvml.nvmlDeviceGetMigDeviceHandleByIndex(device, 1, new PointerByReference())).isEqualTo(NOT_FOUND);

        IntByReference isMig = new IntByReference();
        assertThat(nvml.nvmlDeviceIsMigDeviceHandle(migDevice.getValue(), isMig)).isEqualTo(SUCCESS);
        assertThat(isMig.getValue()).isEqualTo(1);
        assertThat(nvml.nvmlDeviceIsMigDeviceHandle(device, isMig)).isEqualTo(SUCCESS);
        assertThat(isMig.getValue()).isZero();

        IntByReference id = new IntByReference();
        assertThat(nvml.nvmlDeviceGetGpuInstanceId(migDevice.getValue(), id)).isEqualTo(SUCCESS);
        assertThat(id.getValue()).isEqualTo(gi.id);
        assertThat(nvml.nvmlDeviceGetComputeInstanceId(migDevice.getValue(), id)).isEqualTo(SUCCESS);
        assertThat(id.getValue()).isEqualTo(ci.id);
        assertThat(nvml.nvmlDeviceGetGpuInstanceId(device, id)).isEqualTo(NOT_SUPPORTED);
        PointerByReference parent = new PointerByReference();
        assertThat(nvml.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(migDevice.getValue(), parent)).isEqualTo(SUCCESS);
        assertThat(parent.getValue()).isEqualTo(device);

        byte[] uuid = new byte[NvmlLibrary.NVML_DEVICE_UUID_V2_BUFFER_SIZE];
        assertThat(nvml.nvmlDeviceGetUUID(migDevice.getValue(), uuid, uuid.length)).isEqualTo(SUCCESS);
        assertThat(Native.toString(uuid)).startsWith("MIG-").isNotEqualTo("MIG-" + A100_40GB_UUID.substring(4));
        assertThat(nvml.nvmlDeviceGetUUID(device, uuid, uuid.length)).isEqualTo(SUCCESS);
        assertThat(Native.toString(uuid)).isEqualTo(A100_40GB_UUID);
    }

    @Test
    void onAmpereTheModeCannotChangeWhileGpuInstancesExistAndAChangeWaitsForAReset() {
        Pointer device = device(A30_PF);
        NvmlLibrary.NvmlGpuInstancePlacement placement = new NvmlLibrary.NvmlGpuInstancePlacement();
        placement.start = 0;
        placement.size = 4;
        PointerByReference fourG = new PointerByReference();
        assertThat(nvml.nvmlDeviceCreateGpuInstanceWithPlacement(device, 0, placement, fourG)).isEqualTo(SUCCESS);
        IntByReference activation = new IntByReference(-1);
        assertThat(nvml.nvmlDeviceSetMigMode(device, NvmlLibrary.NVML_DEVICE_MIG_DISABLE, activation)).isEqualTo(IN_USE);

        assertThat(nvml.nvmlGpuInstanceDestroy(fourG.getValue())).isEqualTo(SUCCESS);
        assertThat(nvml.nvmlDeviceSetMigMode(device, NvmlLibrary.NVML_DEVICE_MIG_DISABLE, activation)).isEqualTo(SUCCESS);
        assertThat(activation.getValue()).isEqualTo(SUCCESS);
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        nvml.nvmlDeviceGetMigMode(device, current, pending);
        assertThat(current.getValue()).isEqualTo(NvmlLibrary.NVML_DEVICE_MIG_ENABLE);
        assertThat(pending.getValue()).isEqualTo(NvmlLibrary.NVML_DEVICE_MIG_DISABLE);

        SimulatedHosts.resetGpu(A30_PF);
        nvml.nvmlDeviceGetMigMode(device, current, pending);
        assertThat(current.getValue()).isEqualTo(NvmlLibrary.NVML_DEVICE_MIG_DISABLE);
    }

    @Test
    void aProfileInfoWithoutTheVersionWordIsAVersionMismatch() {
        NvmlLibrary.NvmlGpuInstanceProfileInfoV2 info = new NvmlLibrary.NvmlGpuInstanceProfileInfoV2();
        info.version = 0;
        assertThat(nvml.nvmlDeviceGetGpuInstanceProfileInfoV(device(A100_40GB_PF), 0, info)).isEqualTo(25);
    }

    private Pointer createThreeG(Pointer device, int start) {
        NvmlLibrary.NvmlGpuInstancePlacement placement = new NvmlLibrary.NvmlGpuInstancePlacement();
        placement.start = start;
        placement.size = 4;
        PointerByReference gpuInstance = new PointerByReference();
        assertThat(nvml.nvmlDeviceCreateGpuInstanceWithPlacement(device, THREE_G, placement, gpuInstance)).isEqualTo(SUCCESS);
        return gpuInstance.getValue();
    }

    private Pointer device(String pci) {
        PointerByReference handle = new PointerByReference();
        assertThat(nvml.nvmlDeviceGetHandleByPciBusId_v2(pci, handle)).isEqualTo(SUCCESS);
        return handle.getValue();
    }
}
