package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * V12: a host's readiness is a JSON array of checks with the time they ran, both or neither. Each test runs in a
 * rolled-back transaction and each statement expected to fail in a savepoint, as in SchemaConstraintsTests.
 */
@SpringBootTest
@Transactional
class HostReadinessSchemaTests {

    static final String CHECK_VIOLATION = "23514";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    SchemaFixtures db;

    TransactionTemplate savepoint;

    @BeforeEach
    void setUp() {
        db = new SchemaFixtures(jdbc);
        savepoint = new TransactionTemplate(transactionManager);
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

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
        assertThat(refusedBy(() -> update("{\"checks\": []}", "2026-11-24T12:00:00Z")))
                .isEqualTo("host_readiness_array_check");
        assertThat(readiness()).containsEntry("readiness", null);
    }

    @Test
    void checksAndTheirTimeComeTogether() {
        assertThat(refusedBy(() -> update("[]", null))).isEqualTo("host_readiness_checked_at_check");
        assertThat(refusedBy(() -> update(null, "2026-11-24T12:00:00Z"))).isEqualTo("host_readiness_checked_at_check");
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

    /** Runs the statement in a savepoint and names the check constraint PostgreSQL refused it with. */
    private String refusedBy(Runnable statement) {
        Throwable thrown = catchThrowable(() -> savepoint.executeWithoutResult(status -> statement.run()));
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof PSQLException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("PostgreSQL's error").isInstanceOf(PSQLException.class);
        assertThat(((PSQLException) cause).getSQLState()).isEqualTo(CHECK_VIOLATION);
        return ((PSQLException) cause).getServerErrorMessage().getConstraint();
    }
}
