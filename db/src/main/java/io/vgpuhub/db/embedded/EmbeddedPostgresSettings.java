package io.vgpuhub.db.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the embedded PostgreSQL keeps its data and which port it listens on.
 *
 * @param dataDir     folder kept across restarts; unset means a temporary database that is removed on exit
 * @param port        TCP port on loopback; 0 picks a free one
 * @param maxPoolSize connections the application may hold
 */
@ConfigurationProperties("vgpuhub.db.embedded")
public record EmbeddedPostgresSettings(
        Path dataDir,
        @DefaultValue("0") int port,
        @DefaultValue("20") int maxPoolSize) {

    public EmbeddedPostgresSettings {
        if (dataDir != null && dataDir.toString().isBlank()) {
            dataDir = null;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("vgpuhub.db.embedded.port must be between 0 and 65535, was " + port);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("vgpuhub.db.embedded.max-pool-size must be at least 1, was " + maxPoolSize);
        }
    }
}
