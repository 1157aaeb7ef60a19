package dev.signet.sms.routing;

/**
 * One route: a provider's API and the sender messages on it come from, with its share of the
 * first-choice traffic of its rule.
 *
 * @param kind provider and API
 * @param sender sender id or number; null uses the dispatcher's configured sender for the provider
 * @param weight share of first-choice traffic; 0 = only a fallback
 */
public record Route(RouteKind kind, String sender, int weight) {

  public Route {
    sender = sender == null || sender.isBlank() ? null : sender.trim();
    weight = Math.max(0, weight);
  }

  public String id() {
    return kind.id();
  }
}
