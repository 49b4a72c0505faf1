package io.vgpuhub.web.agentapi;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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

    /** The row id of each of these slices that is on the host, in one query; slices elsewhere or unknown are absent. */
    Map<UUID, Long> onHost(long hostId, Collection<UUID> sliceUuids) {
        String[] uuids = sliceUuids.stream().distinct().map(UUID::toString).toArray(String[]::new);
        Map<UUID, Long> ids = new HashMap<>();
        jdbc.sql("select s.uuid, s.id from slice s join gpu g on g.id = s.gpu_id where g.host_id = ? and s.uuid = any(?::uuid[])")
                .params(hostId, uuids)
                .query((rs, n) -> ids.put(rs.getObject(1, UUID.class), rs.getLong(2)))
                .list();
        return ids;
    }
}
