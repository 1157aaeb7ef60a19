package dev.signet.sms.guard;

import dev.signet.events.policy.RouteEntry;
import dev.signet.events.policy.RoutingRule;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RouteKind;
import dev.signet.sms.routing.RoutingTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing rules of a published send policy as a routing table. rules-service validates them; a
 * route this dispatcher does not know (a newer provider) is left out with a warning, and a rule
 * left without routes falls back to the default routes.
 */
final class RoutingRules {

  private static final Logger log = LoggerFactory.getLogger(RoutingRules.class);

  private RoutingRules() {}

  static RoutingTable of(SendPolicyUpdated event) {
    List<dev.signet.sms.routing.RoutingRule> rules = new ArrayList<>();
    for (RoutingRule rule : event.getRouting()) {
      Channel channel =
          "WHATSAPP".equalsIgnoreCase(rule.getChannel()) ? Channel.WHATSAPP : Channel.SMS;
      List<Route> routes = new ArrayList<>();
      for (RouteEntry entry : rule.getRoutes()) {
        Optional<RouteKind> kind = RouteKind.of(entry.getProvider(), entry.getApi());
        if (kind.isEmpty() || kind.get().channel() != channel) {
          log.warn(
              "routing rule country={} channel={} names a route this dispatcher cannot use"
                  + " provider={} api={}, left out",
              rule.getCountry(),
              channel,
              entry.getProvider(),
              entry.getApi());
          continue;
        }
        routes.add(new Route(kind.get(), entry.getSender(), entry.getWeight()));
      }
      rules.add(
          new dev.signet.sms.routing.RoutingRule(
              rule.getCountry().trim().toUpperCase(Locale.ROOT), channel, routes));
    }
    return new RoutingTable(event.getVersion(), rules);
  }
}
