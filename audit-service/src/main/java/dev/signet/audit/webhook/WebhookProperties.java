package dev.signet.audit.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the signed webhooks ({@code signet.webhooks.*}); the limits and why they are what
 * they are: docs/limits.md.
 *
 * @param enabled whether the audit topic feeds webhooks and the dispatcher sends them
 * @param signingSecret the key deliveries are signed with: the server API secret ({@code
 *     SIGNET_API_SECRET}), which is what Authsignal's SDKs verify with
 * @param tenantId the {@code tenantId} of every event
 * @param source the {@code source} of every event
 * @param consumerGroup the Kafka consumer group reading the audit topic for webhooks
 * @param maxEndpoints how many endpoints may be registered
 * @param maxPayloadBytes the largest event body sent; a larger one is marked failed at once
 * @param dispatchInterval how often due deliveries are looked for
 * @param concurrencyPerEndpoint deliveries in flight at once per endpoint
 * @param connectTimeout how long a connection to an endpoint may take
 * @param responseTimeout how long an endpoint may take to answer once connected
 * @param lease how long a claimed delivery is reserved for the instance that claimed it
 * @param initialBackoff the delay after the first failed attempt (doubling from there)
 * @param maxBackoff the longest delay between two attempts
 * @param retryWindow how long a delivery is retried before it is marked failed
 * @param deliveryRetention how long the delivery log is kept
 * @param allowPrivateAddresses development only: {@code true} accepts {@code http} URLs and
 *     loopback or private addresses (refused under the production profile)
 */
@ConfigurationProperties("signet.webhooks")
public record WebhookProperties(
    @DefaultValue("true") boolean enabled,
    String signingSecret,
    @DefaultValue("signet") String tenantId,
    @DefaultValue("signet") String source,
    @DefaultValue("audit-service-webhooks") String consumerGroup,
    @DefaultValue("20") int maxEndpoints,
    @DefaultValue("65536") int maxPayloadBytes,
    @DefaultValue("500ms") Duration dispatchInterval,
    @DefaultValue("4") int concurrencyPerEndpoint,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("10s") Duration responseTimeout,
    @DefaultValue("60s") Duration lease,
    @DefaultValue("10s") Duration initialBackoff,
    @DefaultValue("1h") Duration maxBackoff,
    @DefaultValue("24h") Duration retryWindow,
    @DefaultValue("30d") Duration deliveryRetention,
    String allowPrivateAddresses) {

  /**
   * Each number has one meaning: {@code max-endpoints} 0 lets no endpoint be registered; the sizes,
   * the concurrency and every interval and timeout must be positive (no 0 that means "off" or
   * "unlimited"); webhooks are switched off with {@code enabled=false}.
   */
  public WebhookProperties {
    require(maxEndpoints >= 0, "max-endpoints must be 0 or more");
    require(maxPayloadBytes > 0, "max-payload-bytes must be positive");
    require(concurrencyPerEndpoint > 0, "concurrency-per-endpoint must be positive");
    for (Duration d :
        new Duration[] {
          dispatchInterval,
          connectTimeout,
          responseTimeout,
          lease,
          initialBackoff,
          maxBackoff,
          retryWindow,
          deliveryRetention
        }) {
      require(
          d != null && !d.isNegative() && !d.isZero(),
          "every webhook interval and timeout must be positive");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("signet.webhooks." + message);
    }
  }

  /** The development override, on only when set to {@code true}. */
  public boolean privateAddressesAllowed() {
    return "true"
        .equalsIgnoreCase(allowPrivateAddresses == null ? "" : allowPrivateAddresses.strip());
  }

  public boolean canSign() {
    return signingSecret != null && !signingSecret.isBlank();
  }
}
