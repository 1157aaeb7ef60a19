package dev.signet.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

  private static final Instant NOW = Instant.parse("2026-11-25T20:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SessionTokens tokens = new SessionTokens("s3cret", Duration.ofHours(8), clock);

  @Test
  void anIssuedTokenProvesTheOperatorUntilItExpires() {
    String token = tokens.issue("Ada Lovelace");

    assertThat(tokens.verify(token))
        .contains(new SessionTokens.Session("Ada Lovelace", NOW.plus(Duration.ofHours(8))));
    SessionTokens later =
        new SessionTokens(
            "s3cret",
            Duration.ofHours(8),
            Clock.fixed(NOW.plus(Duration.ofHours(8)), ZoneOffset.UTC));
    assertThat(later.verify(token)).isEmpty();
  }

  @Test
  void refusesATokenSignedUnderAnotherSecret() {
    String foreign = new SessionTokens("other", Duration.ofHours(8), clock).issue("Ada");

    assertThat(tokens.verify(foreign)).isEmpty();
  }

  @Test
  void refusesATokenWhoseOperatorOrExpiryWasChanged() {
    String token = tokens.issue("Ada");
    String[] parts = token.split("\\.");
    String otherOperator =
        Base64.getUrlEncoder().withoutPadding().encodeToString("Mallory".getBytes());
    String renamed = parts[0] + "." + otherOperator + "." + parts[2] + "." + parts[3];
    String extended =
        parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 86400) + "." + parts[3];

    assertThat(tokens.verify(renamed)).isEmpty();
    assertThat(tokens.verify(extended)).isEmpty();
  }

  @Test
  void refusesMalformedTokensWithoutThrowing() {
    for (String bad :
        new String[] {null, "", ".", "v1", "v1.x.y.z", "v1..1.%%%", "a.b.c.d.e", "x".repeat(600)}) {
      assertThat(tokens.verify(bad)).as("%s", bad).isEmpty();
    }
  }

  @Test
  void comparesTheSecretExactly() {
    assertThat(tokens.matchesSecret("s3cret", "s3cret")).isTrue();
    assertThat(tokens.matchesSecret("s3cret ", "s3cret")).isFalse();
    assertThat(tokens.matchesSecret("", "s3cret")).isFalse();
    assertThat(tokens.matchesSecret(null, "s3cret")).isFalse();
  }

  @Test
  void needsAManagementSecret() {
    assertThatThrownBy(() -> new SessionTokens(" ", Duration.ofHours(1), clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_MANAGEMENT_SECRET");
  }
}
