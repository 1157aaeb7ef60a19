package dev.signet.challenge.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured token keys: the active one signs, every configured one verifies and is published
 * in the JWKS. Keeping the previous key configured after a rotation is what lets tokens signed
 * before the switch verify until they expire.
 */
final class SigningKeys {

  private static final String VARIABLE = "SIGNET_TOKEN_SIGNING_KEYS";

  private final String activeKeyId;
  private final JWSSigner signer;
  private final Map<String, JWSVerifier> verifiers;
  private final JWKSet publicKeys;

  private SigningKeys(
      String activeKeyId, JWSSigner signer, Map<String, JWSVerifier> verifiers, JWKSet publicKeys) {
    this.activeKeyId = activeKeyId;
    this.signer = signer;
    this.verifiers = Map.copyOf(verifiers);
    this.publicKeys = publicKeys;
  }

  /**
   * Parses and checks the configured keys. Messages name the setting and the offending {@code kid}
   * but never key material.
   *
   * @throws IllegalStateException when the keys are missing or unusable
   */
  static SigningKeys from(String configured, String activeKeyId) {
    if (configured == null || configured.isBlank() || configured.startsWith("${")) {
      throw new IllegalStateException(
          "signet.challenge.token.signing-keys ("
              + VARIABLE
              + ") must be configured: a JWK set of EC P-256 private keys with a kid each, shared"
              + " by every challenge-service instance (see docs/tokens.md)");
    }
    JWKSet set = parse(configured.trim());
    if (set.getKeys().isEmpty()) {
      throw new IllegalStateException(VARIABLE + " holds no keys");
    }
    Map<String, JWSVerifier> verifiers = new LinkedHashMap<>();
    Map<String, ECKey> privateKeys = new LinkedHashMap<>();
    List<JWK> published = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      ECKey key = check(jwk);
      if (privateKeys.putIfAbsent(key.getKeyID(), key) != null) {
        throw new IllegalStateException(VARIABLE + " holds kid " + key.getKeyID() + " twice");
      }
      try {
        verifiers.put(key.getKeyID(), new ECDSAVerifier(key.toECPublicKey()));
      } catch (JOSEException e) {
        throw new IllegalStateException(
            VARIABLE + " key " + key.getKeyID() + " cannot verify ES256", e);
      }
      published.add(
          new ECKey.Builder(key.toPublicJWK())
              .keyID(key.getKeyID())
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .build());
    }
    String active = activeKeyId(activeKeyId, privateKeys);
    ECKey activeKey = privateKeys.get(active);
    if (activeKey == null) {
      throw new IllegalStateException(
          "signet.challenge.token.active-key-id (SIGNET_TOKEN_ACTIVE_KEY_ID) "
              + active
              + " is not among the kids "
              + privateKeys.keySet()
              + " of "
              + VARIABLE);
    }
    try {
      return new SigningKeys(active, new ECDSASigner(activeKey), verifiers, new JWKSet(published));
    } catch (JOSEException e) {
      throw new IllegalStateException(VARIABLE + " key " + active + " cannot sign ES256", e);
    }
  }

  /** The configured active kid; with one key configured, it may be left out. */
  private static String activeKeyId(String activeKeyId, Map<String, ECKey> privateKeys) {
    String active = activeKeyId == null || activeKeyId.startsWith("${") ? "" : activeKeyId.trim();
    if (active.isEmpty()) {
      if (privateKeys.size() != 1) {
        throw new IllegalStateException(
            "signet.challenge.token.active-key-id (SIGNET_TOKEN_ACTIVE_KEY_ID) must name one of"
                + " the kids "
                + privateKeys.keySet()
                + " when "
                + VARIABLE
                + " holds several keys");
      }
      active = privateKeys.keySet().iterator().next();
    }
    return active;
  }

  private static JWKSet parse(String configured) {
    String json = configured;
    if (!configured.startsWith("{")) {
      try {
        json = new String(decodeBase64(configured), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            VARIABLE + " is neither a JWK set JSON object nor its base64 encoding");
      }
    }
    try {
      return JWKSet.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException(VARIABLE + " is not a valid JWK set: " + e.getMessage());
    }
  }

  private static byte[] decodeBase64(String value) {
    String compact = value.replaceAll("\\s", "");
    if (compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0) {
      return Base64.getUrlDecoder().decode(compact);
    }
    return Base64.getDecoder().decode(compact);
  }

  private static ECKey check(JWK jwk) {
    String kid = jwk.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new IllegalStateException(VARIABLE + " holds a key without kid");
    }
    if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
      throw new IllegalStateException(VARIABLE + " key " + kid + " is not an EC P-256 key");
    }
    if (!ec.isPrivate()) {
      throw new IllegalStateException(VARIABLE + " key " + kid + " has no private part (d)");
    }
    if (ec.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(ec.getAlgorithm())) {
      throw new IllegalStateException(VARIABLE + " key " + kid + " is not meant for ES256");
    }
    if (ec.getKeyUse() != null && !KeyUse.SIGNATURE.equals(ec.getKeyUse())) {
      throw new IllegalStateException(VARIABLE + " key " + kid + " is not a signing key");
    }
    return ec;
  }

  String activeKeyId() {
    return activeKeyId;
  }

  JWSSigner signer() {
    return signer;
  }

  /** The verifier for {@code kid}, or {@code null} when no such key is configured. */
  JWSVerifier verifier(String kid) {
    return kid == null ? null : verifiers.get(kid);
  }

  /** Public halves of every configured key, each with {@code kid}, {@code alg} and {@code use}. */
  JWKSet publicKeys() {
    return publicKeys;
  }
}
