package dev.signet.sms.guard;

import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.policy.VelocityLimit;
import dev.signet.sms.routing.RoutingTables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the send policy from the compacted {@code auth.policy.send-policy.v1} (published by
 * rules-service). Each instance has its own consumer group starting at the earliest offset, so
 * every instance sees every record and rebuilds the policy in force at each start. Only the
 * platform-wide policy ({@code policyId} {@code global}) is enforced here; its routing rules become
 * the routing table in force.
 */
@Component
class SendPolicyListener {

  static final String GLOBAL = "global";
  private static final Logger log = LoggerFactory.getLogger(SendPolicyListener.class);

  private final SendPolicies policies;
  private final RoutingTables routing;

  SendPolicyListener(SendPolicies policies, RoutingTables routing) {
    this.policies = policies;
    this.routing = routing;
  }

  @KafkaListener(
      id = "send-policy",
      idIsGroup = false,
      groupId = "#{@sendPolicies.consumerGroup()}",
      topics = "#{T(dev.signet.events.Topics).SEND_POLICY.name()}",
      concurrency = "1",
      properties = {"auto.offset.reset=earliest"})
  void onPolicy(ConsumerRecord<String, SendPolicyUpdated> record) {
    SendPolicyUpdated event = record.value();
    String policyId =
        event != null && !event.getPolicyId().isEmpty() ? event.getPolicyId() : record.key();
    if (policyId != null && !policyId.isEmpty() && !GLOBAL.equals(policyId)) {
      log.info("send policy {} is not the platform-wide one, not enforced", policyId);
      return;
    }
    if (event == null) {
      policies.revertToConfigured();
      routing.revertToDefault();
      return;
    }
    policies.apply(toPolicy(event));
    routing.apply(RoutingRules.of(event));
  }

  static SendPolicy toPolicy(SendPolicyUpdated event) {
    Long budget = event.getDailyGlobalBudget();
    return new SendPolicy(
        event.getVersion(),
        List.copyOf(event.getAllowedCountries()),
        event.getShadowMode(),
        velocity(event.getPerNumber()),
        velocity(event.getPerPrefix()),
        velocity(event.getPerCountry()),
        budget == null ? 0 : Math.max(0, budget),
        event.getBlockedPrefixes().stream().map(d -> blocked(d, false)).toList(),
        event.getBlockedCountries().stream().map(d -> blocked(d, true)).toList());
  }

  private static SendPolicy.Velocity velocity(VelocityLimit limit) {
    return limit == null
        ? null
        : new SendPolicy.Velocity(
            limit.getMaxCount(), Duration.ofSeconds(limit.getWindowSeconds()));
  }

  private static SendPolicy.BlockedDestination blocked(BlockedDestination d, boolean region) {
    String value = d.getValue().trim();
    if (region) {
      value = value.toUpperCase(Locale.ROOT);
    } else if (!value.startsWith("+")) {
      value = "+" + value;
    }
    Instant until = d.getUntil();
    return new SendPolicy.BlockedDestination(
        value, d.getReason(), until == null || until.toEpochMilli() == 0 ? null : until);
  }
}
