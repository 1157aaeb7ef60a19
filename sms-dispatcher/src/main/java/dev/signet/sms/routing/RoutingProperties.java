package dev.signet.sms.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of routing and failover under {@code signet.sms.routing}.
 *
 * @param maxProviderCalls provider calls one attempt may make over all its routes, so an attempt
 *     whose every route fails ends instead of calling on until its deadline; routes skipped because
 *     their circuit is open cost no call (the attempt waits for a half-open trial until its
 *     deadline, as with one route); at least 1
 * @param halfOpenCalls trial calls a route's circuit lets through after {@code circuit-open-for}
 *     (the share of traffic that probes a recovering route); at least 1
 */
@ConfigurationProperties("signet.sms.routing")
public record RoutingProperties(Integer maxProviderCalls, Integer halfOpenCalls) {

  public RoutingProperties {
    maxProviderCalls = maxProviderCalls == null ? 8 : maxProviderCalls;
    halfOpenCalls = halfOpenCalls == null ? 2 : halfOpenCalls;
    if (maxProviderCalls < 1 || halfOpenCalls < 1) {
      throw new IllegalArgumentException(
          "signet.sms.routing.max-provider-calls and half-open-calls must be at least 1");
    }
  }
}
