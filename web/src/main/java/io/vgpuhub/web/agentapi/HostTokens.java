package io.vgpuhub.web.agentapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Host agent tokens. Only their SHA-256 is stored: the tokens are long random secrets, so a fast hash is enough
 * and lets every agent request be checked with one indexed lookup. A revoked host has no hash, so nothing matches it.
 * The two static helpers make and hash every bearer secret of the server (API tokens too).
 */
@Service
public class HostTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** A new secret: the prefix, then 32 random bytes in base64url (43 characters), e.g. {@code vgh_...}. */
    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Optional<AgentHost> authenticate(String token) {
        return jdbc.sql("select id, name from host where agent_token_hash = ?")
                .param(hash(token)).query(AgentHost.class).optional();
    }
}
