package dev.signet.audit.view;

import java.util.List;

/**
 * The lattices that make the per-challenge view independent of event order: a challenge's outcome
 * and delivery only move up their rank, so an older event arriving late never undoes a newer one.
 */
public final class ChallengeRanks {

  /** Outcome of a challenge, by rank: a verified challenge that later expires stays VERIFIED. */
  public static final List<String> OUTCOMES =
      List.of("PENDING", "EXPIRED", "FAILED", "VERIFIED", "CLAIMED");

  /** Delivery of a challenge's SMS, by rank: one delivered send makes the challenge DELIVERED. */
  public static final List<String> DELIVERIES =
      List.of("NONE", "BLOCKED", "FAILED", "SENT", "DELIVERED");

  private ChallengeRanks() {}

  static int outcome(String name) {
    return OUTCOMES.indexOf(name);
  }

  static int delivery(String name) {
    return DELIVERIES.indexOf(name);
  }
}
