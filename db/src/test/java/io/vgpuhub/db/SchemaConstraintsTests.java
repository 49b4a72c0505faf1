package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.vgpuhub.db.SchemaFixtures.Offering;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

/**
 * The schema is the last line of defence against double booking: each test feeds it a row it must refuse and checks
 * that PostgreSQL refused it for the right reason (SQLState and, where there is one, the constraint's name), and
 * that the refused statement left nothing behind.
 *
 * <p>Every test runs in a transaction that is rolled back afterwards; each statement expected to fail runs inside a
 * savepoint (a nested transaction) so that the test can go on reading the database after the failure.
 */
@SpringBootTest
@Transactional
class SchemaConstraintsTests extends SchemaTestSupport {

    // ---------------------------------------------------------------- one live slice per virtual function

    @Test
    void aVirtualFunctionHoldsAtMostOneLiveSlice() {
        Offering offering = db.vgpuOffering("A100-10C");
        long gpu = db.gpu("VGPU");
        long vf = db.virtualFunction(gpu);
        db.slice(offering).on(gpu, vf).insert();

        assertThatStatement(() -> db.slice(offering).on(gpu, vf).state("PROVISIONING").insert())
                .isRejectedWith(EXCLUSION_VIOLATION).byConstraint("slice_vf_id_excl");
        assertThat(slicesOnVirtualFunction(vf)).isEqualTo(1);
    }

    @Test
    void aVirtualFunctionTakesANewSliceOnceTheFormerIsReleased() {
        Offering offering = db.vgpuOffering("A100-10C");
        long gpu = db.gpu("VGPU");
        long vf = db.virtualFunction(gpu);
        db.slice(offering).on(gpu, vf).released().insert();
        long former = db.slice(offering).on(gpu, vf).insert();
        db.release(former);

        db.slice(offering).on(gpu, vf).state("PLACED").insert();

        assertThat(slicesOnVirtualFunction(vf)).isEqualTo(3);
    }

    // ---------------------------------------------------------------- MIG placements

