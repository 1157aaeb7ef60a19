package dev.signet.sms.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of routing and failover under {@code signet.sms.routing}.
 *
 * @param maxProviderTries route tries one attempt may make in all (a provider call, or a route
 *     skipped because its circuit is open), so an attempt whose every route fails ends instead of
 *     calling on until its deadline; at least 1
 * @param halfOpenCalls trial calls a route's circuit lets through after {@code circuit-open-for}
 *     (the share of traffic that probes a recovering route); at least 1
 */
@ConfigurationProperties("signet.sms.routing")
public record RoutingProperties(Integer maxProviderTries, Integer halfOpenCalls) {

  public RoutingProperties {
    maxProviderTries = maxProviderTries == null ? 8 : maxProviderTries;
    halfOpenCalls = halfOpenCalls == null ? 2 : halfOpenCalls;
    if (maxProviderTries < 1 || halfOpenCalls < 1) {
      throw new IllegalArgumentException(
          "signet.sms.routing.max-provider-tries and half-open-calls must be at least 1");
    }
  }
}
