package io.vgpuhub.web.agentapi;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Resolves the slice ids agents send to rows, only among the slices placed on the agent's own host. */
@Component
class SliceIds {

    private final JdbcClient jdbc;

    SliceIds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Long> onHost(long hostId, UUID sliceUuid) {
        return jdbc.sql("select s.id from slice s join gpu g on g.id = s.gpu_id where g.host_id = ? and s.uuid = ?")
                .params(hostId, sliceUuid).query(Long.class).optional();
    }
}