    @Test
    void overlappingMigPlacementsOnOneGpuAreRejected() {
        long gpu = db.gpu("MIG");
        db.slice(db.migOffering(3)).onSlots(gpu, 0, 3).insert();

        assertThatStatement(() -> db.slice(db.migOffering(2)).onSlots(gpu, 2, 2).insert())
                .isRejectedWith(EXCLUSION_VIOLATION).byConstraint("slice_gpu_id_int4range_excl");
        assertThatStatement(() -> db.slice(db.migOffering(1)).onSlots(gpu, 0, 1).state("PLACED").insert())
                .isRejectedWith(EXCLUSION_VIOLATION).byConstraint("slice_gpu_id_int4range_excl");
        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void adjacentMigPlacementsShareAGpu() {
        Offering half = db.migOffering(4);
        long gpu = db.gpu("MIG");

        db.slice(half).onSlots(gpu, 0, 4).insert();
        db.slice(half).onSlots(gpu, 4, 4).insert();

        assertThat(liveSlicesOn(gpu)).isEqualTo(2);
    }

    @Test
    void overlappingMigPlacementsOnDifferentGpusAreFine() {
        long gpu = db.gpu("MIG");
        long otherGpu = db.gpu("MIG");

        db.slice(db.migOffering(3)).onSlots(gpu, 0, 3).insert();
        db.slice(db.migOffering(2)).onSlots(otherGpu, 2, 2).insert();

        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
        assertThat(liveSlicesOn(otherGpu)).isEqualTo(1);
    }

    @Test
    void aReleasedMigSliceNoLongerHoldsItsSlots() {
        long gpu = db.gpu("MIG");
        db.slice(db.migOffering(7)).onSlots(gpu, 0, 7).released().insert();
        long former = db.slice(db.migOffering(3)).onSlots(gpu, 0, 3).insert();
        db.release(former);

        db.slice(db.migOffering(2)).onSlots(gpu, 2, 2).insert();

        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void aMigPlacementBeyondTheEighthSlotIsRejected() {
        long gpu = db.gpu("MIG");
        Offering offering = db.migOffering(3);

        assertThatStatement(() -> db.slice(offering).onSlots(gpu, 6, 3).insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "((mig_start_slot + mig_size) <= 8)");
        assertThatStatement(() -> db.slice(offering).onSlots(gpu, -1, 2).insert())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("slice_mig_start_slot_check");
        assertThatStatement(() -> db.slice(offering).onSlots(gpu, 0, 0).insert())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("slice_mig_size_check");
        assertThat(liveSlicesOn(gpu)).isZero();

        db.slice(offering).onSlots(gpu, 5, 3).insert();
        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void aPlacedMigSliceNeedsItsSlotsAndOnlyMigSlicesHaveSlots() {
        long migGpu = db.gpu("MIG");
        long passthroughGpu = db.gpu("PASSTHROUGH");

        assertThatStatement(() -> db.slice(db.migOffering(1)).on(migGpu).insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(mig_start_slot IS NOT NULL) AND (mig_size IS NOT NULL)");
        assertThatStatement(() -> db.slice(db.passthroughOffering()).onSlots(passthroughGpu, 0, 1).insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(mig_start_slot IS NOT NULL) AND (mig_size IS NOT NULL)");
        assertThat(liveSlicesOn(migGpu) + liveSlicesOn(passthroughGpu)).isZero();
    }

    // ---------------------------------------------------------------- passthrough

    @Test
    void aPassthroughGpuHoldsOneLiveSlice() {
        Offering offering = db.passthroughOffering();
        long gpu = db.gpu("PASSTHROUGH");
        db.slice(offering).on(gpu).insert();

        assertThatStatement(() -> db.slice(offering).on(gpu).state("PLACED").insert())
                .isRejectedWith(EXCLUSION_VIOLATION).byConstraint("slice_gpu_id_excl");
        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void aPassthroughGpuTakesANewSliceOnceTheFormerIsReleased() {
        Offering offering = db.passthroughOffering();
        long gpu = db.gpu("PASSTHROUGH");
        long former = db.slice(offering).on(gpu).insert();
        db.release(former);

        db.slice(offering).on(gpu).insert();

        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- one vGPU type per GPU

    @Test
    void aGpuRunsOneVgpuTypeAtATime() {
        Offering tenGigabytes = db.vgpuOffering("A100-10C");
        Offering fiveGigabytes = db.vgpuOffering("A100-5C");
        long gpu = db.gpu("VGPU");
        long vf = db.virtualFunction(gpu);
        long otherVf = db.virtualFunction(gpu);
        db.slice(tenGigabytes).on(gpu, vf).insert();

        assertThatStatement(() -> db.slice(fiveGigabytes).on(gpu, otherVf).insert())
                .isRejectedWith(EXCLUSION_VIOLATION).byConstraint("slice_gpu_id_offering_id_excl");
        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void slicesOfOneVgpuOfferingShareAGpu() {
        Offering offering = db.vgpuOffering("A100-10C");
        long gpu = db.gpu("VGPU");

        for (int i = 0; i < 4; i++) {
            db.slice(offering).on(gpu, db.virtualFunction(gpu)).insert();
        }

        assertThat(liveSlicesOn(gpu)).isEqualTo(4);
    }

    @Test
    void aGpuTakesAnotherVgpuTypeOnceItsSlicesAreReleased() {
        Offering tenGigabytes = db.vgpuOffering("A100-10C");
        Offering fiveGigabytes = db.vgpuOffering("A100-5C");
        long gpu = db.gpu("VGPU");
        long former = db.slice(tenGigabytes).on(gpu, db.virtualFunction(gpu)).insert();
        db.release(former);

        db.slice(fiveGigabytes).on(gpu, db.virtualFunction(gpu)).insert();

        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void aPlacedVgpuSliceOnAnSriovGpuSitsOnAVirtualFunction() {
        long gpu = db.gpu("VGPU");

        assertThatStatement(() -> db.slice(db.vgpuOffering("A100-10C")).on(gpu).insert())
                .isRejectedWith(CHECK_VIOLATION).byTrigger("slice_gpu_mode_check", "needs a virtual function");
        assertThat(liveSlicesOn(gpu)).isZero();
    }

    @Test
    void aVgpuOnAGpuWithoutSriovSitsOnTheGpuItself() {
        long gpu = db.gpu("VGPU");
        jdbc.sql("update gpu set sriov = false where id = ?").param(gpu).update();

        db.slice(db.vgpuOffering("T4-4C")).on(gpu).insert();

        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- kinds and modes

    @Test
    void aSlicesKindMustMatchItsOfferingsKind() {
        // A vGPU offering's slice posing as passthrough would dodge every vGPU rule.
        Offering vgpu = db.vgpuOffering("A100-10C");
        long gpu = db.gpu("PASSTHROUGH");

        assertThatStatement(() -> db.slice(vgpu).kind("PASSTHROUGH").on(gpu).insert())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("slice_offering_id_kind_fkey");
        assertThatStatement(() -> db.slice(vgpu).kind("MIG").state("REQUESTED").insert())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("slice_offering_id_kind_fkey");
        assertThat(slicesOfOffering(vgpu)).isZero();
    }

    @Test
    void aLiveSliceCannotSitOnAGpuInAnotherMode() {
        long migGpu = db.gpu("MIG");

        assertThatStatement(() -> db.slice(db.passthroughOffering()).on(migGpu).insert())
                .isRejectedWith(CHECK_VIOLATION)
                .byTrigger("slice_gpu_mode_check", "a PASSTHROUGH slice cannot sit on a GPU in MIG mode");
        assertThat(liveSlicesOn(migGpu)).isZero();
    }

    @Test
    void aLiveSliceCannotMoveToAGpuInAnotherMode() {
        Offering offering = db.passthroughOffering();
        long passthroughGpu = db.gpu("PASSTHROUGH");
        long vgpuGpu = db.gpu("VGPU");
        long slice = db.slice(offering).on(passthroughGpu).insert();

        assertThatStatement(() -> jdbc.sql("update slice set gpu_id = :gpu where id = :id")
                .param("gpu", vgpuGpu).param("id", slice).update())
                .isRejectedWith(CHECK_VIOLATION)
                .byTrigger("slice_gpu_mode_check", "a PASSTHROUGH slice cannot sit on a GPU in VGPU mode");
        assertThat(liveSlicesOn(passthroughGpu)).isEqualTo(1);
    }

    @Test
    void aGpuKeepsItsModeWhileItHoldsALiveSlice() {
        long gpu = db.gpu("MIG");
        db.slice(db.migOffering(1)).onSlots(gpu, 0, 1).released().insert();
        db.slice(db.migOffering(1)).onSlots(gpu, 1, 1).state("RELEASING").insert();

        assertThatStatement(() -> jdbc.sql("update gpu set mode = 'VGPU' where id = :id").param("id", gpu).update())
                .isRejectedWith(CHECK_VIOLATION)
                .byTrigger("gpu_mode_change_check", "holds live slices; its mode cannot change from MIG to VGPU");
        assertThat(modeOf(gpu)).isEqualTo("MIG");
    }

    @Test
    void aGpuChangesModeOnceAllItsSlicesAreReleased() {
        long gpu = db.gpu("MIG");
        long first = db.slice(db.migOffering(3)).onSlots(gpu, 0, 3).insert();
        long second = db.slice(db.migOffering(4)).onSlots(gpu, 4, 4).insert();
        db.release(first);
        db.release(second);

        jdbc.sql("update gpu set mode = 'PASSTHROUGH' where id = :id").param("id", gpu).update();

        assertThat(modeOf(gpu)).isEqualTo("PASSTHROUGH");
        db.slice(db.passthroughOffering()).on(gpu).insert();
        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- states, modes, roles and formats

    @Test
    void aSliceInAnUnknownStateIsRejected() {
        long gpu = db.gpu("PASSTHROUGH");

        assertThatStatement(() -> db.slice(db.passthroughOffering()).on(gpu).state("RUNNING").insert())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("slice_state_check");
        assertThat(slicesOn(gpu)).isZero();
    }

    @Test
    void aGpuInAnUnknownModeIsRejected() {
        long host = db.host();

        assertThatStatement(() -> jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                values (:host, '0000:81:00.0', :uuid, 'A100', 40960, 'SRIOV')""")
                .param("host", host).param("uuid", SchemaFixtures.gpuUuid()).update())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("gpu_mode_check");
        assertThat(gpusOn(host)).isZero();
    }

    @Test
    void anUnknownRoleIsRejected() {
        long user = db.tenancy().userId();

        assertThatStatement(() -> db.grant(user, "SUPERUSER"))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("user_role_role_check");
        assertThatStatement(() -> db.grant(user, "tenant_user"))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("user_role_role_check");
        assertThat(rolesOf(user)).isZero();
    }

    @Test
    void tenantRolesNeedAUserWhoBelongsToATenant() {
        long operator = db.user(null);
        long tenantUser = db.tenancy().userId();

        assertThatStatement(() -> db.grant(operator, "TENANT_ADMIN"))
                .isRejectedWith(CHECK_VIOLATION)
                .byTrigger("user_role_tenant_check", "role TENANT_ADMIN needs a user that belongs to a tenant");
        assertThatStatement(() -> db.grant(operator, "TENANT_USER"))
                .isRejectedWith(CHECK_VIOLATION)
                .byTrigger("user_role_tenant_check", "role TENANT_USER needs a user that belongs to a tenant");
        assertThat(rolesOf(operator)).isZero();

        db.grant(operator, "OPERATOR");
        db.grant(tenantUser, "TENANT_ADMIN");
        assertThat(rolesOf(operator)).isEqualTo(1);
        assertThat(rolesOf(tenantUser)).isEqualTo(1);
    }

    @Test
    void aMalformedPciAddressIsRejected() {
        long host = db.host();
        long gpu = db.gpu("VGPU");
        for (String address : new String[] { "0000:3B:00.0", "3b:00.0", "0000:3b:20.0", "0000:3b:00.8", "0000:3b:00" }) {
            assertThatStatement(() -> jdbc.sql("""
                    insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                    values (:host, :address, :uuid, 'A100', 40960, 'VGPU')""")
                    .param("host", host).param("address", address).param("uuid", SchemaFixtures.gpuUuid()).update())
                    .as(address).isRejectedWith(CHECK_VIOLATION).byConstraint("gpu_pci_address_check");
            assertThatStatement(() -> jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (:gpu, :address)")
                    .param("gpu", gpu).param("address", address).update())
                    .as(address).isRejectedWith(CHECK_VIOLATION).byConstraint("virtual_function_pci_address_check");
        }
        assertThat(gpusOn(host)).isEqualTo(1);
        assertThat(count("select count(*) from virtual_function where gpu_id = ?", gpu)).isZero();
    }

    @Test
    void aMalformedGpuUuidIsRejected() {
        long host = db.host();
        String valid = "GPU-5ad1c0de-0b1e-4f5a-9c3d-2e7f8a9b0c1d";
        for (String uuid : new String[] { valid.substring(4), valid.toUpperCase(), "gpu-" + valid.substring(4),
                valid.substring(0, valid.length() - 1), "MIG-" + valid.substring(4) }) {
            assertThatStatement(() -> jdbc.sql("""
                    insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                    values (:host, '0000:82:00.0', :uuid, 'A100', 40960, 'MIG')""")
                    .param("host", host).param("uuid", uuid).update())
                    .as(uuid).isRejectedWith(CHECK_VIOLATION).byConstraint("gpu_uuid_check");
        }
        assertThat(gpusOn(host)).isZero();
    }

    @Test
    void aHostTokenHashMustBeALowercaseHexSha256() {
        String valid = "3c469e9d6c5875d37a43f353d4f88e61fcf812c66eee3457465a40b0da4153e0";
        for (String hash : new String[] { valid.substring(1), valid + "0", valid.toUpperCase(),
                "a-raw-agent-token-that-was-never-hashed-and-is-sixty-four-chars" }) {
            assertThatStatement(() -> jdbc.sql("insert into host (name, agent_token_hash) values ('rogue-host', :hash)")
                    .param("hash", hash).update())
                    .as(hash).isRejectedWith(CHECK_VIOLATION).byConstraint("host_agent_token_hash_check");
        }
        assertThat(count("select count(*) from host where name = ?", "rogue-host")).isZero();
    }

    @Test
    void aFailedSliceNeedsAReason() {
        long gpu = db.gpu("PASSTHROUGH");
        Offering offering = db.passthroughOffering();

        assertThatStatement(() -> db.slice(offering).on(gpu).state("FAILED").insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(failure_reason IS NOT NULL)");
        assertThat(slicesOn(gpu)).isZero();

        db.slice(offering).on(gpu).state("FAILED").failureReason("mdev creation failed").insert();
        assertThat(slicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void aReleasedSliceAndOnlyAReleasedSliceHasAReleaseTime() {
        long gpu = db.gpu("PASSTHROUGH");
        Offering offering = db.passthroughOffering();

        assertThatStatement(() -> db.slice(offering).on(gpu).state("RELEASED").insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(released_at IS NOT NULL)");
        assertThatStatement(() -> db.slice(offering).on(gpu).state("READY").releasedAt(OffsetDateTime.now()).insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(released_at IS NOT NULL)");
        long live = db.slice(offering).on(gpu).insert();
        assertThatStatement(() -> jdbc.sql("update slice set state = 'RELEASED' where id = :id").param("id", live).update())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(released_at IS NOT NULL)");
        assertThat(liveSlicesOn(gpu)).isEqualTo(1);
        assertThat(slicesOn(gpu)).isEqualTo(1);
    }

    @Test
    void aRequestedSliceHasNoGpuYet() {
        long gpu = db.gpu("PASSTHROUGH");
        Offering offering = db.passthroughOffering();

        assertThatStatement(() -> db.slice(offering).on(gpu).state("REQUESTED").insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "((state <> 'REQUESTED'::text) OR (gpu_id IS NULL))");
        assertThatStatement(() -> db.slice(offering).state("PLACED").insert())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "OR (gpu_id IS NOT NULL)");
        assertThat(slicesOfOffering(offering)).isZero();

        db.slice(offering).state("REQUESTED").insert();
        assertThat(slicesOfOffering(offering)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- usage samples

    @Test
    void aUsageSampleReportsUtilizationFromZeroToOneHundredPercent() {
        long gpu = db.gpu("PASSTHROUGH");
        long slice = db.slice(db.passthroughOffering()).on(gpu).insert();
        OffsetDateTime minute = OffsetDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);

        assertThatStatement(() -> db.usageSample(slice, minute, 101))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("usage_sample_gpu_utilization_percent_check");
        assertThatStatement(() -> db.usageSample(slice, minute, -1))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("usage_sample_gpu_utilization_percent_check");
        assertThat(samplesOf(slice)).isZero();

        db.usageSample(slice, minute, 0);
        db.usageSample(slice, minute.plusMinutes(1), 100);
        assertThat(samplesOf(slice)).isEqualTo(2);
    }

    @Test
    void aSliceHasOneUsageSamplePerInstant() {
        Offering offering = db.passthroughOffering();
        long slice = db.slice(offering).on(db.gpu("PASSTHROUGH")).insert();
        long otherSlice = db.slice(offering).on(db.gpu("PASSTHROUGH")).insert();
        OffsetDateTime minute = OffsetDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        db.usageSample(slice, minute, 40);

        // The same instant written in another time zone is still the same instant.
        assertThatStatement(() -> db.usageSample(slice, minute.withOffsetSameInstant(ZoneOffset.ofHours(2)), 55))
                .isRejectedWith(UNIQUE_VIOLATION).byConstraint("usage_sample_y2026m01_pkey");
        assertThat(samplesOf(slice)).isEqualTo(1);

        db.usageSample(otherSlice, minute, 55);
        assertThat(samplesOf(otherSlice)).isEqualTo(1);
    }

    @Test
    void aUsageSampleNeedsItsMonthsPartitionWhichTheSchemaCreatesOnce() {
        long slice = db.slice(db.passthroughOffering()).on(db.gpu("PASSTHROUGH")).insert();
        OffsetDateTime longAgo = OffsetDateTime.of(2019, 3, 31, 23, 59, 59, 0, ZoneOffset.UTC);

        assertThatStatement(() -> jdbc.sql("""
                insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib)
                values (?, gen_random_uuid(), ?, 10, 10)""").params(slice, longAgo).update())
                .isRejectedWith(CHECK_VIOLATION);
        assertThat(samplesOf(slice)).isZero();

        assertThat(db.usagePartitionFor(longAgo)).isEqualTo("usage_sample_y2019m03");
        assertThat(db.usagePartitionFor(longAgo.minusDays(30))).isEqualTo("usage_sample_y2019m03");
        // 23:59:59 UTC on the 31st is in March even where the local clock already says April.
        assertThat(db.usagePartitionFor(longAgo.withOffsetSameInstant(ZoneOffset.ofHours(9)))).isEqualTo("usage_sample_y2019m03");
        assertThat(db.usageSample(slice, longAgo, 10)).isEqualTo(1);
        assertThat(count("select count(*) from usage_sample_y2019m03 where slice_id = ?", slice)).isEqualTo(1);
    }

    @Test
    void theMigrationCreatedPartitionsForThisMonthAndTheNextThree() {
        var partitions = jdbc.sql("""
                select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'usage_sample'::regclass
                  and c.relname in (select 'usage_sample_' || to_char(m, '"y"YYYY"m"MM')
                                    from generate_series(date_trunc('month', now() at time zone 'UTC'),
                                                         date_trunc('month', now() at time zone 'UTC') + interval '3 months',
                                                         interval '1 month') m)""")
                .query(Long.class).single();
        assertThat(partitions).isEqualTo(4);
    }

    // ---------------------------------------------------------------- license seats

    @Test
    void aSliceHoldsAtMostOneRunningLease() {
        long gpu = db.gpu("PASSTHROUGH");
        long slice = db.slice(db.passthroughOffering()).on(gpu).insert();
        String lease = "insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat) values (?, 'VCS', ?, ?, true)";
        jdbc.sql(lease).params(slice, gpu, "gpu:" + gpu).update();

        assertThatStatement(() -> jdbc.sql(lease).params(slice, gpu, "gpu:" + gpu).update())
                .isRejectedWith(UNIQUE_VIOLATION).byConstraint("license_lease_active_slice_idx");

        jdbc.sql("update license_lease set ended_at = now(), end_reason = 'RELEASED' where slice_id = ?").param(slice).update();
        jdbc.sql(lease).params(slice, gpu, "gpu:" + gpu).update();
        assertThat(count("select count(*) from license_lease where slice_id = ?", slice)).isEqualTo(2);
    }

    @Test
    void aLeaseEndsWithAReasonAndNamesItsSeat() {
        long gpu = db.gpu("PASSTHROUGH");
        long slice = db.slice(db.passthroughOffering()).on(gpu).insert();

        assertThatStatement(() -> jdbc.sql("""
                insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat, ended_at)
                values (?, 'VCS', ?, ?, true, now())""").params(slice, gpu, "gpu:" + gpu).update())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("license_lease", "end_reason IS NULL");
        assertThatStatement(() -> jdbc.sql("""
                insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat)
                values (?, 'VCS', ?, 'seat 1', true)""").params(slice, gpu).update())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("license_lease_seat_key_check");
        assertThat(count("select count(*) from license_lease where slice_id = ?", slice)).isZero();
    }

    @Test
    void aPassthroughOfferingNeedsAVwsOrVcsSeat() {
        long offering = db.passthroughOffering().id();

        assertThatStatement(() -> jdbc.sql("update offering set license_edition = 'VPC' where id = ?").param(offering).update())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("offering_passthrough_edition_check");
        assertThatStatement(() -> jdbc.sql("update offering set license_edition = null where id = ?").param(offering).update())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("offering_passthrough_edition_check");
        jdbc.sql("update offering set license_edition = 'VWS' where id = ?").param(offering).update();
        assertThat(jdbc.sql("select license_edition from offering where id = ?").param(offering).query(String.class).single())
                .isEqualTo("VWS");
    }

    // ---------------------------------------------------------------- foreign keys

    @Test
    void aSliceForAnUnknownTenantIsRejected() {
        long gpu = db.gpu("PASSTHROUGH");
        long unknownTenant = -1;

        assertThatStatement(() -> db.slice(db.passthroughOffering()).forTenant(unknownTenant).on(gpu).insert())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("slice_tenant_id_fkey");
        assertThat(slicesOn(gpu)).isZero();
    }

    @Test
    void aVgpuSliceCannotUseAVirtualFunctionOfAnotherGpu() {
        Offering offering = db.vgpuOffering("A100-10C");
        long gpu = db.gpu("VGPU");
        long otherGpu = db.gpu("VGPU");
        long vfOfOtherGpu = db.virtualFunction(otherGpu);

        assertThatStatement(() -> db.slice(offering).on(gpu, vfOfOtherGpu).insert())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("slice_vf_id_gpu_id_fkey");
        assertThat(slicesOn(gpu)).isZero();
        assertThat(slicesOnVirtualFunction(vfOfOtherGpu)).isZero();
    }

    @Test
    void aVirtualFunctionWithoutItsGpuIsRejected() {
        Offering offering = db.vgpuOffering("A100-10C");
        long gpu = db.gpu("VGPU");
        long vf = db.virtualFunction(gpu);

        db.slice(offering).on(gpu, vf).state("FAILED").failureReason("x").insert();
        assertThatStatement(() -> jdbc.sql("insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name,"
                + " state, vf_id, failure_reason) values (gen_random_uuid(), :t, :u, :o, 'VGPU', 'vm', 'FAILED', :vf, 'x')")
                .param("t", db.tenancy().tenantId()).param("u", db.tenancy().userId()).param("o", offering.id())
                .param("vf", vf).update())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("slice", "(vf_id IS NULL) OR (gpu_id IS NOT NULL)");
        assertThat(slicesOnVirtualFunction(vf)).isEqualTo(1);
    }

    @Test
    void aSliceIsRequestedByAUserOfItsOwnTenant() {
        Offering offering = db.passthroughOffering();
        long otherTenant = db.tenant();

        assertThatStatement(() -> db.slice(offering).forTenant(otherTenant).state("REQUESTED").insert())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("slice_requested_by_tenant_id_fkey");
        assertThat(slicesOfOffering(offering)).isZero();
    }

    @Test
    void aUserWithTenantRolesCannotLeaveItsTenant() {
        long tenantUser = db.tenancy().userId();
        db.grant(tenantUser, "TENANT_USER");

        assertThatStatement(() -> jdbc.sql("update app_user set tenant_id = null where id = :id").param("id", tenantUser).update())
                .isRejectedWith(CHECK_VIOLATION)
                .byTrigger("app_user_tenant_check", "has tenant roles and cannot leave its tenant");
        assertThat(count("select count(*) from app_user where id = ? and tenant_id is not null", tenantUser)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private long slicesOn(long gpuId) {
        return count("select count(*) from slice where gpu_id = ?", gpuId);
    }

    private long liveSlicesOn(long gpuId) {
        return count("select count(*) from slice where gpu_id = ? and state <> 'RELEASED'", gpuId);
    }

    private long slicesOnVirtualFunction(long vfId) {
        return count("select count(*) from slice where vf_id = ?", vfId);
    }

    private long slicesOfOffering(Offering offering) {
        return count("select count(*) from slice where offering_id = ?", offering.id());
    }

    private long gpusOn(long hostId) {
        return count("select count(*) from gpu where host_id = ?", hostId);
    }

    private long rolesOf(long userId) {
        return count("select count(*) from user_role where user_id = ?", userId);
    }

    private long samplesOf(long sliceId) {
        return count("select count(*) from usage_sample where slice_id = ?", sliceId);
    }

    private String modeOf(long gpuId) {
        return jdbc.sql("select mode from gpu where id = ?").param(gpuId).query(String.class).single();
    }

    private long count(String sql, Object argument) {
        return jdbc.sql(sql).param(argument).query(Long.class).single();
    }
}
