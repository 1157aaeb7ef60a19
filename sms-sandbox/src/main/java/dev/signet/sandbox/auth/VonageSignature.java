package dev.signet.sandbox.auth;

import dev.signet.sandbox.SandboxProperties.SignatureMethod;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Vonage's signature for SMS API requests and webhooks ({@code sig} and {@code timestamp}
 * parameters), byte-for-byte what {@code com.vonage.client.auth.RequestSigning} computes and
 * verifies: add {@code timestamp} (Unix seconds), sort parameters by name, drop {@code sig} and
 * empty values, replace {@code &} and {@code =} in names and values by {@code _}, join as {@code
 * &name=value...}, then hash that string (MD5 of string + secret for {@code md5hash}, an HMAC keyed
 * by the secret otherwise), lower-case hex.
 */
public final class VonageSignature {

  public static final String SIG = "sig";
  public static final String TIMESTAMP = "timestamp";

  private VonageSignature() {}

  /** The parameters plus {@code timestamp} and {@code sig}, in the original order. */
  public static Map<String, String> sign(
      Map<String, String> params, String secret, SignatureMethod method, long epochSeconds) {
    Map<String, String> signed = new LinkedHashMap<>(params);
    signed.remove(SIG);
    signed.put(TIMESTAMP, Long.toString(epochSeconds));
    signed.put(SIG, digest(canonical(signed), secret, method));
    return signed;
  }

  /**
   * Whether {@code sig} matches the other parameters (timestamp freshness is the caller's concern).
   */
  public static boolean verify(Map<String, String> params, String secret, SignatureMethod method) {
    String supplied = params.get(SIG);
    if (supplied == null) {
      return false;
    }
    byte[] expected = digest(canonical(params), secret, method).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(
        expected, supplied.toLowerCase().getBytes(StandardCharsets.US_ASCII));
  }

  static String canonical(Map<String, String> params) {
    SortedMap<String, String> sorted = new TreeMap<>(params);
    StringBuilder sb = new StringBuilder();
    sorted.forEach(
        (name, value) -> {
          if (!SIG.equals(name) && value != null && !value.trim().isEmpty()) {
            sb.append('&').append(clean(name)).append('=').append(clean(value));
          }
        });
    return sb.toString();
  }

  private static String clean(String value) {
    return value.replaceAll("[=&]", "_");
  }

  private static String digest(String input, String secret, SignatureMethod method) {
    try {
      byte[] hash =
          switch (method) {
            case MD5HASH ->
                MessageDigest.getInstance("MD5")
                    .digest((input + secret).getBytes(StandardCharsets.UTF_8));
            case MD5 -> hmac("HmacMD5", input, secret);
            case SHA1 -> hmac("HmacSHA1", input, secret);
            case SHA256 -> hmac("HmacSHA256", input, secret);
            case SHA512 -> hmac("HmacSHA512", input, secret);
          };
      return HexFormat.of().formatHex(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks a standard algorithm for " + method, e);
    }
  }

  private static byte[] hmac(String algorithm, String input, String secret)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
    return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
  }
}
