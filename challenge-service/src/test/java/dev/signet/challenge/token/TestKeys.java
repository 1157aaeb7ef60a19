package dev.signet.challenge.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.util.List;

/** Freshly generated P-256 keys and token settings for tests. */
public final class TestKeys {

  private TestKeys() {}

  /** A new EC P-256 private key with {@code kid}. */
  public static ECKey p256(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWK set JSON (private keys included) as {@code SIGNET_TOKEN_SIGNING_KEYS} expects it. */
  public static String jwkSet(ECKey... keys) {
    return new JWKSet(List.of(keys)).toString(false);
  }

  static TokenProperties properties(String activeKeyId, ECKey... keys) {
    return new TokenProperties(jwkSet(keys), activeKeyId, null, null, null);
  }

  static TokenProperties properties(String audience, Duration lifetime, ECKey... keys) {
    return new TokenProperties(jwkSet(keys), null, audience, lifetime, null);
  }
}
