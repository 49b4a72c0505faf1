package io.vgpuhub.agent.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MdevTypeDescriptionTests {

    @Test
    void parsesAnA40QSeriesDescription() {
        assertThat(MdevTypeDescription.parse("num_heads=4, frl_config=60, framebuffer=8192M, max_resolution=7680x4320, max_instance=6\n"))
                .isEqualTo(new MdevTypeDescription(4, 60, 8192, "7680x4320", 6));
    }

    @Test
    void parsesAPascalCSeriesDescriptionAsMdevctlPrintsIt() {
        assertThat(MdevTypeDescription.parse("num_heads=1, frl_config=60, framebuffer=4096M, max_resolution=4096x2400, max_instance=6"))
                .isEqualTo(new MdevTypeDescription(1, 60, 4096, "4096x2400", 6));
    }

    @Test
    void toleratesUnknownKeysOddSpacingAndGigabytes() {
        assertThat(MdevTypeDescription.parse(" num_heads=2 ,framebuffer=2G,  extra=yes,max_instance=24 "))
                .isEqualTo(new MdevTypeDescription(2, 0, 2048, "", 24));
    }

    @Test
    void leavesMissingFieldsEmpty() {
        assertThat(MdevTypeDescription.parse("")).isEqualTo(new MdevTypeDescription(0, 0, 0, "", 0));
    }

    @Test
    void rejectsMalformedNumbersWithTheDescriptionInTheMessage() {
        assertThatThrownBy(() -> MdevTypeDescription.parse("num_heads=four, framebuffer=8192M"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num_heads");
        assertThatThrownBy(() -> MdevTypeDescription.parse("framebuffer=lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("framebuffer=lots");
        assertThatThrownBy(() -> MdevTypeDescription.parse("num_heads"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProfileIsTheLastTokenOfTheName() {
        MdevTypeDescription any = MdevTypeDescription.parse("");
        assertThat(new MdevType("p", "nvidia-1", "GRID P40-2B", any, 0, "vfio-pci").profile()).isEqualTo("P40-2B");
        assertThat(new MdevType("p", "nvidia-1", "NVIDIA RTX Pro 6000 Blackwell DC-48C", any, 0, "vfio-pci").profile()).isEqualTo("DC-48C");
    }
}
