package dev.signet.challenge.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerificationMetersTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TokenService tokens =
      new TokenService(
          TestKeys.properties("t1", TestKeys.p256("t1")), clock, new SecureRandom(), registry);

  @Test
  void everyVerificationIsCountedAsValidOrByItsRejectionCode() {
    // given
    String token =
        tokens.issue(
            TokenKind.SUCCESS, new TokenClaims("user-1", "signIn", "idem-1", "", "tenant-1"));

    // when
    tokens.verify(token);
    tokens.verify("not.a.token");
    clock.advance(Duration.ofHours(1));
    tokens.verify(token);
    tokens.verifySession("garbage");

    // then
    assertThat(count("challenge", "valid")).isEqualTo(1);
    assertThat(count("challenge", "malformed")).isEqualTo(1);
    assertThat(count("challenge", "expired")).isEqualTo(1);
    assertThat(count("session", "malformed")).isEqualTo(1);
    assertThat(count("challenge", "bad_signature")).isZero();
  }

  @Test
  void everySeriesExistsBeforeItsFirstCountSoARateSeesTheFirstRejection() {
    assertThat(registry.get(VerificationMeters.METER).counters())
        .hasSize(2 * (1 + TokenVerification.Reason.values().length));
  }

  private double count(String kind, String result) {
    return registry
        .get(VerificationMeters.METER)
        .tags("kind", kind, "result", result)
        .counter()
        .count();
  }
}
