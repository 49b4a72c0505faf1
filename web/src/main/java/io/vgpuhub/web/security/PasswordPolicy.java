package io.vgpuhub.web.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * The rules for a password someone sets: at least {@value #MIN_LENGTH} characters and at most {@value #MAX_LENGTH}
 * (BCrypt reads only 72 bytes), not the user name nor containing it, not one character repeated, and not on the list
 * of common passwords (security/common-passwords.txt). Length beats complexity rules: a passphrase of a few words
 * passes, "P@ssw0rd1234" does not.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 72;

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load();
    }

    /** The message code of the first rule the password breaks (codes password.policy.*), or empty when it is fine. */
    public Optional<String> problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH || password.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return Optional.of("password.policy.length");
        }
        String lower = password.strip().toLowerCase(Locale.ROOT);
        String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        // Short names (2 or 3 characters) occur inside ordinary words, so only longer ones are looked for inside.
        if (!name.isEmpty() && (lower.equals(name) || name.length() >= 4 && lower.contains(name))) {
            return Optional.of("password.policy.username");
        }
        if (lower.chars().distinct().count() <= 2 || common.contains(lower)) {
            return Optional.of("password.policy.common");
        }
        return Optional.empty();
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("/security/common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("security/common-passwords.txt is missing from the classpath");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
