package dev.signet.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class OperatorAccountsTest {

  private final PasswordEncoder encoder =
      PasswordEncoderFactories.createDelegatingPasswordEncoder();
  private final String aliceHash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("alice-pw");
  private final String bobHash = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("bob-pw");

  @Test
  void readsCommaOrWhiteSpaceSeparatedAccountsAndChecksTheirPasswords() {
    for (String separator : new String[] {",", " ", "\n", " , "}) {
      OperatorAccounts accounts =
          OperatorAccounts.parse("alice:" + aliceHash + separator + "bob:" + bobHash, encoder);

      assertThat(accounts.usernames()).containsExactlyInAnyOrder("alice", "bob");
      assertThat(accounts.matches("alice", "alice-pw")).isTrue();
      assertThat(accounts.matches("bob", "bob-pw")).isTrue();
      assertThat(accounts.matches("alice", "bob-pw")).isFalse();
      assertThat(accounts.matches("mallory", "alice-pw")).isFalse();
    }
  }

  @Test
  void acceptsSpringSecuritysVersionedPbkdf2Hashes() {
    String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("x");
    String pbkdf2 =
        "{pbkdf2@SpringSecurity_v5_8}"
            + org.springframework.security.crypto.password.Pbkdf2PasswordEncoder
                .defaultsForSpringSecurity_v5_8()
                .encode("pw");

    assertThat(OperatorAccounts.parse("ops:" + pbkdf2, encoder).matches("ops", "pw")).isTrue();
    assertThat(OperatorAccounts.parse("ops:" + hash, encoder).matches("ops", "x")).isTrue();
  }

  @Test
  void emptyConfigurationMeansNoAccounts() {
    assertThat(OperatorAccounts.parse("", encoder).isEmpty()).isTrue();
    assertThat(OperatorAccounts.parse(null, encoder).matches("a", "b")).isFalse();
  }

  @Test
  void refusesPlainOrFastHashesTyposAndDuplicatesAtStartUp() {
    for (String bad :
        new String[] {
          "alice:{noop}secret",
          "alice:secret",
          "alice:{sha256}abcd",
          "alice:{MD5}abcd",
          "garbage alice:" + aliceHash,
          "alice:" + aliceHash + ",alice:" + bobHash,
          "alice:{bcrypt}",
          "no entries here"
        }) {
      assertThatThrownBy(() -> OperatorAccounts.parse(bad, encoder))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SIGNET_DASHBOARD_OPERATORS");
    }
  }
}
