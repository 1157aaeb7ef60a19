package dev.signet.sms.receipt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Vonage's SMS API webhook signature (signature secret, HMAC-SHA256), byte for byte as the
 * Vonage SDK's {@code RequestSigning} builds it: parameters sorted by name, {@code sig} and empty
 * values left out, {@code &} and {@code =} in names and values replaced by {@code _}, joined as
 * {@code &name=value...}, HMAC-SHA256 keyed by the secret, lower-case hex. The comparison is
 * constant-time, and the signed {@code timestamp} must be within the allowed skew of now, so a
 * captured receipt cannot be replayed later.
 */
final class ReceiptSignature {

  /** Why a receipt was accepted or refused. */
  enum Verdict {
    VALID,
    MISSING,
    STALE,
    INVALID
  }

  static final String SIGNATURE = "sig";
  static final String TIMESTAMP = "timestamp";

  private final SecretKeySpec key;
  private final Duration maxSkew;

  ReceiptSignature(String secret, Duration maxSkew) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.maxSkew = maxSkew;
  }

  Verdict verify(Map<String, String> params, Instant now) {
    String supplied = params.get(SIGNATURE);
    String timestamp = params.get(TIMESTAMP);
    if (supplied == null || supplied.isBlank() || timestamp == null || timestamp.isBlank()) {
      return Verdict.MISSING;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.INVALID;
    }
    long skewMillis = Math.abs(now.toEpochMilli() - seconds * 1000);
    if (skewMillis > maxSkew.toMillis()) {
      return Verdict.STALE;
    }
    byte[] expected = sign(params).getBytes(StandardCharsets.UTF_8);
    byte[] actual = supplied.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, actual) ? Verdict.VALID : Verdict.INVALID;
  }

  /** The lower-case hex signature of the parameters (whatever {@code sig} they carry). */
  String sign(Map<String, String> params) {
    StringBuilder signed = new StringBuilder();
    for (Map.Entry<String, String> param : new TreeMap<>(params).entrySet()) {
      String value = param.getValue();
      if (SIGNATURE.equals(param.getKey()) || value == null || value.trim().isEmpty()) {
        continue;
      }
      signed.append('&').append(clean(param.getKey())).append('=').append(clean(value));
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of()
          .formatHex(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String clean(String text) {
    return text.replace('&', '_').replace('=', '_');
  }
}
