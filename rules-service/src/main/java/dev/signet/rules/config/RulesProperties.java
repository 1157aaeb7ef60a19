package dev.signet.rules.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of rules-service ({@code signet.rules.*}); the send policy's are in {@link
 * SendPolicyProperties}.
 *
 * @param managementSecret secret of the management API ({@code SIGNET_MANAGEMENT_SECRET}), sent as
 *     a Bearer token or as the Basic user name
 * @param decisionConcurrency consumer threads of the tracked-action listener, one per partition up
 *     to this many (default {@value #DECISION_CONCURRENCY}); 0 is refused (no thread would decide)
 */
@ConfigurationProperties("signet.rules")
public record RulesProperties(String managementSecret, Integer decisionConcurrency) {

  public static final int DECISION_CONCURRENCY = 3;

  public RulesProperties {
    decisionConcurrency = decisionConcurrency == null ? DECISION_CONCURRENCY : decisionConcurrency;
    if (decisionConcurrency < 1) {
      throw new IllegalArgumentException("signet.rules.decision-concurrency must be at least 1");
    }
  }
}
