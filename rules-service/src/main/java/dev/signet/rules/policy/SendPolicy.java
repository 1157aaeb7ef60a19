package dev.signet.rules.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SMS send policy in force: what operators configure ({@link Settings}) plus the destinations
 * blocked by the pumping guard or by an operator. Every change makes a new, higher {@code version};
 * consumers keep the highest version they have seen. Immutable: changes return a new policy.
 *
 * @param policyId the policy's id and record key ({@code global})
 * @param version monotonically increasing with every change
 * @param settings what operators configure
 * @param blockedPrefixes prefixes (E.164 without the last four digits) refused until their block
 *     lifts
 * @param blockedCountries ISO 3166-1 alpha-2 regions refused until their block lifts
 * @param lifts destinations an operator lifted, with when: the automatic guard counts only traffic
 *     after a lift, so a lifted destination is not blocked again by the very burst that was
 *     reviewed
 * @param routing the routing rules sms-dispatcher sends by; empty: its default routes
 * @param updatedBy who made the change ({@code rules-service} for automatic blocks)
 * @param updatedAt when this version took effect
 * @param correlationId id of the request or event that caused this version
 */
public record SendPolicy(
    String policyId,
    long version,
    Settings settings,
    List<Block> blockedPrefixes,
    List<Block> blockedCountries,
    List<Lift> lifts,
    List<RoutingRule> routing,
    String updatedBy,
    Instant updatedAt,
    String correlationId) {

  public static final String GLOBAL = "global";
  public static final String AUTOMATIC = "rules-service";

  public SendPolicy {
    blockedPrefixes = List.copyOf(blockedPrefixes);
    blockedCountries = List.copyOf(blockedCountries);
    lifts = List.copyOf(lifts);
    routing = List.copyOf(routing);
  }

  /** Kinds of blockable destination. */
  public enum Kind {
    PREFIX,
    COUNTRY
  }

  /**
   * What operators configure.
   *
   * @param allowedCountries regions SMS may go to (sorted); empty allows none
   * @param shadowMode limits are evaluated and reported, nothing is refused or blocked
   * @param perNumber sends per destination number (enforced by sms-dispatcher)
   * @param perPrefix sends per prefix; over it, the prefix is blocked
   * @param perCountry sends per region; over it, the region is blocked
   * @param dailyGlobalBudget sends per UTC day for the platform (enforced by sms-dispatcher); null
   *     is unlimited
   * @param minConversionRate verified / sent per region below which the region is blocked; 0
   *     disables the breaker
   * @param conversionMinVolume sends in the window before the breaker may trip
   * @param conversionWindow sliding window of the breaker
   * @param autoBlockDuration how long an automatic block lasts
   */
  public record Settings(
      List<String> allowedCountries,
      boolean shadowMode,
      Velocity perNumber,
      Velocity perPrefix,
      Velocity perCountry,
      Long dailyGlobalBudget,
      double minConversionRate,
      int conversionMinVolume,
      Duration conversionWindow,
      Duration autoBlockDuration) {

    public Settings {
      allowedCountries = allowedCountries.stream().distinct().sorted().toList();
    }

    /** Whether the conversion breaker is on. */
    public boolean conversionBreakerOn() {
      return minConversionRate > 0 && !conversionWindow.isZero();
    }
  }

  /** At most {@code maxCount} sends per {@code window}; {@code maxCount} 0 is off. */
  public record Velocity(int maxCount, Duration window) {
    public static final Velocity OFF = new Velocity(0, Duration.ofMinutes(10));

    public boolean on() {
      return maxCount > 0 && !window.isZero();
    }
  }

  /**
   * A blocked destination.
   *
   * @param value the prefix or the region
   * @param reason why, e.g. {@code prefix_velocity}, {@code conversion_low}, {@code operator}
   * @param until when the block lifts; null until an operator lifts it
   * @param at when it was blocked
   */
  public record Block(String value, String reason, Instant until, Instant at) {
    public boolean activeAt(Instant now) {
      return until == null || until.isAfter(now);
    }
  }

  /** An operator lifted a block of {@code value} at {@code at}. */
  public record Lift(Kind kind, String value, Instant at) {}

  public List<Block> blocks(Kind kind) {
    return kind == Kind.PREFIX ? blockedPrefixes : blockedCountries;
  }

  /** The active block of this destination, if any. */
  public Optional<Block> activeBlock(Kind kind, String value, Instant now) {
    return blocks(kind).stream()
        .filter(b -> b.value().equals(value) && b.activeAt(now))
        .findFirst();
  }

  /** When an operator last lifted this destination, if ever. */
  public Optional<Instant> liftedAt(Kind kind, String value) {
    return lifts.stream()
        .filter(l -> l.kind() == kind && l.value().equals(value))
        .map(Lift::at)
        .max(Instant::compareTo);
  }

  /** The next version with new settings; blocks stay, expired ones are dropped. */
  public SendPolicy withSettings(Settings next, String by, Instant now, String correlationId) {
    return new SendPolicy(
        policyId,
        version + 1,
        next,
        active(blockedPrefixes, now),
        active(blockedCountries, now),
        recentLifts(now),
        routing,
        by,
        now,
        correlationId);
  }

  /** The next version with this destination blocked (replacing an earlier block of it). */
  public SendPolicy withBlock(
      Kind kind, Block block, String by, Instant now, String correlationId) {
    List<Block> prefixes = active(blockedPrefixes, now);
    List<Block> countries = active(blockedCountries, now);
    List<Block> target = kind == Kind.PREFIX ? prefixes : countries;
    target.removeIf(b -> b.value().equals(block.value()));
    target.add(block);
    return new SendPolicy(
        policyId,
        version + 1,
        settings,
        prefixes,
        countries,
        recentLifts(now),
        routing,
        by,
        now,
        correlationId);
  }

  /** The next version without any block of this destination, remembering the lift. */
  public SendPolicy withLift(
      Kind kind, String value, String by, Instant now, String correlationId) {
    List<Block> prefixes = active(blockedPrefixes, now);
    List<Block> countries = active(blockedCountries, now);
    (kind == Kind.PREFIX ? prefixes : countries).removeIf(b -> b.value().equals(value));
    List<Lift> nextLifts = recentLifts(now);
    nextLifts.removeIf(l -> l.kind() == kind && l.value().equals(value));
    nextLifts.add(new Lift(kind, value, now));
    return new SendPolicy(
        policyId,
        version + 1,
        settings,
        prefixes,
        countries,
        nextLifts,
        routing,
        by,
        now,
        correlationId);
  }

  /** The next version with these routing rules (replacing every earlier rule). */
  public SendPolicy withRouting(
      List<RoutingRule> rules, String by, Instant now, String correlationId) {
    return new SendPolicy(
        policyId,
        version + 1,
        settings,
        active(blockedPrefixes, now),
        active(blockedCountries, now),
        recentLifts(now),
        rules,
        by,
        now,
        correlationId);
  }

  private static List<Block> active(List<Block> blocks, Instant now) {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (b.activeAt(now)) {
        out.add(b);
      }
    }
    return out;
  }

  /** Lifts matter only while their traffic is inside a window (30 days at most). */
  private List<Lift> recentLifts(Instant now) {
    List<Lift> out = new ArrayList<>();
    for (Lift l : lifts) {
      if (l.at().isAfter(now.minus(Duration.ofDays(31)))) {
        out.add(l);
      }
    }
    return out;
  }
}
