package dev.signet.e2e.badinput;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attacker-made variants of a genuine token: {@code alg:none}, HS256 keyed with the server's public
 * key (PEM and JWK forms), ES256 under a key the server never issued (unknown and borrowed {@code
 * kid}), a payload edited under the original signature, and a stripped signature.
 */
final class ForgedTokens {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DECODE = Base64.getUrlDecoder();

  private ForgedTokens() {}

  static String forge(String kind, String genuine, JsonNode jwk) {
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
    header.put("alg", "ES256");
    String signingInput = encode(header) + "." + encode(payload);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(generator.generateKeyPair().getPrivate());
    signer.update(signingInput.getBytes(UTF_8));
    return signingInput + "." + B64URL.encodeToString(signer.sign());
  }

  private static PublicKey publicKey(JsonNode jwk) throws GeneralSecurityException {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
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
