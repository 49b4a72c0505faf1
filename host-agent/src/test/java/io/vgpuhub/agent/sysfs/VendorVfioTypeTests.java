package io.vgpuhub.agent.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing of {@code nvidia/creatable_vgpu_types} in the forms seen on hosts and in public fixtures. */
class VendorVfioTypeTests {

    @Test
    void parsesTheDriversIdColonNameFormAndSkipsTheHeader() {
        String text = """
                ID    : vGPU Name
                1414 : NVIDIA H200X-1-18C
                557 : NVIDIA A40-8Q
                """;

        assertThat(VendorVfioType.parseCreatable(text)).containsExactly(
                new VendorVfioType(1414, "NVIDIA H200X-1-18C"), new VendorVfioType(557, "NVIDIA A40-8Q"));
        assertThat(VendorVfioType.parseCreatable(text).get(0).profile()).isEqualTo("H200X-1-18C");
    }

    @Test
    void parsesIdNameAndNameIdColumnsAndIgnoresNoise() {
        String text = "ID Name\n\n588 NVIDIA A10-1B\r\nNVIDIA A10-2Q\t591\n  garbage line  \n0 : NVIDIA A10-4Q\nGRID A10-8Q : 594\n";

        assertThat(VendorVfioType.parseCreatable(text)).containsExactly(
                new VendorVfioType(588, "NVIDIA A10-1B"), new VendorVfioType(591, "NVIDIA A10-2Q"),
                new VendorVfioType(594, "GRID A10-8Q"));
    }

    @Test
    void anEmptyListIsEmpty() {
        assertThat(VendorVfioType.parseCreatable("ID : vGPU Name\n")).isEmpty();
        assertThat(VendorVfioType.parseCreatable("")).isEmpty();
        assertThat(VendorVfioType.parseCreatable(null)).isEmpty();
    }

    @Test
    void framebufferFromTheProfileName() {
        assertThat(VendorVfioType.framebufferMib("A40-8Q")).isEqualTo(8192);
        assertThat(VendorVfioType.framebufferMib("M60-0Q")).isEqualTo(512);
        assertThat(VendorVfioType.framebufferMib("H200X-1-18C")).isEqualTo(18432);
        assertThat(VendorVfioType.framebufferMib("A100-1-5CME")).isEqualTo(5120);
        assertThat(VendorVfioType.framebufferMib("passthrough")).isZero();
    }
}
