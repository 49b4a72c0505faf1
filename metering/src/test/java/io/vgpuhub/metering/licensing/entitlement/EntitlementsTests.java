package io.vgpuhub.metering.licensing.entitlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import io.vgpuhub.metering.licensing.AdmissionPolicy;
import io.vgpuhub.metering.licensing.Edition;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Entitlements and edition policies as license administrators change them. Runs in the licensing tests' own context
 * (and database) so that the seats recorded here never count in another module's seat tests.
 */
@SpringBootTest(properties = "vgpuhub.test.database=licensing")
class EntitlementsTests {

    @Autowired
    Entitlements entitlements;

    @Autowired
    EditionPolicies policies;

    @Autowired
    JdbcClient jdbc;

    static final Instant JAN = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant NEXT_JAN = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anEntitlementIsStoredAsEnteredWithoutSurroundingSpaces() {
        EntitlementView created = entitlements.create(new EntitlementDraft(Edition.VWS, 25, JAN, NEXT_JAN,
                "  PO-2025-0042 ", "  renewal of the 2024 order  "));

        EntitlementView stored = entitlements.get(created.id());
        assertThat(stored.edition()).isEqualTo(Edition.VWS);
        assertThat(stored.seats()).isEqualTo(25);
        assertThat(stored.validFrom()).isEqualTo(JAN);
        assertThat(stored.validUntil()).isEqualTo(NEXT_JAN);
        assertThat(stored.orderReference()).isEqualTo("PO-2025-0042");
        assertThat(stored.notes()).isEqualTo("renewal of the 2024 order");
        assertThat(entitlements.list()).extracting(EntitlementView::id).contains(created.id());
    }

    @Test
    void aPerpetualEntitlementHasNoEnd() {
        EntitlementView created = entitlements.create(new EntitlementDraft(Edition.VCS, 1_000_000, JAN, null, "PO-1", " "));
        assertThat(created.perpetual()).isTrue();
        assertThat(created.notes()).isNull();
        assertThat(created.validAt(Instant.parse("2999-01-01T00:00:00Z"))).isTrue();
    }

    @Test
    void everyProblemOfADraftIsNamedAndNothingIsStored() {
        long before = count();

        assertThatThrownBy(() -> entitlements.create(new EntitlementDraft(null, null, null, null, " ", "x".repeat(2001))))
                .isInstanceOfSatisfying(InvalidEntitlementException.class, e -> assertThat(e.problems())
                        .extracting(InvalidEntitlementException.Problem::field, InvalidEntitlementException.Problem::code)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple("edition", "required"),
                                org.assertj.core.groups.Tuple.tuple("seats", "required"),
                                org.assertj.core.groups.Tuple.tuple("validFrom", "required"),
                                org.assertj.core.groups.Tuple.tuple("orderReference", "required"),
                                org.assertj.core.groups.Tuple.tuple("notes", "tooLong")));
        assertThatThrownBy(() -> entitlements.create(new EntitlementDraft(Edition.VPC, 0, JAN, null, "PO", null)))
                .hasMessage("Seats must be between 1 and 1000000, was 0.");
        assertThatThrownBy(() -> entitlements.create(new EntitlementDraft(Edition.VPC, 1_000_001, JAN, null, "PO", null)))
                .hasMessageContaining("between 1 and 1000000");
        assertThatThrownBy(() -> entitlements.create(new EntitlementDraft(Edition.VPC, 5, JAN, JAN, "PO", null)))
                .hasMessageContaining("must come after its start");
        assertThatThrownBy(() -> entitlements.create(new EntitlementDraft(Edition.VPC, 5, NEXT_JAN, JAN, "PO", null)))
                .hasMessageContaining("must come after its start");
        assertThatThrownBy(() -> entitlements.create(new EntitlementDraft(Edition.VPC, 5, JAN, null, "P".repeat(101), null)))
                .hasMessageContaining("at most 100 characters");

