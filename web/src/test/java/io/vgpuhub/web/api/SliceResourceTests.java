package io.vgpuhub.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.licensing.LicenseStatus;
import io.vgpuhub.web.slice.SliceState;
import io.vgpuhub.web.slice.SliceView;
import org.junit.jupiter.api.Test;

/** What the API tells a tenant to attach, per kind of slice, and that it says nothing before the slice is READY. */
class SliceResourceTests {

    private static final UUID ID = UUID.fromString("3f1c9a6e-5b7d-4c2e-9a1f-0e8d7c6b5a49");

    @Test
    void aVgpuAttachesAsItsMediatedDevice() {
        SliceResource slice = SliceResource.of(view(SliceState.READY, "A40-8Q", "0000:41:00.0", "0000:41:00.5"), SliceKind.VGPU, null, null);
        assertThat(slice.attach().mdevUuid()).isEqualTo(ID);
        assertThat(slice.attach().libvirtHostdev()).contains("type='mdev'", "<address uuid='" + ID + "'/>");
        assertThat(slice.attach().pciAddress()).isEqualTo("0000:41:00.5");
        assertThat(slice.attach().migDeviceUuid()).isNull();
    }

    @Test
    void aPassthroughGpuAttachesAsAnUnmanagedPciHostdevOfTheWholeGpuAsThePortalShowsIt() {
        SliceResource slice = SliceResource.of(view(SliceState.READY, "A40 whole GPU", "0000:c1:1f.7", null),
                SliceKind.PASSTHROUGH, null, null);
        assertThat(slice.attach().pciAddress()).isEqualTo("0000:c1:1f.7");
        assertThat(slice.attach().libvirtHostdev()).contains("<hostdev mode='subsystem' type='pci' managed='no'>",
                "<address domain='0x0000' bus='0xc1' slot='0x1f' function='0x7'/>").doesNotContain("managed='yes'");
        assertThat(slice.attach().libvirtHostdev()).isEqualTo(view(SliceState.READY, "A40 whole GPU", "0000:c1:1f.7", null)
                .libvirtHostdev());
        assertThat(slice.attach().mdevUuid()).isNull();
    }

    @Test
    void aMigSliceAttachesByItsMigDeviceUuid() {
        String mig = "MIG-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";
        SliceResource slice = SliceResource.of(view(SliceState.READY, "A100-40GB 1g.5gb", "0000:81:00.0", null), SliceKind.MIG, mig, null);
        assertThat(slice.attach().migDeviceUuid()).isEqualTo(mig);
        assertThat(slice.attach().pciAddress()).isEqualTo("0000:81:00.0");
        assertThat(slice.attach().mdevUuid()).isNull();
        assertThat(slice.attach().libvirtHostdev()).isNull();
    }

    @Test
    void nothingIsToBeAttachedBeforeTheSliceIsReadyOrAfterItIsReleased() {
        for (SliceState state : new SliceState[] {SliceState.PLACED, SliceState.PROVISIONING, SliceState.RELEASING,
                SliceState.RELEASED, SliceState.FAILED}) {
            assertThat(SliceResource.of(view(state, "A40-8Q", "0000:41:00.0", "0000:41:00.5"), SliceKind.VGPU, null, null).attach())
                    .as(state.name()).isNull();
        }
    }

    @Test
    void saysWhetherARunningSliceHoldsALicenseSeat() {
        SliceView ready = view(SliceState.READY, "A40-8Q", "0000:41:00.0", "0000:41:00.5");
        assertThat(SliceResource.of(ready, SliceKind.VGPU, null, LicenseStatus.LICENSED).licensed()).isTrue();
        assertThat(SliceResource.of(ready, SliceKind.VGPU, null, LicenseStatus.UNLICENSED).licensed()).isFalse();
        assertThat(SliceResource.of(ready, SliceKind.VGPU, null, null).licensed()).isNull();
    }

    private static SliceView view(SliceState state, String offering, String gpuPci, String vfPci) {
        SliceKind kind = vfPci != null || offering.matches(".*-[0-9]+[ABQC]$") ? SliceKind.VGPU
                : offering.contains("g.") ? SliceKind.MIG : SliceKind.PASSTHROUGH;
        return new SliceView(1, ID, "vm-1", state, kind, offering, null, kind == SliceKind.VGPU ? offering : null, null,
                null, null, "host-1", gpuPci, vfPci, null, null, null, null, Instant.now(),
                state == SliceState.READY ? Instant.now() : null, state == SliceState.RELEASED ? Instant.now() : null, false);
    }
}
