package dev.signet.challenge.phone;

/**
 * A phone number in normalised E.164 ({@code +447700900123}) with its ISO 3166-1 alpha-2 region
 * ({@code GB}; {@code ZZ} or null when none applies). Built by {@link PhoneNumbers}, which decides
 * what is accepted; {@link #toString()} is masked so a number never reaches a log by accident.
 */
public record PhoneNumber(String e164, String region) {

  /** All but the country code and the last four digits masked: {@code +44******0123}. */
  public String masked() {
    return PhoneNumbers.mask(e164);
  }

  @Override
  public String toString() {
    return masked();
  }
}
