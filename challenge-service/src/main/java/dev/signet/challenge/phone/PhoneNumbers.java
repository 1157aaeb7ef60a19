package dev.signet.challenge.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import dev.signet.challenge.outcome.Checked;
import dev.signet.challenge.outcome.Refusal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Phone numbers from API input, by what they are for. A number a code is sent to ({@link #parse},
 * {@link #sendable}) must be valid and SMS-capable; a number verified elsewhere ({@link #possible})
 * must be a possible E.164 number; a user's phone attribute ({@link #profile}) is profile data,
 * normalised when it parses and kept as given otherwise.
 *
 * <p>Parsing into E.164 is deterministic or not at all. Only ASCII digits with a leading {@code +}
 * and the usual separators (space, hyphen, dot, parentheses) are accepted; anything else (national
 * format, letters, {@code tel:} URIs, extensions, Unicode digits, fullwidth plus, invisible or
 * bidirectional marks, control characters) is refused rather than guessed at, because a guessed
 * number is an SMS to a stranger. Numbers that cannot receive an SMS code (premium-rate,
 * shared-cost, universal access, international freephone and network ranges, unassigned ranges) are
 * refused too: they are where SMS pumping fraud lives.
 *
 * <p>Each rule has a {@code check} form that returns the outcome as a value ({@link Checked}); the
 * short forms ({@link #parse}, {@link #possible}, ...) raise the refusal for the web layer to
 * answer with the documented {@code invalid_request} body.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Set<PhoneNumberType> SMS_CAPABLE =
      EnumSet.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);
  private static final int MAX_INPUT_LENGTH = 32;
  private static final int MAX_PROFILE_LENGTH = 64;
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

  /**
   * Parses a number a code is about to be sent to, strictly: a valid, SMS-capable E.164 number (or
   * one of the configured fictional ranges), else an {@code invalid_request} refusal naming the
   * field.
   */
  public static PhoneNumber parse(String raw) {
    return parse(raw, "phoneNumber");
  }

  public static PhoneNumber parse(String raw, String field) {
    return check(raw, field).orElseThrow();
  }

  /** As {@link #parse(String, String)}, the outcome as a value. */
  public static Checked<PhoneNumber> check(String raw, String field) {
    return parsed(
        raw,
        field,
        " is not a valid phone number.",
        (number, candidate) -> {
          String region = UTIL.getRegionCodeForNumber(number);
          if (region == null || "001".equals(region) || !UTIL.isValidNumber(number)) {
            return Checked.invalid(field + " is not a valid phone number.");
          }
          if (!SMS_CAPABLE.contains(UTIL.getNumberType(number))) {
            return Checked.invalid(field + " cannot receive SMS codes (not a mobile number).");
          }
          return Checked.accepted(
              new PhoneNumber(UTIL.format(number, PhoneNumberFormat.E164), region));
        });
  }

  /**
   * The shared steps of every rule: the strict E.164 spelling, a configured fictional range taken
   * as it is, else libphonenumber's parse ({@code unparseable} appended to the field name when it
   * fails) handed to {@code rule}.
   */
  private static Checked<PhoneNumber> parsed(
      String raw,
      String field,
      String unparseable,
      BiFunction<com.google.i18n.phonenumbers.Phonenumber.PhoneNumber, String, Checked<PhoneNumber>>
          rule) {
    Checked<String> shape = e164Shape(raw, field);
    if (!(shape instanceof Checked.Accepted<String> accepted)) {
      return shape.map(s -> null);
    }
    String candidate = accepted.value();
    if (fictional(candidate)) {
      return Checked.accepted(new PhoneNumber(candidate, regionOf(candidate)));
    }
    try {
      return rule.apply(UTIL.parse(candidate, null), candidate);
    } catch (NumberParseException e) {
      return Checked.invalid(field + unparseable);
    }
  }

  /**
   * Checks a stored number right before a code is sent to it. Numbers verified elsewhere are stored
   * when they are merely possible ({@link #possible}); this is where one that cannot receive a code
   * is refused, with the documented {@code invalid_request}, instead of being sent to.
   */
  public static PhoneNumber sendable(String storedE164, String what) {
    Checked<PhoneNumber> checked = check(storedE164, what);
    if (checked.isAccepted()) {
      return checked.orElseThrow();
    }
    throw Refusal.invalid(
            what
                + " "
                + mask(storedE164)
                + " cannot receive SMS codes (not a valid mobile number).")
        .asError();
  }

  /**
   * Parses a number the caller has verified itself (an authenticator enrolled through the server
   * API): any <em>possible</em> E.164 number, as Authsignal accepts it, in the same strict spelling
   * as {@link #parse} (a leading {@code +}, ASCII digits and separators). Nothing is sent to it
   * here; {@link #sendable} decides when a code is about to be.
   */
  public static PhoneNumber possible(String raw, String field) {
    return checkPossible(raw, field).orElseThrow();
  }

  /** As {@link #possible}, the outcome as a value. */
  public static Checked<PhoneNumber> checkPossible(String raw, String field) {
    return parsed(
        raw,
        field,
        " is not a possible E.164 phone number.",
        (number, candidate) ->
            UTIL.isPossibleNumber(number)
                ? Checked.accepted(
                    new PhoneNumber(
                        UTIL.format(number, PhoneNumberFormat.E164), regionOf(candidate)))
                : Checked.invalid(field + " is not a possible E.164 phone number."));
  }

  /**
   * A user's {@code phoneNumber} attribute, which is profile data: normalised to E.164 when it is a
   * possible E.164 number, otherwise stored as given (e.g. {@code 9876543210}). Only its length and
   * its characters are checked (no control or invisible characters); no code is ever sent to it.
   *
   * @return the value to store and, when it parsed, the parsed number
   */
  public static Profile profile(String raw, String field) {
    if (raw == null || raw.isEmpty()) {
      throw Refusal.invalid(field + " must be a non-empty string or null.").asError();
    }
    if (raw.length() > MAX_PROFILE_LENGTH) {
      throw Refusal.invalid(field + " is too long for a phone number.").asError();
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT) {
        throw Refusal.invalid(field + " must not contain control or invisible characters.")
            .asError();
      }
    }
    Checked<PhoneNumber> possible = checkPossible(raw, field);
    if (possible instanceof Checked.Accepted<PhoneNumber> parsed) {
      return new Profile(parsed.value().e164(), parsed.value());
    }
    return new Profile(raw, null);
  }

  /** A {@code phoneNumber} attribute: the stored value and the parsed number when it parsed. */
  public record Profile(String value, PhoneNumber parsed) {}

  /** The E.164 shape shared by every rule: {@code +}, country code, digits, usual separators. */
  private static Checked<String> e164Shape(String raw, String field) {
    if (raw == null || raw.isEmpty()) {
      return Checked.invalid(field + " is required.");
    }
    if (raw.length() > MAX_INPUT_LENGTH) {
      return Checked.invalid(field + " is too long for a phone number.");
    }
    StringBuilder digits = new StringBuilder(16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c == '+' && i == 0) {
        digits.append(c);
      } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
        return Checked.invalid(
            field + " must be in E.164 format (+ and digits only), e.g. +447700900123.");
      }
    }
    if (digits.length() == 0 || digits.charAt(0) != '+') {
      return Checked.invalid(
          field + " must start with + and the country code, e.g. +447700900123.");
    }
    if (digits.length() < 8 || digits.length() > 16 || digits.charAt(1) == '0') {
      return Checked.invalid(field + " is not a valid phone number.");
    }
    return Checked.accepted(digits.toString());
  }

  private static boolean fictional(String candidate) {
    for (String prefix : fictionalPrefixes) {
      if (candidate.startsWith(prefix) && candidate.length() >= 12 && candidate.length() <= 14) {
        return true;
      }
    }
    return false;
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
