package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The seeded catalog against the hardware facts it was copied from (shared/reference/nvidia.md §4 and §5). */
@SpringBootTest
class CatalogSeedTests {

    /** Memory slices per MIG-capable board: 8 on A100/H100, 4 on A30. */
    static final Map<String, Integer> MEMORY_SLICES = Map.of("A100-40GB", 8, "A100-80GB", 8, "H100-80GB", 8, "A30", 4);

    @Autowired
    JdbcClient jdbc;

    record MigOffering(String code, String gpuModel, String migProfile, int migSlices, Integer[] migStartSlots,
            int maxInstancesPerGpu) {
    }

    @Test
    void everyMigPlacementFitsInsideItsBoardsMemorySlices() {
        List<MigOffering> offerings = jdbc.sql("""
                select code, gpu_model, mig_profile, mig_slices, mig_start_slots, max_instances_per_gpu
                from offering where kind = 'MIG'""").query((rs, n) -> new MigOffering(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getInt(4), (Integer[]) rs.getArray(5).getArray(), rs.getInt(6))).list();
        assertThat(offerings).extracting(MigOffering::gpuModel).isNotEmpty()
                .containsAll(MEMORY_SLICES.keySet());
        for (MigOffering offering : offerings) {
            int slices = MEMORY_SLICES.get(offering.gpuModel());
            for (int start : offering.migStartSlots()) {
                assertThat(start + offering.migSlices()).as(offering.code() + " at slot " + start).isLessThanOrEqualTo(slices);
                assertThat(start % offering.migSlices()).as(offering.code() + " starts aligned to its size").isZero();
            }
            // Max instances can never exceed how many non-overlapping starts exist.
            long disjointStarts = java.util.Arrays.stream(offering.migStartSlots()).filter(s -> s % offering.migSlices() == 0).count();
            assertThat(offering.maxInstancesPerGpu()).as(offering.code()).isLessThanOrEqualTo((int) disjointStarts);
            if (offering.migProfile().endsWith("+me")) {
                assertThat(offering.maxInstancesPerGpu()).as("a +me profile has one instance").isEqualTo(1);
            }
        }
    }

    @Test
    void theMigPlacementsAreThoseNvidiaPublishes() {
        assertThat(startsOf("A100-40GB 3g.20gb")).containsExactly(0, 4);
        assertThat(startsOf("H100-80GB 1g.20gb")).containsExactly(0, 2, 4, 6);
        assertThat(startsOf("A100-80GB 2g.20gb")).containsExactly(0, 2, 4);
        assertThat(startsOf("A30 2g.12gb")).containsExactly(0, 2);
        assertThat(startsOf("H100-80GB 7g.80gb")).containsExactly(0);
    }

    record VgpuOffering(String code, String vgpuType, String licenseEdition, int framebufferMib, int maxInstancesPerGpu) {
    }

    @Test
    void everyTimeSlicedProfileTakesItsEditionFromItsSeriesAndFitsItsBoard() {
        Map<String, Integer> boardMib = Map.of("A40", 49152, "A10", 24576, "L40S", 49152, "A16", 16384, "T4", 16384);
        Map<Character, String> editionBySeries = Map.of('A', "VAPPS", 'B', "VPC", 'Q', "VWS", 'C', "VCS");
        List<VgpuOffering> offerings = jdbc.sql("""
                select code, vgpu_type, license_edition, framebuffer_mib, max_instances_per_gpu
                from offering where kind = 'VGPU'""").query(VgpuOffering.class).list();
        assertThat(offerings).extracting(o -> o.vgpuType().substring(0, o.vgpuType().indexOf('-')))
                .containsAll(boardMib.keySet());
        for (VgpuOffering offering : offerings) {
            String type = offering.vgpuType();
            char series = type.charAt(type.length() - 1);
            int gigabytes = Integer.parseInt(type.substring(type.indexOf('-') + 1, type.length() - 1));
            assertThat(offering.licenseEdition()).as(type).isEqualTo(editionBySeries.get(series));
            assertThat(offering.framebufferMib()).as(type).isEqualTo(gigabytes * 1024);
            String board = type.substring(0, type.indexOf('-'));
            assertThat((long) offering.framebufferMib() * offering.maxInstancesPerGpu()).as(type)
                    .isLessThanOrEqualTo(boardMib.get(board));
            assertThat(offering.maxInstancesPerGpu()).as("SR-IOV caps a GPU at 32 vGPUs").isLessThanOrEqualTo(32);
        }
    }

    @Test
    void everyBoardCanBeRentedWholeAndEveryOfferingHasAPrice() {
        assertThat(jdbc.sql("select gpu_model from offering where kind = 'PASSTHROUGH'").query(String.class).list())
                .containsExactlyInAnyOrder("A40", "A10", "L40S", "A16", "T4", "A100-40GB", "A100-80GB", "H100-80GB", "A30");
        assertThat(jdbc.sql("select code from offering where price_per_hour <= 0").query(String.class).list()).isEmpty();
        assertThat(jdbc.sql("select code from offering where kind = 'MIG' and license_edition is not null")
                .query(String.class).list()).as("bare MIG instances run no vGPU software").isEmpty();
        assertThat(jdbc.sql("select distinct license_edition from offering where kind = 'PASSTHROUGH'")
                .query(String.class).list()).as("passthrough needs a vCS seat by default").containsExactly("VCS");
    }

    private List<Integer> startsOf(String code) {
        Integer[] starts = jdbc.sql("select mig_start_slots from offering where code = ?").param(code)
                .query((rs, n) -> (Integer[]) rs.getArray(1).getArray()).single();
        return List.of(starts);
    }
}
