package dev.signet.challenge.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.TokenVerification.Reason;
import dev.signet.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Session access tokens: their shape, and that they and the challenge tokens never mix. */
class SessionTokenTest {

  private static final Instant START = Instant.parse("2026-11-25T18:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final ECKey key = TestKeys.p256("t1");
  private final TokenService tokens =
      new TokenService(
          TestKeys.properties("t1", key), clock, new SecureRandom(), new SimpleMeterRegistry());

  private SessionToken session(Duration lifetime) {
    return new SessionToken(
        "user-1", "web-app", "sid-1", "signet", "jti-1", START, START.plus(lifetime));
  }

  @Test
  void aSessionTokenRoundTripsWithItsClaims() throws Exception {
    SessionToken issued = session(Duration.ofMinutes(5));
    String token = tokens.issueSession(issued);

    SessionTokenVerification result = tokens.verifySession(token);

    assertThat(result).isEqualTo(new SessionTokenVerification.Valid(issued));
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("signet-session+jwt");
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("t1");
    Map<String, Object> payload = jwt.getPayload().toJSONObject();
    assertThat(payload).containsOnlyKeys("iss", "sub", "aud", "iat", "exp", "jti", "sid", "other");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("web-app");
  }

  @Test
  void aSessionTokenIsNoChallengeTokenOfAnyKind() {
    String token = tokens.issueSession(session(Duration.ofMinutes(5)));

    assertThat(tokens.verify(token)).isEqualTo(new TokenVerification.Rejected(Reason.WRONG_KIND));
    assertThat(tokens.verify(token, EnumSet.of(TokenKind.SUCCESS)))
        .isEqualTo(new TokenVerification.Rejected(Reason.WRONG_KIND));
  }

  @Test
  void noChallengeTokenIsASessionToken() {
    TokenClaims claims = new TokenClaims("user-1", "signIn", "idem-1", "", "signet");
    for (TokenKind kind : TokenKind.values()) {
      String token = tokens.issue(kind, claims);

      assertThat(tokens.verifySession(token))
          .as(kind.name())
          .isEqualTo(new SessionTokenVerification.Rejected(Reason.WRONG_KIND));
    }
  }

  @Test
  void aSessionTokenExpiresAfterItsLifetimeAndTheSkew() {
    String token = tokens.issueSession(session(Duration.ofMinutes(5)));

    clock.advance(Duration.ofMinutes(5).plusSeconds(30));
    assertThat(tokens.verifySession(token)).isInstanceOf(SessionTokenVerification.Valid.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.verifySession(token))
        .isEqualTo(new SessionTokenVerification.Rejected(Reason.EXPIRED));
  }

  @Test
  void aHighSTwinOrAForeignKeyIsRefused() {
    String token = tokens.issueSession(session(Duration.ofMinutes(5)));
    TokenService foreign =
        new TokenService(
            TestKeys.properties("t1", TestKeys.p256("t1")),
            clock,
            new SecureRandom(),
            new SimpleMeterRegistry());

    assertThat(tokens.verifySession(TokenServiceTest.malleated(token)))
        .isEqualTo(new SessionTokenVerification.Rejected(Reason.BAD_SIGNATURE));
    assertThat(tokens.verifySession(foreign.issueSession(session(Duration.ofMinutes(5)))))
        .isEqualTo(new SessionTokenVerification.Rejected(Reason.BAD_SIGNATURE));
    assertThat(tokens.verifySession("not-a-token"))
        .isEqualTo(new SessionTokenVerification.Rejected(Reason.MALFORMED));
  }
}
