package io.vgpuhub.agent.nvml;

import static io.vgpuhub.agent.support.SimulatedHosts.A100_40GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.A100_80GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.A30_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.H100_PF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.support.SimulatedHosts;

/** MIG through the Mig facade, the real JNA binding and the compiled simulator. */
class MigTests {

    private static final int ONE_G = 19;
    private static final int ONE_G_ME = 20;
    private static final int ONE_G_DOUBLE_MEMORY = 15;
    private static final int TWO_G = 14;
    private static final int THREE_G = 9;
    private static final int FOUR_G = 5;
    private static final int SEVEN_G = 0;

    @TempDir
    Path dir;

    private Nvml nvml;
    private Mig mig;

    @BeforeEach
    void bootMigBoards() {
        SimulatedHosts.bootMigBoards(dir);
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        mig = nvml.mig();
    }

    @AfterEach
    void close() {
        nvml.close();
    }

    @Test
    void theA100FortyGigabyteProfilesMatchTheReference() {
        assertThat(mig.profiles(A100_40GB_PF))
                .extracting(GpuInstanceProfile::id, GpuInstanceProfile::name, GpuInstanceProfile::sliceCount,
                        GpuInstanceProfile::instanceCount, GpuInstanceProfile::multiprocessorCount)
                .containsExactlyInAnyOrder(
                        tuple(19, "MIG 1g.5gb", 1, 7, 14), tuple(20, "MIG 1g.5gb+me", 1, 1, 14),
                        tuple(15, "MIG 1g.10gb", 1, 4, 14), tuple(14, "MIG 2g.10gb", 2, 3, 28),
                        tuple(9, "MIG 3g.20gb", 3, 2, 42), tuple(5, "MIG 4g.20gb", 4, 1, 56), tuple(0, "MIG 7g.40gb", 7, 1, 98));
        assertThat(mig.profiles(A100_40GB_PF)).filteredOn(p -> p.id() == ONE_G_DOUBLE_MEMORY).singleElement()
                .extracting(GpuInstanceProfile::index).isEqualTo(0x9);
        assertThat(placements(A100_40GB_PF, ONE_G)).isEqualTo("{0,1,2,3,4,5,6}:1");
        assertThat(placements(A100_40GB_PF, ONE_G_ME)).isEqualTo("{0,1,2,3,4,5,6}:1");
        assertThat(placements(A100_40GB_PF, ONE_G_DOUBLE_MEMORY)).isEqualTo("{0,2,4,6}:2");
        assertThat(placements(A100_40GB_PF, TWO_G)).isEqualTo("{0,2,4}:2");
        assertThat(placements(A100_40GB_PF, THREE_G)).isEqualTo("{0,4}:4");
        assertThat(placements(A100_40GB_PF, FOUR_G)).isEqualTo("{0}:4");
        assertThat(placements(A100_40GB_PF, SEVEN_G)).isEqualTo("{0}:8");
    }

    @Test
    void theH100ProfilesMatchTheReferenceAndShareTheA100Placements() {
        assertThat(mig.profiles(H100_PF))
                .extracting(GpuInstanceProfile::id, GpuInstanceProfile::name, GpuInstanceProfile::instanceCount,
                        GpuInstanceProfile::multiprocessorCount)
                .containsExactlyInAnyOrder(
                        tuple(19, "MIG 1g.10gb", 7, 16), tuple(20, "MIG 1g.10gb+me", 1, 16), tuple(15, "MIG 1g.20gb", 4, 26),
                        tuple(14, "MIG 2g.20gb", 3, 32), tuple(9, "MIG 3g.40gb", 2, 60), tuple(5, "MIG 4g.40gb", 1, 64),
                        tuple(0, "MIG 7g.80gb", 1, 132));
        for (GpuInstanceProfile profile : mig.profiles(A100_40GB_PF)) {
            assertThat(mig.possiblePlacements(H100_PF, profile.id())).isEqualTo(mig.possiblePlacements(A100_40GB_PF, profile.id()));
        }
    }

