package dev.signet.sandbox.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Normalises destination numbers the way Vonage reads them (international digits, optional leading
 * {@code +} or {@code 00}) and masks them for logs.
 */
public final class PhoneNumbers {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{7,15}");

  private PhoneNumbers() {}

  /**
   * The number as bare international digits, or empty when it is not a plausible MSISDN. A {@code
   * +} that arrived unencoded in a query string reads as a space, so whitespace is ignored too.
   */
  public static Optional<String> digits(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String value = raw.replaceAll("[\\s()\\-.]", "");
    if (value.startsWith("+")) {
      value = value.substring(1);
    } else if (value.startsWith("00")) {
      value = value.substring(2);
    }
    return DIGITS.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }

  /**
   * The ISO region of normalised digits ({@code 4915...} → DE), null when unknown. A number no
   * region claims as valid (the fictional ranges tests use, {@code +447700900...}) takes the main
   * region of its country calling code.
   */
  public static String region(String digits) {
    try {
      PhoneNumberUtil util = PhoneNumberUtil.getInstance();
      var number = util.parse("+" + digits, null);
      String region = util.getRegionCodeForNumber(number);
      if (region == null || "ZZ".equals(region)) {
        region = util.getRegionCodeForCountryCode(number.getCountryCode());
      }
      // ZZ is unknown, 001 a non-geographic code (+800, +882...): no country to scope a fault to.
      return region != null && region.matches("[A-Z]{2}") && !"ZZ".equals(region) ? region : null;
    } catch (NumberParseException e) {
      return null;
    }
  }

  /** E.164 form ({@code +} and digits) of already normalised digits. */
  public static String e164(String digits) {
    return "+" + digits;
  }

  /** Keeps the country prefix and the last four digits: {@code +44******0001}. */
  public static String mask(String digits) {
    if (digits == null || digits.length() < 7) {
      return "***";
    }
    int hidden = digits.length() - 6;
    return "+"
        + digits.substring(0, 2)
        + "*".repeat(hidden)
        + digits.substring(digits.length() - 4);
  }
}
