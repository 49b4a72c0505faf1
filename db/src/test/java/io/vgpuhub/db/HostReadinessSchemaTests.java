package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

/**
 * V12: a host's readiness is a JSON array of checks with the time they ran, both or neither. Each test runs in a
 * rolled-back transaction and each statement expected to fail in a savepoint, as in SchemaConstraintsTests.
 */
@SpringBootTest
@Transactional
class HostReadinessSchemaTests extends SchemaTestSupport {

    @Test
    void aHostStartsWithNoReadinessReported() {
        assertThat(readiness()).containsEntry("readiness", null).containsEntry("readiness_checked_at", null);
    }

    @Test
    void aHostHoldsAnArrayOfChecksWithTheTimeTheyRan() {
        update("[{\"scope\": \"host\", \"check\": \"iommu-cmdline\", \"status\": \"OK\", \"summary\": \"on\"}]",
                "2026-11-24T12:00:00Z");

        assertThat(jdbc.sql("select readiness -> 0 ->> 'check' from host where id = ?").param(db.host())
                .query(String.class).single()).isEqualTo("iommu-cmdline");
    }

    @Test
    void readinessIsAnArrayOfChecks() {
        assertThatStatement(() -> update("{\"checks\": []}", "2026-11-24T12:00:00Z"))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("host_readiness_array_check");
        assertThat(readiness()).containsEntry("readiness", null);
    }

    @Test
    void checksAndTheirTimeComeTogether() {
        assertThatStatement(() -> update("[]", null))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("host_readiness_checked_at_check");
        assertThatStatement(() -> update(null, "2026-11-24T12:00:00Z"))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("host_readiness_checked_at_check");
        assertThat(readiness()).containsEntry("readiness", null).containsEntry("readiness_checked_at", null);
    }

    private void update(String checks, String checkedAt) {
        jdbc.sql("""
                update host set readiness = cast(:checks as jsonb), readiness_checked_at = cast(:checkedAt as timestamptz)
                where id = :id""")
                .param("checks", checks, java.sql.Types.VARCHAR).param("checkedAt", checkedAt, java.sql.Types.VARCHAR)
                .param("id", db.host()).update();
    }

    private Map<String, Object> readiness() {
        return jdbc.sql("select readiness::text as readiness, readiness_checked_at from host where id = ?")
                .param(db.host()).query().singleRow();
    }
}
