package dev.signet.challenge.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.signet.challenge.web.ApiException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Parses phone numbers from API input into E.164, deterministically or not at all. Only ASCII
 * digits with a leading {@code +} and the usual separators (space, hyphen, dot, parentheses) are
 * accepted; anything else (national format, letters, {@code tel:} URIs, extensions, Unicode digits,
 * fullwidth plus, invisible or bidirectional marks, control characters) is refused rather than
 * guessed at, because a guessed number is an SMS to a stranger. Numbers that cannot receive an SMS
 * code (premium-rate, shared-cost, universal access, international freephone and network ranges,
 * unassigned ranges) are refused too: they are where SMS pumping fraud lives.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Set<PhoneNumberType> SMS_CAPABLE =
      EnumSet.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);
  private static final int MAX_INPUT_LENGTH = 32;
  private static volatile List<String> fictionalPrefixes = List.of();

  private PhoneNumbers() {}

  /**
   * E.164 prefixes of fictional ranges accepted as mobile numbers although no operator serves them
   * (such as Ofcom's 07700 900xxx drama range, {@code +4477009}, which the local stack passes), so
   * local stacks and tests can send to the SMS sandbox without using anyone's real number. Set once
   * at start-up from {@code signet.challenge.fictional-number-prefixes}: none unless configured,
   * and the production profile refuses to start with any.
   */
  public static void allowFictionalPrefixes(List<String> prefixes) {
    fictionalPrefixes = List.copyOf(prefixes);
  }

  /** A phone number in E.164 with its ISO 3166-1 alpha-2 region. */
  public record Parsed(String e164, String region) {}

  /** Parses or throws {@link ApiException} invalid_request naming the field. */
  public static Parsed parse(String raw) {
    return parse(raw, "phoneNumber");
  }

  public static Parsed parse(String raw, String field) {
    if (raw == null || raw.isEmpty()) {
      throw ApiException.invalid(field + " is required.");
    }
    if (raw.length() > MAX_INPUT_LENGTH) {
      throw ApiException.invalid(field + " is too long for a phone number.");
    }
    StringBuilder digits = new StringBuilder(16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c == '+' && i == 0) {
        digits.append(c);
      } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
        throw ApiException.invalid(
            field + " must be in E.164 format (+ and digits only), e.g. +447700900123.");
      }
    }
    if (digits.length() == 0 || digits.charAt(0) != '+') {
      throw ApiException.invalid(
          field + " must start with + and the country code, e.g. +447700900123.");
    }
    if (digits.length() < 8 || digits.length() > 16 || digits.charAt(1) == '0') {
      throw ApiException.invalid(field + " is not a valid phone number.");
    }
    String candidate = digits.toString();
    for (String prefix : fictionalPrefixes) {
      if (candidate.startsWith(prefix) && candidate.length() >= 12 && candidate.length() <= 14) {
        return new Parsed(candidate, regionOf(candidate));
      }
    }
    PhoneNumber number;
    try {
      number = UTIL.parse(candidate, null);
    } catch (NumberParseException e) {
      throw ApiException.invalid(field + " is not a valid phone number.");
    }
    String region = UTIL.getRegionCodeForNumber(number);
    if (region == null || "001".equals(region) || !UTIL.isValidNumber(number)) {
      throw ApiException.invalid(field + " is not a valid phone number.");
    }
    if (!SMS_CAPABLE.contains(UTIL.getNumberType(number))) {
      throw ApiException.invalid(field + " cannot receive SMS codes (not a mobile number).");
    }
    return new Parsed(UTIL.format(number, PhoneNumberFormat.E164), region);
  }

  /** Masks all but the country code and the last four digits: {@code +44******0123}. */
  public static String mask(String e164) {
    if (e164 == null || e164.length() < 8) {
      return "****";
    }
    int countryDigits = countryCodeLength(e164);
    int keepEnd = 4;
    StringBuilder masked = new StringBuilder(e164.length());
    masked.append(e164, 0, 1 + countryDigits);
    for (int i = 1 + countryDigits; i < e164.length() - keepEnd; i++) {
      masked.append('*');
    }
    masked.append(e164, e164.length() - keepEnd, e164.length());
    return masked.toString();
  }

  private static String regionOf(String e164) {
    try {
      String region = UTIL.getRegionCodeForCountryCode(UTIL.parse(e164, null).getCountryCode());
      return region == null ? "ZZ" : region;
    } catch (NumberParseException e) {
      return "ZZ";
    }
  }

  private static int countryCodeLength(String e164) {
    try {
      return String.valueOf(UTIL.parse(e164, null).getCountryCode()).length();
    } catch (NumberParseException e) {
      return 1;
    }
  }
}
