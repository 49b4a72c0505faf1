package io.vgpuhub.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTests {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void lengthCountsAndBCryptsLimitToo() {
        assertThat(policy.problem("bob", "a".repeat(3) + "bcdefghijk")).isEmpty(); // 13 characters
        assertThat(policy.problem("bob", "abcdefghijk")).contains("password.policy.length");
        assertThat(policy.problem("bob", null)).contains("password.policy.length");
        // 25 characters of three bytes each: 75 bytes, past what BCrypt reads.
        assertThat(policy.problem("bob", "密".repeat(12) + "码".repeat(13))).contains("password.policy.length");
    }

    @Test
    void theUserNameIsNoPassword() {
        assertThat(policy.problem("bob.builder", "BOB.BUILDER")).contains("password.policy.length");
        assertThat(policy.problem("bob.builder", "Bob.Builder-2026")).contains("password.policy.username");
        assertThat(policy.problem("longusername1", "LongUserName1")).contains("password.policy.username");
        // A two-letter name inside a passphrase is chance, not reuse.
        assertThat(policy.problem("al", "walnut halves and almonds")).isEmpty();
    }

    @Test
    void commonPasswordsAndRepeatedCharactersAreRefusedWhateverTheirCase() {
        assertThat(policy.problem("bob", "Password1234")).contains("password.policy.common");
        assertThat(policy.problem("bob", "  QWERTY123456 ")).contains("password.policy.common");
        assertThat(policy.problem("bob", "abababababab")).contains("password.policy.common");
        assertThat(policy.problem("bob", "correct horse battery staple")).contains("password.policy.common");
        assertThat(policy.problem("bob", "violet tractor under rain")).isEmpty();
    }
}
