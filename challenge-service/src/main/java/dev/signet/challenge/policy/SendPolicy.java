package dev.signet.challenge.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The send policy rules-service publishes, as far as challenge-service enforces it at request time:
 * the allowed destination regions and the blocked prefixes and regions. (Velocities, the daily
 * budget and the per-number limit are counted by sms-dispatcher; this service has its own
 * per-number limits.)
 *
 * @param version the policy's version; a lower one never replaces a higher one
 * @param allowedCountries regions codes may be sent to; empty allows none
 * @param shadowMode refusals are only logged, nothing is refused
 * @param blockedPrefixes prefixes (E.164 without the last four digits) refused until their block
 *     lifts
 * @param blockedCountries regions refused until their block lifts
 */
public record SendPolicy(
    long version,
    Set<String> allowedCountries,
    boolean shadowMode,
    List<Block> blockedPrefixes,
    List<Block> blockedCountries) {

  public SendPolicy {
    allowedCountries = Set.copyOf(allowedCountries);
    blockedPrefixes = List.copyOf(blockedPrefixes);
    blockedCountries = List.copyOf(blockedCountries);
  }

  /** A blocked destination; {@code until} null: until an operator lifts it. */
  public record Block(String value, String reason, Instant until) {
    boolean activeAt(Instant now) {
      return until == null || until.isAfter(now);
    }
  }

  /** Why a destination is refused. */
  public sealed interface Refusal permits CountryNotAllowed, DestinationBlocked {}

  /** The number's region is not in the allowlist. */
  public record CountryNotAllowed(String country) implements Refusal {}

  /**
   * The number's prefix or region is blocked (pumping guard or operator).
   *
   * @param kind {@code prefix} or {@code country}
   * @param until when the block lifts; null until an operator lifts it
   */
  public record DestinationBlocked(String kind, String value, String reason, Instant until)
      implements Refusal {}

  /** Whether a code may be sent to {@code e164} in region {@code country} now. */
  public Optional<Refusal> check(String e164, String country, Instant now) {
    if (country == null || !allowedCountries.contains(country)) {
      return Optional.of(new CountryNotAllowed(country == null ? "unknown" : country));
    }
    for (Block b : blockedCountries) {
      if (b.value().equals(country) && b.activeAt(now)) {
        return Optional.of(new DestinationBlocked("country", country, b.reason(), b.until()));
      }
    }
    String prefix = prefixOf(e164);
    for (Block b : blockedPrefixes) {
      if (b.value().equals(prefix) && b.activeAt(now)) {
        return Optional.of(new DestinationBlocked("prefix", prefix, b.reason(), b.until()));
      }
    }
    return Optional.empty();
  }

  /** The number without its last four digits ({@code +447700900123} → {@code +44770090}). */
  static String prefixOf(String e164) {
    return e164 == null || e164.length() < 9 ? "" : e164.substring(0, e164.length() - 4);
  }
}
