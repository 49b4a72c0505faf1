package io.vgpuhub.web.api;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vgpuhub.web.catalog.SliceKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The two things the API's attach information needs that {@code SliceView} does not carry yet: the slice's kind and
 * its MIG device UUID. Always read within the tenant.
 */
@Repository
class SliceKinds {

    record KindAndDevice(UUID uuid, SliceKind kind, String deviceUuid) {
    }

    private final JdbcClient jdbc;

    SliceKinds(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<UUID, KindAndDevice> ofTenant(long tenantId) {
        return jdbc.sql("select uuid, kind, device_uuid from slice where tenant_id = ?").param(tenantId)
                .query(KindAndDevice.class).list().stream()
                .collect(Collectors.toMap(KindAndDevice::uuid, Function.identity()));
    }

    Optional<KindAndDevice> of(long tenantId, UUID sliceId) {
        return jdbc.sql("select uuid, kind, device_uuid from slice where tenant_id = ? and uuid = ?")
                .params(tenantId, sliceId).query(KindAndDevice.class).optional();
    }
}
