package dev.signet.e2e.badinput;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attacker-made variants of a genuine token: {@code alg:none}, HS256 keyed with the server's public
 * key (PEM and JWK forms), ES256 under a key the server never issued (unknown and borrowed {@code
 * kid}), a payload edited under the original signature, a stripped signature, and, signed with the
 * server's own key from the local stack's secrets, tokens that are expired, for another audience,
 * for another subject or issued in the future (so only the claims checks can refuse them; {@code
 * resigned} is their positive control).
 */
public final class ForgedTokens {

  /** P-256's group order n. */
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DECODE = Base64.getUrlDecoder();

  private ForgedTokens() {}

  /**
   * @param jwk the server's public key (from its JWKS)
   * @param signingKey the server's private key as a JWK (for forgeries that need a valid signature,
   *     i.e. that test the claims checks), or {@code null}
   */
  public static String forge(
      String kind, String genuine, JsonNode jwk, Supplier<JsonNode> signingKey) {
    String[] parts = genuine.split("\\.");
    ObjectNode header = (ObjectNode) JSON.readTree(B64URL_DECODE.decode(parts[0]));
    ObjectNode payload = (ObjectNode) JSON.readTree(B64URL_DECODE.decode(parts[1]));
    try {
      return switch (kind) {
        case "none" -> {
          header.put("alg", "none");
          yield encode(header) + "." + encode(payload) + ".";
        }
        case "hs256pem" -> hmac(header, payload, pem(publicKey(jwk)).getBytes(UTF_8));
        case "hs256jwk" -> hmac(header, payload, JSON.writeValueAsString(jwk).getBytes(UTF_8));
        case "unknownKid" -> {
          header.put("kid", "attacker-key");
          yield es256(header, payload);
        }
        case "borrowedKid" -> es256(header, payload);
        case "tampered" -> {
          payload.put("sub", "someone-else");
          ((ObjectNode) payload.path("other")).put("userId", "someone-else");
          yield encode(header) + "." + encode(payload) + "." + parts[2];
        }
        case "stripped" -> parts[0] + "." + parts[1] + ".";
        case "resigned" -> es256(header, payload, signingKey.get());
        case "expired" -> {
          long now = System.currentTimeMillis() / 1000;
          payload.put("iat", now - 1200);
          payload.put("exp", now - 600);
          yield es256(header, payload, signingKey.get());
        }
        case "wrongAudience" -> {
          payload.put("aud", "another-relying-party");
          yield es256(header, payload, signingKey.get());
        }
        case "foreignSubject" -> {
          payload.put("sub", "someone-else");
          yield es256(header, payload, signingKey.get());
        }
        case "issuedInTheFuture" -> {
          long now = System.currentTimeMillis() / 1000;
          payload.put("iat", now + 3600);
          payload.put("exp", now + 4200);
          yield es256(header, payload, signingKey.get());
        }
        default -> throw new IllegalArgumentException("unknown forgery " + kind);
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hmac(ObjectNode header, ObjectNode payload, byte[] key)
      throws GeneralSecurityException {
    header.put("alg", "HS256");
    String signingInput = encode(header) + "." + encode(payload);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return signingInput + "." + B64URL.encodeToString(mac.doFinal(signingInput.getBytes(UTF_8)));
  }

  /** ES256 (JOSE: raw 64-byte R||S) under a freshly generated P-256 key. */
  private static String es256(ObjectNode header, ObjectNode payload)
      throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return es256(header, payload, generator.generateKeyPair().getPrivate());
  }

  /** ES256 under the server's own private key (a JWK with {@code d}), keeping its kid. */
  private static String es256(ObjectNode header, ObjectNode payload, JsonNode privateJwk)
      throws GeneralSecurityException {
    header.put("kid", privateJwk.path("kid").asText());
    BigInteger d = new BigInteger(1, B64URL_DECODE.decode(privateJwk.path("d").asText()));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, p256()));
    return es256(header, payload, key);
  }

  private static String es256(ObjectNode header, ObjectNode payload, PrivateKey key)
      throws GeneralSecurityException {
    header.put("alg", "ES256");
    String signingInput = encode(header) + "." + encode(payload);
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(signingInput.getBytes(UTF_8));
    return signingInput + "." + B64URL.encodeToString(lowS(signer.sign()));
  }

  /**
   * The server accepts only the low-S spelling (s <= n/2) of a signature; each forgery is signed
   * that way so that it is refused for what it forges, never for a high S (half of all signatures).
   */
  private static byte[] lowS(byte[] signature) {
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (s.compareTo(P256_ORDER.shiftRight(1)) > 0) {
      byte[] low = P256_ORDER.subtract(s).toByteArray();
      Arrays.fill(signature, 32, 64, (byte) 0);
      int length = Math.min(low.length, 32);
      System.arraycopy(low, low.length - length, signature, 64 - length, length);
    }
    return signature;
  }

  private static ECParameterSpec p256() throws GeneralSecurityException {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    return parameters.getParameterSpec(ECParameterSpec.class);
  }

  private static PublicKey publicKey(JsonNode jwk) throws GeneralSecurityException {
    ECParameterSpec spec = p256();
    ECPoint point =
        new ECPoint(
            new BigInteger(1, B64URL_DECODE.decode(jwk.path("x").asText())),
            new BigInteger(1, B64URL_DECODE.decode(jwk.path("y").asText())));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static String encode(JsonNode node) {
    return B64URL.encodeToString(JSON.writeValueAsString(node).getBytes(UTF_8));
  }
}