    @Test
    void theA30HasItsOwnProfileIdsOnFourSlices() {
        assertThat(mig.profiles(A30_PF)).extracting(GpuInstanceProfile::id, GpuInstanceProfile::name)
                .containsExactlyInAnyOrder(tuple(14, "MIG 1g.6gb"), tuple(21, "MIG 1g.6gb+me"), tuple(5, "MIG 2g.12gb"),
                        tuple(6, "MIG 2g.12gb+me"), tuple(0, "MIG 4g.24gb"));
        assertThat(placements(A30_PF, 14)).isEqualTo("{0,1,2,3}:1");
        assertThat(placements(A30_PF, 5)).isEqualTo("{0,2}:2");
        assertThat(placements(A30_PF, 0)).isEqualTo("{0}:4");
    }

    @Test
    void aGpuInstanceIsCreatedAtAnAllowedStartWithItsFullSizeComputeInstance() {
        GpuInstance created = mig.create(A100_40GB_PF, TWO_G, 4);

        assertThat(created.profileId()).isEqualTo(TWO_G);
        assertThat(created.placement()).isEqualTo(new Placement(4, 2));
        assertThat(created.migDeviceUuids()).singleElement().asString()
                .matches("MIG-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(mig.instances(A100_40GB_PF)).containsExactly(created);
    }

    @Test
    void aGpuInstanceAtAForbiddenStartIsAnInvalidArgument() {
        assertNvmlError(() -> mig.create(A100_40GB_PF, TWO_G, 1), "NVML_ERROR_INVALID_ARGUMENT");
        assertNvmlError(() -> mig.create(A100_40GB_PF, THREE_G, 2), "NVML_ERROR_INVALID_ARGUMENT");
        assertThat(mig.instances(A100_40GB_PF)).isEmpty();
    }

    @Test
    void overlappingMemorySlicesAreInsufficientResources() {
        mig.create(A100_40GB_PF, THREE_G, 0);

        assertNvmlError(() -> mig.create(A100_40GB_PF, TWO_G, 2), "NVML_ERROR_INSUFFICIENT_RESOURCES");
        assertThat(mig.instances(A100_40GB_PF)).extracting(GpuInstance::profileId).containsExactly(THREE_G);
    }

    @Test
    void fourGTwoGAndOneGFitAtZeroFourAndSix() {
        mig.create(A100_40GB_PF, FOUR_G, 0);
        mig.create(A100_40GB_PF, TWO_G, 4);
        mig.create(A100_40GB_PF, ONE_G, 6);

        assertThat(mig.instances(A100_40GB_PF)).extracting(GpuInstance::profileId, GpuInstance::placement)
                .containsExactly(tuple(FOUR_G, new Placement(0, 4)), tuple(TWO_G, new Placement(4, 2)),
                        tuple(ONE_G, new Placement(6, 1)));
        assertThat(mig.remainingCapacity(A100_40GB_PF, ONE_G)).isZero();
    }

    @Test
    void fourGWithTwoTwoGsIsImpossible() {
        mig.create(A100_40GB_PF, FOUR_G, 0);
        mig.create(A100_40GB_PF, TWO_G, 4);

        assertThat(mig.remainingCapacity(A100_40GB_PF, TWO_G)).isZero();
        for (Placement placement : mig.possiblePlacements(A100_40GB_PF, TWO_G)) {
            assertNvmlError(() -> mig.create(A100_40GB_PF, TWO_G, placement.start()), "NVML_ERROR_INSUFFICIENT_RESOURCES");
        }
    }

    @Test
    void twoThreeGsLeaveNoRoomForAOneGThoughAComputeSliceIsIdle() {
        mig.create(A100_40GB_PF, THREE_G, 0);
        mig.create(A100_40GB_PF, THREE_G, 4);

        assertThat(mig.remainingCapacity(A100_40GB_PF, ONE_G)).isZero();
        assertNvmlError(() -> mig.create(A100_40GB_PF, ONE_G, 6), "NVML_ERROR_INSUFFICIENT_RESOURCES");
    }

    @Test
    void onlyOneOneGWithMediaExtensionsFits() {
        assertThat(mig.remainingCapacity(A100_40GB_PF, ONE_G_ME)).isEqualTo(1);
        mig.create(A100_40GB_PF, ONE_G_ME, 0);

        assertThat(mig.remainingCapacity(A100_40GB_PF, ONE_G_ME)).isZero();
        assertNvmlError(() -> mig.create(A100_40GB_PF, ONE_G_ME, 1), "NVML_ERROR_INSUFFICIENT_RESOURCES");
        assertThat(mig.remainingCapacity(A100_40GB_PF, ONE_G)).isEqualTo(6);
    }

    @Test
    void destroyingTakesTheComputeInstanceWithItAndFreesTheSlices() {
        GpuInstance sevenG = mig.create(A100_40GB_PF, SEVEN_G, 0);

        mig.destroy(A100_40GB_PF, sevenG.id());

        assertThat(mig.instances(A100_40GB_PF)).isEmpty();
        assertThat(mig.remainingCapacity(A100_40GB_PF, ONE_G)).isEqualTo(7);
        assertNvmlError(() -> mig.destroy(A100_40GB_PF, sevenG.id()), "NVML_ERROR_NOT_FOUND");
    }

    @Test
    void theModeCannotChangeWhileGpuInstancesExist() {
        GpuInstance instance = mig.create(H100_PF, ONE_G, 0);

        assertNvmlError(() -> mig.setMode(H100_PF, false), "NVML_ERROR_IN_USE");
        mig.destroy(H100_PF, instance.id());
        assertThat(mig.setMode(H100_PF, false)).isEqualTo(MigModeChange.APPLIED);
    }

    @Test
    void onHopperAModeChangeAppliesAtOnce() {
        assertThat(mig.setMode(H100_PF, false)).isEqualTo(MigModeChange.APPLIED);
        assertThat(mig.mode(H100_PF)).isEqualTo(new MigMode(false, false));
        assertThat(mig.setMode(H100_PF, false)).isEqualTo(MigModeChange.UNCHANGED);
        assertNvmlError(() -> mig.create(H100_PF, ONE_G, 0), "NVML_ERROR_NOT_SUPPORTED");
    }

    @Test
    void onAmpereAModeChangeIsPendingUntilTheGpuIsReset() {
        assertThat(mig.mode(A100_80GB_PF)).isEqualTo(new MigMode(false, false));

        assertThat(mig.setMode(A100_80GB_PF, true)).isEqualTo(MigModeChange.PENDING_RESET);
        assertThat(mig.mode(A100_80GB_PF)).isEqualTo(new MigMode(false, true));
        assertThat(mig.mode(A100_80GB_PF).resetRequired()).isTrue();
        assertNvmlError(() -> mig.create(A100_80GB_PF, ONE_G, 0), "NVML_ERROR_NOT_SUPPORTED");

        SimulatedHosts.resetGpu(A100_80GB_PF);

        assertThat(mig.mode(A100_80GB_PF)).isEqualTo(new MigMode(true, true));
        assertThat(mig.create(A100_80GB_PF, ONE_G, 0).placement()).isEqualTo(new Placement(0, 1));
    }

    @Test
    void aGpuWithoutMigSaysNotSupported() {
        SimulatedHosts.bootTwoA40s(dir.resolve("a40"));
        try (Nvml a40 = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertNvmlError(() -> a40.mig().mode(SimulatedHosts.A40_PF), "NVML_ERROR_NOT_SUPPORTED");
            assertThat(a40.utilization(SimulatedHosts.A40_PF).gpuPercent()).isBetween(0, 100);
        }
    }

    @Test
    void utilizationIsNotSupportedWhileMigIsEnabled() {
        assertNvmlError(() -> nvml.utilization(A100_40GB_PF), "NVML_ERROR_NOT_SUPPORTED");
        assertThat(nvml.utilization(A100_80GB_PF).gpuPercent()).isBetween(0, 100);
    }

    private String placements(String pci, int profileId) {
        List<Placement> placements = mig.possiblePlacements(pci, profileId);
        assertThat(placements).extracting(Placement::size).containsOnly(placements.get(0).size());
        return placements.stream().map(p -> String.valueOf(p.start())).toList().toString()
                .replace("[", "{").replace("]", "}").replace(", ", ",") + ":" + placements.get(0).size();
    }

    static void assertNvmlError(ThrowingCallable call, String codeName) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.codeName()).isEqualTo(codeName));
    }
}
