package io.vgpuhub.web.slice;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The generation number of a host's desired state: bumped whenever what the host should have changes. */
@Component
public class HostGenerations {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    HostGenerations(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    long current(long hostId) {
        return jdbc.sql("select desired_generation from host where id = ?").param(hostId).query(Long.class).single();
    }

    /** Bumps the generation in the caller's transaction; long-polling agents are woken once it commits. */
    public void bump(long hostId) {
        jdbc.sql("update host set desired_generation = desired_generation + 1 where id = ?").param(hostId).update();
        events.publishEvent(new DesiredStateChanged(hostId));
    }
}
