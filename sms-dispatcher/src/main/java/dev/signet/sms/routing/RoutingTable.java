package dev.signet.sms.routing;

import dev.signet.sms.domain.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The routing rules in force and how one attempt's routes are ordered. Without a rule for the
 * destination's region and channel (nor a {@code *} rule for the channel) an SMS goes through the
 * Vonage SMS API and a WhatsApp message through the Vonage Messages API, as before routes existed.
 */
public record RoutingTable(long version, List<RoutingRule> rules) {

  public static final RoutingTable DEFAULT = new RoutingTable(0, List.of());

  public RoutingTable {
    rules = List.copyOf(rules);
  }

  /** The routes of a destination in their configured order. */
  public List<Route> routesFor(String country, Channel channel) {
    String region = country == null ? "" : country.toUpperCase(Locale.ROOT);
    RoutingRule any = null;
    for (RoutingRule rule : rules) {
      if (rule.channel() != channel || rule.routes().isEmpty()) {
        continue;
      }
      if (rule.country().equals(region)) {
        return rule.routes();
      }
      if (RoutingRule.ANY_COUNTRY.equals(rule.country())) {
        any = rule;
      }
    }
    if (any != null) {
      return any.routes();
    }
    RouteKind kind = channel == Channel.WHATSAPP ? RouteKind.VONAGE_WHATSAPP : RouteKind.VONAGE_SMS;
    return List.of(new Route(kind, null, 100));
  }

  /**
   * The order one attempt tries its routes in: the first choice drawn among the routes with a
   * weight, in proportion to it (the first route when none has one), then every other route in the
   * configured order.
   */
  public List<Route> plan(String country, Channel channel, RandomGenerator random) {
    List<Route> routes = routesFor(country, channel);
    int total = routes.stream().mapToInt(Route::weight).sum();
    int first = 0;
    if (total > 0) {
      int draw = random.nextInt(total);
      for (int i = 0; i < routes.size(); i++) {
        draw -= routes.get(i).weight();
        if (draw < 0) {
          first = i;
          break;
        }
      }
    }
    List<Route> plan = new ArrayList<>(routes.size());
    plan.add(routes.get(first));
    for (int i = 0; i < routes.size(); i++) {
      if (i != first) {
        plan.add(routes.get(i));
      }
    }
    return List.copyOf(plan);
  }
}
