package dev.signet.challenge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.TokenVerification.Reason;
import dev.signet.challenge.token.TokenVerification.Rejected;
import dev.signet.challenge.token.TokenVerification.Valid;
import dev.signet.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenServiceTest {

  private static final Instant START = Instant.parse("2026-11-25T18:00:00Z");
  private static final TokenClaims CLAIMS =
      new TokenClaims("user-1", "signIn", "idem-1", "read:authenticators", "tenant-1");

  private final MutableClock clock = new MutableClock(START);
  private final ECKey key = TestKeys.p256("t1");
  private final TokenService tokens = service(TestKeys.properties("t1", key));

  private TokenService service(TokenProperties properties) {
    return new TokenService(properties, clock, new SecureRandom(), new SimpleMeterRegistry());
  }

  // --- issue and round trip ---

  @Test
  void issuedTokenVerifiesWithItsClaims() {
    String token = tokens.issue(TokenKind.SUCCESS, CLAIMS);

    TokenVerification result = tokens.verify(token);

    assertThat(result).isInstanceOf(Valid.class);
    Valid valid = (Valid) result;
    assertThat(valid.claims()).isEqualTo(CLAIMS);
    assertThat(valid.issuedAt()).isEqualTo(START);
    assertThat(valid.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    assertThat(valid.tokenId()).isNotBlank();
  }

  @Test
  void issuedTokenHasTheSpecifiedHeaderAndClaims() throws Exception {
    SignedJWT jwt = SignedJWT.parse(tokens.issue(TokenKind.SUCCESS, CLAIMS));

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("t1");
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("signet-success+jwt");
    Map<String, Object> payload = jwt.getPayload().toJSONObject();
    assertThat(payload)
        .containsOnlyKeys("iss", "sub", "aud", "iat", "exp", "auth_time", "jti", "scope", "other")
        .containsEntry("iss", "urn:signet:challenge-service")
        .containsEntry("auth_time", START.getEpochSecond())
        .containsEntry("sub", "user-1")
        .containsEntry("aud", "signet")
        .containsEntry("iat", START.getEpochSecond())
        .containsEntry("exp", START.getEpochSecond() + 600)
        .containsEntry("scope", "read:authenticators")
        .containsEntry(
            "other",
            Map.of(
                "tenantId", "tenant-1",
                "userId", "user-1",
                "actionCode", "signIn",
                "idempotencyKey", "idem-1"));
  }

  @Test
  void everyTokenGetsItsOwnId() throws Exception {
    String first =
        SignedJWT.parse(tokens.issue(TokenKind.SUCCESS, CLAIMS)).getJWTClaimsSet().getJWTID();
    String second =
        SignedJWT.parse(tokens.issue(TokenKind.SUCCESS, CLAIMS)).getJWTClaimsSet().getJWTID();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void lifetimeAndAudienceAreConfigurable() throws Exception {
    TokenService custom =
        service(TestKeys.properties("https://auth.example", Duration.ofMinutes(2), key));

    SignedJWT jwt = SignedJWT.parse(custom.issue(TokenKind.SUCCESS, CLAIMS));

    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://auth.example");
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isEqualTo(START.plus(Duration.ofMinutes(2)));
    assertThat(custom.verify(jwt.serialize())).isInstanceOf(Valid.class);
    assertThat(tokens.verify(jwt.serialize())).isEqualTo(new Rejected(Reason.WRONG_AUDIENCE));
  }

  @Test
  void missingScopeIsIssuedAsEmptyString() {
    TokenClaims noScope = new TokenClaims("user-1", "signIn", "idem-1", null, "tenant-1");

    Valid valid = (Valid) tokens.verify(tokens.issue(TokenKind.SUCCESS, noScope));

    assertThat(valid.claims().scope()).isEmpty();
  }

  // --- expiry ---

  @Test
  void acceptsATokenWithinTheClockSkewAfterExpiry() {
    String token = tokens.issue(TokenKind.SUCCESS, CLAIMS);
    clock.advance(Duration.ofMinutes(10).plusSeconds(29));

    assertThat(tokens.verify(token)).isInstanceOf(Valid.class);
  }

  @Test
  void rejectsAnExpiredToken() {
    String token = tokens.issue(TokenKind.SUCCESS, CLAIMS);
    clock.advance(Duration.ofMinutes(10).plusSeconds(31));

    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.EXPIRED));
  }

  @Test
  void rejectsATokenIssuedInTheFuture() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("iat", START.getEpochSecond() + 120);
    claims.put("exp", START.getEpochSecond() + 720);

    assertThat(tokens.verify(sign(es256("t1"), claims, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.MALFORMED));
  }

  // --- algorithm attacks ---

  @Test
  void rejectsAlgNone() {
    String unsigned = encode("{\"alg\":\"none\"}") + "." + encode(json(claims())) + ".";

    assertThat(tokens.verify(unsigned)).isEqualTo(new Rejected(Reason.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void rejectsAlgNoneCarryingAGenuineSignature() {
    String genuine = tokens.issue(TokenKind.SUCCESS, CLAIMS);
    String[] parts = genuine.split("\\.");
    String forged = encode("{\"alg\":\"none\",\"kid\":\"t1\"}") + "." + parts[1] + "." + parts[2];

    assertThat(tokens.verify(forged)).isEqualTo(new Rejected(Reason.ALGORITHM_NOT_ALLOWED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void rejectsEverySpellingOfNone(String alg) {
    String unsigned =
        encode("{\"alg\":\"" + alg + "\",\"kid\":\"t1\"}") + "." + encode(json(claims())) + ".";

    assertThat(tokens.verify(unsigned)).isInstanceOf(Rejected.class);
  }

  static Stream<Arguments> publicKeyRepresentations() throws Exception {
    return Stream.of(
        Arguments.of("DER", (PublicKeyBytes) k -> k.toECPublicKey().getEncoded()),
        Arguments.of(
            "PEM",
            (PublicKeyBytes)
                k ->
                    ("-----BEGIN PUBLIC KEY-----\n"
                            + Base64.getMimeEncoder().encodeToString(k.toECPublicKey().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n")
                        .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of(
            "JWK JSON",
            (PublicKeyBytes) k -> k.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "JWKS JSON",
            (PublicKeyBytes)
                k -> new JWKSet(k.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8)));
  }

  interface PublicKeyBytes {
    byte[] of(ECKey key) throws Exception;
  }

  /** The classic algorithm confusion: HMAC with the (public) verification key as the secret. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("publicKeyRepresentations")
  void rejectsHs256SignedWithThePublicKeyAsHmacSecret(String form, PublicKeyBytes secret)
      throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("t1").build();
    String forged = sign(header, claims(), new MACSigner(secret.of(key)));

    assertThat(tokens.verify(forged)).isEqualTo(new Rejected(Reason.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void rejectsOtherSignatureAlgorithms() throws Exception {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("t1").generate();
    String es384 =
        sign(
            new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("t1").build(),
            claims(),
            new ECDSASigner(p384));
    String rs256 =
        sign(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("t1").build(),
            claims(),
            new RSASSASigner(new RSAKeyGenerator(2048).generate()));

    assertThat(tokens.verify(es384)).isEqualTo(new Rejected(Reason.ALGORITHM_NOT_ALLOWED));
    assertThat(tokens.verify(rs256)).isEqualTo(new Rejected(Reason.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void rejectsAnEncryptedToken() {
    String jwe =
        encode("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"t1\"}")
            + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";

    assertThat(tokens.verify(jwe)).isEqualTo(new Rejected(Reason.ALGORITHM_NOT_ALLOWED));
  }

  // --- keys and signatures ---

  @Test
  void rejectsAnUnknownKid() throws Exception {
    ECKey foreign = TestKeys.p256("elsewhere");

    String token = sign(es256("elsewhere"), claims(), new ECDSASigner(foreign));

    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.UNKNOWN_KID));
  }

  @Test
  void rejectsATokenWithoutKid() throws Exception {
    String token =
        sign(new JWSHeader.Builder(JWSAlgorithm.ES256).build(), claims(), new ECDSASigner(key));

    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.UNKNOWN_KID));
  }

  @Test
  void rejectsAForeignKeyUsingOurKid() throws Exception {
    String token = sign(es256("t1"), claims(), new ECDSASigner(TestKeys.p256("t1")));

    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
  }

  @Test
  void ignoresAnAttackerKeyEmbeddedInTheHeader() throws Exception {
    ECKey attacker = TestKeys.p256("t1");
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("t1").jwk(attacker.toPublicJWK()).build();

    String token = sign(header, claims(), new ECDSASigner(attacker));

    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
  }

  @Test
  void rejectsATamperedPayload() {
    String[] parts = tokens.issue(TokenKind.SUCCESS, CLAIMS).split("\\.");
    Map<String, Object> claims = claims();
    claims.put("sub", "someone-else");
    ((Map<String, Object>) claims.get("other")).put("userId", "someone-else");

    String tampered = parts[0] + "." + encode(json(claims)) + "." + parts[2];

    assertThat(tokens.verify(tampered)).isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
  }

  /** CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify. */
  /** The order of the P-256 group. */
  static final java.math.BigInteger P256_ORDER =
      new java.math.BigInteger(
          "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  /** {@code token} with its ECDSA signature's S replaced by n - S: the same (r, s) "twin". */
  static String malleated(String token) {
    String[] parts = token.split("\\.");
    byte[] signature = Base64URL.from(parts[2]).decode();
    java.math.BigInteger s =
        new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
    byte[] twin = P256_ORDER.subtract(s).toByteArray();
    byte[] out = java.util.Arrays.copyOf(signature, 64);
    java.util.Arrays.fill(out, 32, 64, (byte) 0);
    int length = Math.min(twin.length, 32);
    System.arraycopy(twin, twin.length - length, out, 64 - length, length);
    return parts[0] + "." + parts[1] + "." + Base64URL.encode(out);
  }

  @Test
  void rejectsAMalleatedHighSSignatureOfAGenuineToken() {
    String token = tokens.issue(TokenKind.SUCCESS, CLAIMS);
    String twin = malleated(token);

    assertThat(twin).isNotEqualTo(token);
    assertThat(tokens.verify(token)).isInstanceOf(Valid.class);
    assertThat(tokens.verify(twin)).isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
  }

  @Test
  void theSignerOnlyEverEmitsLowS() {
    for (int i = 0; i < 64; i++) {
      String token = tokens.issue(TokenKind.TRACK, CLAIMS);
      byte[] signature = Base64URL.from(token.split("\\.")[2]).decode();

      assertThat(LowS.isLowS(signature)).as("token %d", i).isTrue();
    }
  }

  @Test
  void aMalleatedSignatureIsRefusedForEveryKind() {
    for (TokenKind kind : TokenKind.values()) {
      assertThat(tokens.verify(malleated(tokens.issue(kind, CLAIMS))))
          .as(kind.name())
          .isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
    }
  }

  // --- kinds ---

  @Test
  void eachKindHasItsOwnType() throws Exception {
    for (TokenKind kind : TokenKind.values()) {
      SignedJWT jwt = SignedJWT.parse(tokens.issue(kind, CLAIMS));

      assertThat(jwt.getHeader().getType().getType()).isEqualTo(kind.type());
      assertThat(((Valid) tokens.verify(jwt.serialize())).kind()).isEqualTo(kind);
    }
  }

  @Test
  void aGenuineTokenOfAnotherKindIsRejected() {
    String track = tokens.issue(TokenKind.TRACK, CLAIMS);
    String access = tokens.issue(TokenKind.ACCESS, CLAIMS);
    String success = tokens.issue(TokenKind.SUCCESS, CLAIMS);
    var onlySuccess = java.util.EnumSet.of(TokenKind.SUCCESS);

    assertThat(tokens.verify(track, onlySuccess)).isEqualTo(new Rejected(Reason.WRONG_KIND));
    assertThat(tokens.verify(access, onlySuccess)).isEqualTo(new Rejected(Reason.WRONG_KIND));
    assertThat(tokens.verify(success, onlySuccess)).isInstanceOf(Valid.class);
    assertThat(tokens.verify(success, java.util.EnumSet.of(TokenKind.TRACK)))
        .isEqualTo(new Rejected(Reason.WRONG_KIND));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "JWT", "at+jwt", "signet-success", "SIGNET-SUCCESS+JWT"})
  void aTokenWithoutASignetTypeIsRejected(String type) throws Exception {
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("t1");
    if (!type.isEmpty()) {
      header.type(new JOSEObjectType(type));
    }

    String token = sign(header.build(), claims(), new ECDSASigner(key));

    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.WRONG_KIND));
  }

  @Test
  void rejectsAnotherIssuer() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("iss", "https://elsewhere.example");
    Map<String, Object> none = claims();
    none.remove("iss");

    assertThat(tokens.verify(sign(es256("t1"), claims, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.WRONG_ISSUER));
    assertThat(tokens.verify(sign(es256("t1"), none, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.WRONG_ISSUER));
  }

  @Test
  void theIssuerIsConfigurable() throws Exception {
    TokenService custom =
        service(
            new TokenProperties(
                TestKeys.jwkSet(key), null, null, null, null, "https://auth.example", null));

    String token = custom.issue(TokenKind.TRACK, CLAIMS);

    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer())
        .isEqualTo("https://auth.example");
    assertThat(custom.verify(token)).isInstanceOf(Valid.class);
    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.WRONG_ISSUER));
  }

  // --- absolute lifetime ---

  @Test
  void reissuingNeverOutlivesTheFirstAuthenticationPlusTheMaximum() {
    // Lifetime 10 minutes, maximum 30: a browser re-verifying every 9 minutes gets tokens that
    // carry the first authentication time and stop at START + 30 min.
    String token = tokens.issue(TokenKind.TRACK, CLAIMS);
    List<Instant> expiries = new java.util.ArrayList<>();
    for (int round = 1; round <= 3; round++) {
      clock.advance(Duration.ofMinutes(9));
      Valid presented = (Valid) tokens.verify(token);
      assertThat(presented.authTime()).isEqualTo(START);
      token = tokens.issue(TokenKind.ACCESS, presented.claims(), presented.authTime());
      expiries.add(((Valid) tokens.verify(token)).expiresAt());
    }

    assertThat(expiries)
        .containsExactly(
            START.plus(Duration.ofMinutes(19)),
            START.plus(Duration.ofMinutes(28)),
            START.plus(Duration.ofMinutes(30)));
    clock.advance(Duration.ofMinutes(3).plusSeconds(31));
    assertThat(tokens.verify(token)).isEqualTo(new Rejected(Reason.EXPIRED));
  }

  @Test
  void aFreshTokenKeepsTheFullLifetimeInsideTheMaximum() {
    clock.advance(Duration.ofMinutes(5));

    Valid valid = (Valid) tokens.verify(tokens.issue(TokenKind.SUCCESS, CLAIMS, START));

    assertThat(valid.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    assertThat(valid.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(15)));
    assertThat(valid.authTime()).isEqualTo(START);
  }

  @Test
  void aTokenClaimingAnAuthenticationAfterItsIssueIsMalformed() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("auth_time", START.getEpochSecond() + 1);
    Map<String, Object> none = claims();
    none.remove("auth_time");

    assertThat(tokens.verify(sign(es256("t1"), claims, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.MALFORMED));
    assertThat(tokens.verify(sign(es256("t1"), none, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.MALFORMED));
  }

  @Test
  void rejectsAnAllZeroSignature() {
    String[] parts = tokens.issue(TokenKind.SUCCESS, CLAIMS).split("\\.");

    String zero = parts[0] + "." + parts[1] + "." + Base64URL.encode(new byte[64]);

    assertThat(tokens.verify(zero)).isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
  }

  // --- claims ---

  @Test
  void rejectsAWrongAudience() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("aud", "someone-else");

    assertThat(tokens.verify(sign(es256("t1"), claims, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.WRONG_AUDIENCE));
  }

  @Test
  void acceptsAnAudienceArrayNamingUs() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("aud", List.of("someone-else", "signet"));

    assertThat(tokens.verify(sign(es256("t1"), claims, new ECDSASigner(key))))
        .isInstanceOf(Valid.class);
  }

  static Stream<Arguments> incompleteClaims() {
    return Stream.of(
        Arguments.of("no sub", (Consumer<Map<String, Object>>) c -> c.remove("sub")),
        Arguments.of("no iat", (Consumer<Map<String, Object>>) c -> c.remove("iat")),
        Arguments.of("no exp", (Consumer<Map<String, Object>>) c -> c.remove("exp")),
        Arguments.of("no jti", (Consumer<Map<String, Object>>) c -> c.remove("jti")),
        Arguments.of("no scope", (Consumer<Map<String, Object>>) c -> c.remove("scope")),
        Arguments.of("no other", (Consumer<Map<String, Object>>) c -> c.remove("other")),
        Arguments.of("scope not text", (Consumer<Map<String, Object>>) c -> c.put("scope", 7)),
        Arguments.of("exp not a number", (Consumer<Map<String, Object>>) c -> c.put("exp", "x")),
        Arguments.of("other not object", (Consumer<Map<String, Object>>) c -> c.put("other", "x")),
        Arguments.of("no other.userId", other(o -> o.remove("userId"))),
        Arguments.of("no other.actionCode", other(o -> o.remove("actionCode"))),
        Arguments.of("no other.idempotencyKey", other(o -> o.remove("idempotencyKey"))),
        Arguments.of("no other.tenantId", other(o -> o.remove("tenantId"))),
        Arguments.of("blank other.actionCode", other(o -> o.put("actionCode", " "))),
        Arguments.of("other.userId not sub", other(o -> o.put("userId", "user-2"))));
  }

  @SuppressWarnings("unchecked")
  private static Consumer<Map<String, Object>> other(Consumer<Map<String, Object>> change) {
    return c -> change.accept((Map<String, Object>) c.get("other"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("incompleteClaims")
  void rejectsMissingOrMistypedClaims(String name, Consumer<Map<String, Object>> change)
      throws Exception {
    Map<String, Object> claims = claims();
    change.accept(claims);

    assertThat(tokens.verify(sign(es256("t1"), claims, new ECDSASigner(key))))
        .isEqualTo(new Rejected(Reason.MALFORMED));
  }

  @Test
  void theCompleteHandMadeClaimsAreValid() throws Exception {
    assertThat(tokens.verify(sign(es256("t1"), claims(), new ECDSASigner(key))))
        .isInstanceOf(Valid.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "a.b.c",
        ".",
        "..",
        "eyJhbGciOiJFUzI1NiJ9",
        "eyJhbGciOiJFUzI1NiJ9..",
        "eyJhbGciOiJFUzI1NiIsImtpZCI6InQxIn0.bm90IGpzb24.AAAA",
        "bm90IGpzb24.e30.AAAA",
        "W10.e30.AAAA",
        "Bearer x.y.z"
      })
  void rejectsMalformedTokens(String token) {
    assertThat(tokens.verify(token)).isInstanceOf(Rejected.class);
  }

  @Test
  void rejectsNullAndOversizedTokens() {
    String genuine = tokens.issue(TokenKind.SUCCESS, CLAIMS);

    assertThat(tokens.verify(null)).isEqualTo(new Rejected(Reason.MALFORMED));
    assertThat(tokens.verify(genuine + "A".repeat(TokenService.MAX_TOKEN_LENGTH)))
        .isEqualTo(new Rejected(Reason.MALFORMED));
    assertThat(tokens.verify("x".repeat(1_000_000))).isEqualTo(new Rejected(Reason.MALFORMED));
  }

  // --- rotation ---

  @Test
  void rotationKeepsOldTokensValidUntilTheOldKeyIsRemoved() {
    ECKey oldKey = key;
    ECKey newKey = TestKeys.p256("t2");
    String oldToken = tokens.issue(TokenKind.SUCCESS, CLAIMS);

    TokenService bothKeysNewActive = service(TestKeys.properties("t2", oldKey, newKey));
    String newToken = bothKeysNewActive.issue(TokenKind.SUCCESS, CLAIMS);
    TokenService onlyNewKey = service(TestKeys.properties("t2", newKey));

    assertThat(kid(newToken)).isEqualTo("t2");
    assertThat(bothKeysNewActive.verify(oldToken)).isInstanceOf(Valid.class);
    assertThat(bothKeysNewActive.verify(newToken)).isInstanceOf(Valid.class);
    assertThat(tokens.verify(newToken)).isEqualTo(new Rejected(Reason.UNKNOWN_KID));
    assertThat(onlyNewKey.verify(newToken)).isInstanceOf(Valid.class);
    assertThat(onlyNewKey.verify(oldToken)).isEqualTo(new Rejected(Reason.UNKNOWN_KID));
  }

  @Test
  void publishesThePublicHalfOfEveryConfiguredKey() {
    TokenService rotated = service(TestKeys.properties("t2", key, TestKeys.p256("t2")));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> keys = (List<Map<String, Object>>) rotated.publicJwks().get("keys");

    assertThat(keys).extracting(k -> k.get("kid")).containsExactly("t1", "t2");
    assertThat(keys)
        .allSatisfy(
            k ->
                assertThat(k)
                    .containsEntry("kty", "EC")
                    .containsEntry("crv", "P-256")
                    .containsEntry("alg", "ES256")
                    .containsEntry("use", "sig")
                    .containsKeys("x", "y")
                    .doesNotContainKey("d"));
  }

  // --- configuration ---

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "${SIGNET_TOKEN_SIGNING_KEYS}"})
  void refusesToStartWithoutKeys(String configured) {
    assertThatThrownBy(() -> service(new TokenProperties(configured, null, null, null, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_TOKEN_SIGNING_KEYS")
        .hasMessageContaining("must be configured");
    assertThatThrownBy(() -> service(new TokenProperties(null, null, null, null, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNET_TOKEN_SIGNING_KEYS");
  }

  @Test
  void acceptsTheKeySetBase64Encoded() {
    String json = TestKeys.jwkSet(key);
    String standard = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    String url =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8));

    for (String encoded : List.of(standard, url)) {
      TokenService fromBase64 = service(new TokenProperties(encoded, "t1", null, null, null));
      assertThat(fromBase64.verify(tokens.issue(TokenKind.SUCCESS, CLAIMS)))
          .isInstanceOf(Valid.class);
    }
  }

  @Test
  void aSingleKeyIsActiveWithoutNamingIt() {
    TokenService implicit =
        service(new TokenProperties(TestKeys.jwkSet(key), "", null, null, null));

    assertThat(kid(implicit.issue(TokenKind.SUCCESS, CLAIMS))).isEqualTo("t1");
  }

  @Test
  void refusesUnusableKeySets() throws Exception {
    ECKey second = TestKeys.p256("t2");
    String rsa = new JWKSet(new RSAKeyGenerator(2048).keyID("r1").generate()).toString(false);
    String publicOnly = new JWKSet(key.toPublicJWK()).toString(false);
    String noKid = new JWKSet(new ECKeyGenerator(Curve.P_256).generate()).toString(false);
    String p384 = new JWKSet(new ECKeyGenerator(Curve.P_384).keyID("p").generate()).toString(false);

    assertRefused(new TokenProperties("not json!", null, null, null, null), "neither");
    assertRefused(new TokenProperties("{\"keys\":[]}", null, null, null, null), "no keys");
    assertRefused(new TokenProperties("{\"keys\":5}", null, null, null, null), "not a valid");
    assertRefused(new TokenProperties(rsa, null, null, null, null), "not an EC P-256 key");
    assertRefused(new TokenProperties(p384, null, null, null, null), "not an EC P-256 key");
    assertRefused(new TokenProperties(publicOnly, null, null, null, null), "no private part");
    assertRefused(new TokenProperties(noKid, null, null, null, null), "without kid");
    assertRefused(TestKeys.properties("t1", key, key), "twice");
    assertRefused(TestKeys.properties(null, key, second), "must name one of");
    assertRefused(TestKeys.properties("t9", key, second), "t9 is not among");
  }

  @Test
  void configurationErrorsNeverShowKeyMaterial() {
    ECKey second = TestKeys.p256("t2");
    assertThatThrownBy(() -> service(TestKeys.properties("t9", key, second)))
        .message()
        .doesNotContain(key.getD().toString())
        .doesNotContain(second.getD().toString())
        .doesNotContain(key.getX().toString());
  }

  @Test
  void refusesALongClockSkewAndANonPositiveLifetime() {
    assertThatThrownBy(() -> new TokenProperties("x", null, null, null, Duration.ofSeconds(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenProperties("x", null, null, Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- helpers ---

  private void assertRefused(TokenProperties properties, String message) {
    assertThatThrownBy(() -> service(properties))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message);
  }

  private static String kid(String token) {
    try {
      return SignedJWT.parse(token).getHeader().getKeyID();
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private static JWSHeader es256(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(kid)
        .type(new JOSEObjectType(TokenKind.SUCCESS.type()))
        .build();
  }

  private static Map<String, Object> claims() {
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("tenantId", "tenant-1");
    other.put("userId", "user-1");
    other.put("actionCode", "signIn");
    other.put("idempotencyKey", "idem-1");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", TokenProperties.DEFAULT_ISSUER);
    claims.put("sub", "user-1");
    claims.put("aud", "signet");
    claims.put("iat", START.getEpochSecond());
    claims.put("auth_time", START.getEpochSecond());
    claims.put("exp", START.getEpochSecond() + 600);
    claims.put("jti", "jti-1");
    claims.put("scope", "");
    claims.put("other", other);
    return claims;
  }

  private static String sign(JWSHeader header, Map<String, Object> claims, JWSSigner signer)
      throws Exception {
    JWSObject jws = new JWSObject(header, new Payload(claims));
    jws.sign(signer);
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      return jws.serialize();
    }
    // As Signet's own signer does: only the low-S form of a signature is accepted.
    byte[] signature = jws.getSignature().decode();
    LowS.normalise(signature);
    return jws.getHeader().toBase64URL()
        + "."
        + jws.getPayload().toBase64URL()
        + "."
        + Base64URL.encode(signature);
  }

  private static String json(Map<String, Object> claims) {
    return new Payload(claims).toString();
  }

  private static String encode(String text) {
    return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
