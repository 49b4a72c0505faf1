package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs statements the schema should refuse, each in a savepoint (a nested transaction) of the test's own
 * transaction, so that a refusal leaves that transaction usable and the test can go on reading the database.
 */
final class RefusedStatements {

    private final JdbcClient jdbc;

    private final TransactionTemplate savepoint;

    RefusedStatements(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** Runs the statement in a savepoint and hands back what became of it, to be checked. */
    StatementOutcome assertThatStatement(ThrowingCallable statement) {
        Throwable thrown = catchThrowable(() -> savepoint.executeWithoutResult(status -> {
            try {
                statement.call();
            }
            catch (RuntimeException | Error ex) {
                throw ex;
            }
            catch (Throwable ex) {
                throw new IllegalStateException(ex);
            }
        }));
        return new StatementOutcome(jdbc, thrown);
    }
}
