package io.vgpuhub.web.agentapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Host agent tokens. Only their SHA-256 is stored: the tokens are long random secrets, so a fast hash is enough
 * and lets every agent request be checked with one indexed lookup.
 */
@Service
public class HostTokens {

    private final JdbcClient jdbc;

    HostTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    Optional<AgentHost> authenticate(String token) {
        return jdbc.sql("select id, name from host where agent_token_hash = ?")
                .param(hash(token)).query(AgentHost.class).optional();
    }
}
