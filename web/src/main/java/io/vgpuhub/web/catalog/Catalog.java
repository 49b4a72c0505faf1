package io.vgpuhub.web.catalog;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The offerings tenants may order. */
@Repository
public class Catalog {

    private static final String COLUMNS = """
            id, code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition""";

    private final JdbcClient jdbc;

    Catalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Offering> enabledOfferings() {
        return jdbc.sql("select " + COLUMNS + " from offering where enabled order by gpu_model, kind, framebuffer_mib, code")
                .query(Offering.class).list();
    }

    public Optional<Offering> enabledOffering(long id) {
        return jdbc.sql("select " + COLUMNS + " from offering where id = ? and enabled")
                .param(id).query(Offering.class).optional();
    }
}
