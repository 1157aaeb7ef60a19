package dev.signet.rules.policy;

import java.util.List;

/**
 * The routes SMS-dispatcher tries for one destination region ({@code *}: every region without a
 * rule of its own) and channel, in failover order.
 *
 * @param country ISO 3166-1 alpha-2 region, or {@code *}
 * @param channel {@code SMS} or {@code WHATSAPP}
 * @param routes one to five routes, each provider and API at most once
 */
public record RoutingRule(String country, String channel, List<Route> routes) {

  public RoutingRule {
    routes = List.copyOf(routes);
  }

  /**
   * One route.
   *
   * @param provider {@code vonage} or {@code twilio}
   * @param api {@code sms}, {@code messages}, {@code whatsapp} (Vonage) or {@code messaging}
   *     (Twilio)
   * @param sender sender id or number; null: the dispatcher's configured sender
   * @param weight share (0-100) of first-choice traffic; 0 only a fallback
   */
  public record Route(String provider, String api, String sender, int weight) {}
}
