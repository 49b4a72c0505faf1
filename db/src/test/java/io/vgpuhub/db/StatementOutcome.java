package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What became of a statement that {@link RefusedStatements} ran in a savepoint: PostgreSQL's error, if any, checked
 * step by step (SQLState, then the constraint, check definition or trigger that refused it). Every failure message
 * names the statement and, once there is one, the server's own message.
 */
final class StatementOutcome {

    private final JdbcClient jdbc;

    private final Throwable thrown;

    private String description = "statement";

    private ServerErrorMessage error;

    StatementOutcome(JdbcClient jdbc, Throwable thrown) {
        this.jdbc = jdbc;
        this.thrown = thrown;
    }

    /** Names the statement in failure messages, e.g. by the value it tried to store. */
    StatementOutcome as(String description) {
        this.description = "statement with " + description;
        return this;
    }

    StatementOutcome isRejectedWith(String sqlState) {
        assertThat(thrown).as("%s should have been rejected", description).isNotNull();
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof PSQLException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("PostgreSQL's error behind %s", description).isInstanceOf(PSQLException.class);
        error = ((PSQLException) cause).getServerErrorMessage();
        assertThat(error).as("server error of %s", description).isNotNull();
        assertThat(error.getSQLState()).as("SQLState of %s (%s)", description, error.getMessage())
                .isEqualTo(sqlState);
        return this;
    }

    /** The named constraint rejected the statement. */
    StatementOutcome byConstraint(String constraint) {
        assertThat(error.getConstraint()).as("constraint that rejected %s (%s)", description, error.getMessage())
                .isEqualTo(constraint);
        return this;
    }

    /**
     * An unnamed check constraint of {@code table} whose definition (as {@code pg_get_constraintdef} prints it)
     * contains {@code definitionFragment} rejected the statement; PostgreSQL names such constraints by position
     * ({@code slice_check5}), so the definition says more than the name.
     */
    StatementOutcome byCheckOn(String table, String definitionFragment) {
        assertThat(error.getTable()).as("table of %s (%s)", description, error.getMessage()).isEqualTo(table);
        assertThat(error.getConstraint()).as("constraint that rejected %s (%s)", description, error.getMessage())
                .isNotNull();
        String definition = jdbc.sql("""
                select pg_get_constraintdef(oid) from pg_constraint
                where conrelid = cast(:table as regclass) and conname = :name and contype = 'c'""")
                .param("table", table).param("name", error.getConstraint())
                .query(String.class).single();
        assertThat(definition).as("definition of %s, which rejected %s", error.getConstraint(), description)
                .contains(definitionFragment);
        return this;
    }

    /** A trigger function raised the error; a trigger names no constraint, so its function and message tell. */
    StatementOutcome byTrigger(String function, String messageFragment) {
        assertThat(error.getConstraint()).as("constraint of a trigger's error (%s)", error.getMessage()).isNull();
        assertThat(error.getWhere()).as("where %s was rejected (%s)", description, error.getMessage())
                .contains("function " + function + "()");
        assertThat(error.getMessage()).as("message rejecting %s", description).contains(messageFragment);
        return this;
    }
}
