package dev.signet.audit.activity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a phone number into the keyed hash the views store for look-ups. The views never hold a
 * full number; a plain SHA-256 would not protect it (the space of phone numbers is small enough to
 * enumerate), so the hash is an HMAC-SHA256 under a secret key, over the E.164 form.
 */
public final class PhoneHasher {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private final SecretKeySpec key;

  public PhoneHasher(byte[] key) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException("the phone hash key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /**
   * The E.164 form of a number an operator typed ({@code +44 7700 900001}, {@code
   * +44-(0)7700900001}), or empty when it is not a valid international number.
   */
  public static Optional<String> normalise(String input) {
    if (input == null || input.isBlank() || input.length() > 40) {
      return Optional.empty();
    }
    String trimmed = input.strip();
    if (trimmed.startsWith("00")) {
      trimmed = "+" + trimmed.substring(2);
    }
    if (!trimmed.startsWith("+")) {
      return Optional.empty();
    }
    try {
      var parsed = UTIL.parse(trimmed, null);
      if (!UTIL.isPossibleNumber(parsed)) {
        return Optional.empty();
      }
      return Optional.of(UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** The hex HMAC of an E.164 number. */
  public String hash(String e164) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
