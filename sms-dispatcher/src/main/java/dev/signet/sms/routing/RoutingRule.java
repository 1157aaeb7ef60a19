package dev.signet.sms.routing;

import dev.signet.sms.domain.Channel;
import java.util.List;

/**
 * The routes of one destination region (or {@code *}: every region without a rule of its own) and
 * channel, in failover order.
 */
public record RoutingRule(String country, Channel channel, List<Route> routes) {

  public static final String ANY_COUNTRY = "*";

  public RoutingRule {
    routes = List.copyOf(routes);
  }
}
