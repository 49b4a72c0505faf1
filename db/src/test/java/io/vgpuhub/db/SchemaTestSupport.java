package io.vgpuhub.db;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What the schema tests that feed the database rows it must refuse share: fresh {@link SchemaFixtures} for each
 * test and {@link RefusedStatements} to run the refused statements in savepoints. Subclasses are
 * {@code @SpringBootTest @Transactional}, so each test's rows are rolled back.
 */
abstract class SchemaTestSupport {

    static final String UNIQUE_VIOLATION = "23505";

    static final String EXCLUSION_VIOLATION = "23P01";

    static final String FOREIGN_KEY_VIOLATION = "23503";

    static final String CHECK_VIOLATION = "23514";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    SchemaFixtures db;

    RefusedStatements statements;

    @BeforeEach
    void setUpSchemaFixtures() {
        db = new SchemaFixtures(jdbc);
        statements = new RefusedStatements(jdbc, transactionManager);
    }

    /** Runs the statement in a savepoint, so that its failure leaves the test's transaction usable. */
    StatementOutcome assertThatStatement(ThrowingCallable statement) {
        return statements.assertThatStatement(statement);
    }
}