        assertThat(count()).isEqualTo(before);
    }

    @Test
    void anUpdateIsCheckedLikeACreationAndABadOneChangesNothing() {
        EntitlementView created = entitlements.create(new EntitlementDraft(Edition.VAPPS, 10, JAN, NEXT_JAN, "PO-7", null));

        EntitlementView updated = entitlements.update(created.id(),
                new EntitlementDraft(Edition.VAPPS, 12, JAN, null, "PO-7", "two more, made perpetual"));
        assertThat(updated.seats()).isEqualTo(12);
        assertThat(updated.validUntil()).isNull();
        assertThat(entitlements.get(created.id()).notes()).isEqualTo("two more, made perpetual");

        assertThatThrownBy(() -> entitlements.update(created.id(), new EntitlementDraft(Edition.VAPPS, -3, JAN, null, "PO-7", null)))
                .isInstanceOf(InvalidEntitlementException.class);
        assertThat(entitlements.get(created.id())).isEqualTo(updated);
        assertThatThrownBy(() -> entitlements.update(987654, new EntitlementDraft(Edition.VAPPS, 1, JAN, null, "PO", null)))
                .isInstanceOf(EntitlementNotFoundException.class).hasMessage("There is no entitlement with id 987654.");
    }

    @Test
    void expiringEndsTheEntitlementNowOrWhereItWouldHaveBegun() {
        Instant now = Instant.now();
        EntitlementView running = entitlements.create(new EntitlementDraft(Edition.VWS, 3, JAN, null, "PO-run", null));
        EntitlementView future = entitlements.create(new EntitlementDraft(Edition.VWS, 3,
                now.plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS), null, "PO-future", null));

        EntitlementView ended = entitlements.expire(running.id()).orElseThrow();
        assertThat(ended.validUntil()).isBetween(now, Instant.now());
        assertThat(ended.validAt(Instant.now())).isFalse();
        assertThat(entitlements.expire(running.id())).as("already ended: nothing changes").isEmpty();
        assertThat(entitlements.get(running.id()).validUntil()).isEqualTo(ended.validUntil());

        EntitlementView neverBegun = entitlements.expire(future.id()).orElseThrow();
        assertThat(neverBegun.validUntil()).isEqualTo(future.validFrom());
        assertThat(neverBegun.expiredAt(Instant.now())).isTrue();
        assertThat(entitlements.expire(future.id())).as("already withdrawn").isEmpty();
    }

    @Test
    void admissionPolicyIsSetPerEdition() {
        assertThat(policies.editions()).extracting(EditionPolicy::edition)
                .containsExactly(Edition.VAPPS, Edition.VPC, Edition.VWS, Edition.VCS);
        assertThat(policies.editions()).filteredOn(EditionPolicy::perGpu).extracting(EditionPolicy::edition)
                .containsExactly(Edition.VCS);

        assertThat(policies.setAdmissionPolicy(Edition.VPC, AdmissionPolicy.ALLOW_UNLICENSED)).isTrue();
        assertThat(policies.setAdmissionPolicy(Edition.VPC, AdmissionPolicy.ALLOW_UNLICENSED)).isFalse();
        assertThat(policies.editions()).filteredOn(e -> e.edition() == Edition.VPC).singleElement()
                .extracting(EditionPolicy::admissionPolicy).isEqualTo(AdmissionPolicy.ALLOW_UNLICENSED);
        assertThat(policies.setAdmissionPolicy(Edition.VPC, AdmissionPolicy.REFUSE)).isTrue();
    }

    @Test
    void passthroughOfferingsAreLicensedAsVwsOrVcs() {
        assertThat(policies.passthroughEditions()).containsExactly(Edition.VCS);
        long passthrough = jdbc.sql("select count(*) from offering where kind = 'PASSTHROUGH'").query(Long.class).single();

        assertThat(policies.setPassthroughEdition(Edition.VWS)).isEqualTo(passthrough).isPositive();
        assertThat(policies.passthroughEditions()).containsExactly(Edition.VWS);
        assertThat(jdbc.sql("select count(*) from offering where kind = 'VGPU' and license_edition = 'VWS'").query(Long.class)
                .single()).as("vGPU offerings keep their own edition").isPositive();
        assertThatThrownBy(() -> policies.setPassthroughEdition(Edition.VPC)).isInstanceOf(IllegalArgumentException.class);
        assertThat(policies.passthroughEditions()).isEqualTo(Set.of(Edition.VWS));

        assertThat(policies.setPassthroughEdition(Edition.VCS)).isEqualTo(passthrough);
        assertThat(policies.setPassthroughEdition(Edition.VCS)).isZero();
    }

    private long count() {
        return jdbc.sql("select count(*) from license_entitlement").query(Long.class).single();
    }
}
