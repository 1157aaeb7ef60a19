package dev.signet.audit.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of audit-service ({@code signet.audit.*}).
 *
 * @param managementSecret secret of the query API ({@code SIGNET_MANAGEMENT_SECRET}), sent as a
 *     Bearer token or as the Basic user name
 * @param phoneHashKey key of the HMAC under which phone numbers are stored for look-ups ({@code
 *     SIGNET_AUDIT_PHONE_HASH_KEY}); when empty, a key derived from the management secret
 * @param retention how long activities, challenge and action views are kept ({@code
 *     SIGNET_AUDIT_RETENTION}, default 30 days); events older than this are not recorded
 * @param aggregateRetention how long hourly and daily aggregates are kept (default 400 days)
 * @param retentionInterval how often the retention sweep runs
 * @param aggregateInterval how often dirty hourly aggregates are recomputed
 * @param dailyAggregateInterval at most how often a dirty daily aggregate is recomputed
 * @param publishInterval how often the outbox of the audit topic is drained
 * @param publishEnabled whether activities are published to {@code auth.audit.activity.v1}
 * @param lagInterval how often consumer lag is read from the broker
 * @param consumerConcurrency listener threads of the view builder (partitions are shared among
 *     them); at least 1
 * @param testing end-to-end test settings, refused under the production profile
 */
@ConfigurationProperties("signet.audit")
public record AuditProperties(
    String managementSecret,
    String phoneHashKey,
    @DefaultValue("30d") Duration retention,
    @DefaultValue("400d") Duration aggregateRetention,
    @DefaultValue("10m") Duration retentionInterval,
    @DefaultValue("2s") Duration aggregateInterval,
    @DefaultValue("30s") Duration dailyAggregateInterval,
    @DefaultValue("200ms") Duration publishInterval,
    @DefaultValue("true") boolean publishEnabled,
    @DefaultValue("5s") Duration lagInterval,
    @DefaultValue("1") int consumerConcurrency,
    @DefaultValue Testing testing,
    String traceUrl) {

  /**
   * Each number has one meaning: every duration and the concurrency must be positive (no 0 that
   * means "off" or "unlimited"); publishing is switched off with {@code publish-enabled=false}.
   */
  public AuditProperties {
    if (consumerConcurrency < 1) {
      throw new IllegalArgumentException("signet.audit.consumer-concurrency must be at least 1");
    }
    for (Duration d :
        new Duration[] {
          retention,
          aggregateRetention,
          retentionInterval,
          aggregateInterval,
          dailyAggregateInterval,
          publishInterval,
          lagInterval
        }) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every signet.audit duration must be positive");
      }
    }
  }

  /**
   * End-to-end test settings ({@code signet.audit.testing.*}).
   *
   * @param clockOffsetFile a file holding an ISO-8601 duration the clock is moved by; empty: the
   *     system clock
   */
  public record Testing(@DefaultValue("") String clockOffsetFile) {

    public boolean movesClock() {
      return clockOffsetFile != null && !clockOffsetFile.isBlank();
    }
  }
}
