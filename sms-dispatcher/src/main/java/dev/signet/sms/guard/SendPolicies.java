package dev.signet.sms.guard;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The send policy in force on this instance. It starts as the configured one and is replaced by
 * each policy read from the compacted policy topic whose version is not lower than the one held, so
 * a replayed or reordered older version never undoes a newer one. A deleted policy (tombstone)
 * brings back the configured one.
 */
@Component
public class SendPolicies {

  private static final Logger log = LoggerFactory.getLogger(SendPolicies.class);

  private final SendPolicy configured;
  private final AtomicReference<SendPolicy> current;
  private final String consumerGroup;

  SendPolicies(GuardProperties properties) {
    this.configured = SendPolicy.configured(properties);
    this.current = new AtomicReference<>(configured);
    // Every instance must read every policy record, so each has a group of its own, read from the
    // beginning of the compacted topic at each start.
    this.consumerGroup = "sms-dispatcher-policy-" + UUID.randomUUID();
  }

  public SendPolicy current() {
    return current.get();
  }

  /** The consumer group of this instance's policy listener. */
  public String consumerGroup() {
    return consumerGroup;
  }

  /** Applies a published policy unless a newer version is already in force; true if applied. */
  public boolean apply(SendPolicy policy) {
    SendPolicy before =
        current.getAndUpdate(
            held -> held.version() != null && policy.version() < held.version() ? held : policy);
    boolean applied = before.version() == null || policy.version() >= before.version();
    if (applied) {
      log.info(
          "send policy version={} applied allowedRegions={} shadow={} blockedPrefixes={}"
              + " blockedCountries={}",
          policy.version(),
          policy.allowedRegions(),
          policy.shadow(),
          policy.blockedPrefixes().size(),
          policy.blockedCountries().size());
    } else {
      log.info(
          "send policy version={} ignored, version={} is in force",
          policy.version(),
          before.version());
    }
    return applied;
  }

  /** The published policy was deleted: the configured one is in force again. */
  public void revertToConfigured() {
    current.set(configured);
    log.info("send policy deleted, the configured policy is in force again");
  }
}
