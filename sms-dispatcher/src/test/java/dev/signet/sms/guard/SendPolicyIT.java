package dev.signet.sms.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.Topics;
import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.policy.VelocityLimit;
import dev.signet.events.sms.SmsBlockReason;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.sms.it.DispatcherItSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The send policy read from the compacted policy topic on the real broker: a published version
 * replaces the configured guard settings, an older one never replaces a newer one, blocked prefixes
 * and regions are refused with a blocked event that names the policy version, shadow mode sends and
 * reports, and deleting the policy brings the configured settings back.
 */
class SendPolicyIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired SendPolicies policies;

  @Test
  void thePublishedPolicyIsEnforcedVersionByVersionUntilItIsDeleted() {
    try {
      // Given the configured policy (allowlist GB ES JP FR DE), a DE number is sent.
      String before = newChallengeId();
      publish(requested(before, 1, "+4915112345670", "101010").setCountryCode("DE").build());
      await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, before).size() == 1);

      // When rules-service publishes version 10: GB only, one prefix blocked for an hour.
      Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
      publishEvent(
          Topics.SEND_POLICY.name(),
          "global",
          policy(10, false, List.of("GB"))
              .setBlockedPrefixes(
                  List.of(new BlockedDestination("+4477009888", "prefix_velocity", inAnHour)))
              .build());
      await().atMost(WAIT).until(() -> Long.valueOf(10).equals(policies.current().version()));
      // and an older version arrives late, it is ignored.
      publishEvent(Topics.SEND_POLICY.name(), "global", policy(9, false, List.of("DE")).build());

      // Then a DE number is blocked by version 10, a GB number in the blocked prefix too,
      // and another GB number is sent.
      String germany = newChallengeId();
      String blockedPrefix = newChallengeId();
      String britain = newChallengeId();
      publish(requested(germany, 1, "+4915112345671", "202020").setCountryCode("DE").build());
      publish(requested(blockedPrefix, 1, "+447700988812", "303030").build());
      publish(requested(britain, 1, freshPhoneNumber(), "404040").build());

      await().atMost(WAIT).until(() -> events().records(SmsBlocked.class, germany).size() == 1);
      SmsBlocked country = events().records(SmsBlocked.class, germany).get(0);
      assertThat(country.getReason()).isEqualTo(SmsBlockReason.COUNTRY_NOT_ALLOWED);
      assertThat(country.getPolicyVersion()).isEqualTo(10L);
      assertThat(country.getShadow()).isFalse();
      await()
          .atMost(WAIT)
          .until(() -> events().records(SmsBlocked.class, blockedPrefix).size() == 1);
      SmsBlocked prefix = events().records(SmsBlocked.class, blockedPrefix).get(0);
      assertThat(prefix.getReason()).isEqualTo(SmsBlockReason.PREFIX_BLOCKED);
      assertThat(prefix.getDetail()).contains("+4477009888").contains("prefix_velocity");
      await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, britain).size() == 1);
      assertThat(VONAGE.callsFor(germany, 1)).isEmpty();
      assertThat(VONAGE.callsFor(blockedPrefix, 1)).isEmpty();
      assertThat(policies.current().version()).isEqualTo(10L);

      // When version 11 turns on shadow mode, a DE number is reported and sent.
      publishEvent(Topics.SEND_POLICY.name(), "global", policy(11, true, List.of("GB")).build());
      await().atMost(WAIT).until(() -> Long.valueOf(11).equals(policies.current().version()));
      String shadow = newChallengeId();
      publish(requested(shadow, 1, "+4915112345672", "505050").setCountryCode("DE").build());
      await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, shadow).size() == 1);
      assertThat(events().records(SmsBlocked.class, shadow))
          .singleElement()
          .satisfies(
              b -> {
                assertThat(b.getShadow()).isTrue();
                assertThat(b.getPolicyVersion()).isEqualTo(11L);
              });
      assertThat(VONAGE.callsFor(shadow, 1)).hasSize(1);
    } finally {
      // A tombstone deletes the policy: the configured settings are in force again.
      publishEvent(Topics.SEND_POLICY.name(), "global", null);
      await().atMost(WAIT).until(() -> policies.current().version() == null);
    }
    String after = newChallengeId();
    publish(requested(after, 1, "+4915112345673", "606060").setCountryCode("DE").build());
    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, after).size() == 1);
    assertThat(events().records(SmsBlocked.class, after)).isEmpty();
  }

  @Test
  void everyInstanceReadsThePolicyTopicInAGroupOfItsOwn() {
    SendPolicies another =
        new SendPolicies(new GuardProperties(List.of(), false, null, null, null, 0L));

    assertThat(policies.consumerGroup()).startsWith("sms-dispatcher-policy-");
    assertThat(another.consumerGroup()).isNotEqualTo(policies.consumerGroup());
  }

  private static SendPolicyUpdated.Builder policy(
      long version, boolean shadow, List<String> regions) {
    VelocityLimit off = new VelocityLimit(0, 0);
    return SendPolicyUpdated.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("policy-it")
        .setPolicyId("global")
        .setVersion(version)
        .setAllowedCountries(List.copyOf(regions))
        .setShadowMode(shadow)
        .setPerNumber(off)
        .setPerPrefix(off)
        .setPerCountry(off)
        .setDailyGlobalBudget(null)
        .setBlockedPrefixes(List.of())
        .setBlockedCountries(List.of())
        .setUpdatedBy("SendPolicyIT");
  }
}
