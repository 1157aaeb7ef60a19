package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.guard.SendGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryMetersTest {

  private static final Instant REQUESTED = Instant.parse("2026-12-07T10:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeliveryMeters meters = new DeliveryMeters(registry);

  @Test
  void anAcceptedWhatsAppSendCountsByRouteAndCountryAndTimesRequestToSend() {
    // when
    meters.sent(
        facts(Channel.WHATSAPP, "de"),
        DeliveryMeters.route("vonage-whatsapp", Channel.WHATSAPP),
        true,
        REQUESTED.plusMillis(1500));

    // then
    assertThat(
            count(
                DeliveryMeters.SENDS,
                "route",
                "vonage-whatsapp",
                "country",
                "DE",
                "outcome",
                "accepted"))
        .isEqualTo(1);
    assertThat(
            registry
                .get(DeliveryMeters.REQUEST_TO_SEND)
                .tag("route", "vonage-whatsapp")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(1500);
  }

  @Test
  void aFailedSendIsCountedButNotTimed() {
    meters.sent(
        facts(Channel.SMS, "GB"),
        DeliveryMeters.route(null, Channel.SMS),
        false,
        REQUESTED.plusSeconds(3));

    assertThat(
            count(
                DeliveryMeters.SENDS, "route", "vonage-sms", "country", "GB", "outcome", "failed"))
        .isEqualTo(1);
    assertThat(registry.find(DeliveryMeters.REQUEST_TO_SEND).timer()).isNull();
  }

  @Test
  void aCountryThatIsNoRegionCodeIsUnknownSoTagsStayBounded() {
    for (String region : new String[] {null, "", "+447700900123", "GBR", "1A", "Ü1"}) {
      meters.receipt(DeliveryMeters.route(null, Channel.SMS), region, "delivered");
    }

    assertThat(
            count(
                DeliveryMeters.RECEIPTS,
                "route",
                "vonage-sms",
                "country",
                "unknown",
                "status",
                "delivered"))
        .isEqualTo(6);
    assertThat(registry.get(DeliveryMeters.RECEIPTS).counters()).hasSize(1);
  }

  @Test
  void theRouteIsTheOneThatHeldTheSendAndAnythingElseIsTheChannelsDefault() {
    assertThat(DeliveryMeters.route("twilio-messaging", Channel.SMS)).isEqualTo("twilio-messaging");
    assertThat(DeliveryMeters.route(null, Channel.SMS)).isEqualTo("vonage-sms");
    assertThat(DeliveryMeters.route(null, Channel.WHATSAPP)).isEqualTo("vonage-whatsapp");
    assertThat(DeliveryMeters.route("+447700900123", Channel.SMS)).isEqualTo("vonage-sms");
  }

  @Test
  void guardBlocksCountByGuard() {
    SendGuard.Reason reason = SendGuard.Reason.PREFIX_VELOCITY;

    meters.blocked(reason);
    meters.blocked(reason);

    assertThat(count(DeliveryMeters.GUARD_BLOCKS, "reason", "prefix_velocity")).isEqualTo(2);
    assertThat(count(DeliveryMeters.GUARD_BLOCKS, "reason", "country_velocity")).isZero();
    assertThat(registry.get(DeliveryMeters.GUARD_BLOCKS).counters())
        .as("every guard's series, before its first block")
        .hasSize(SendGuard.Reason.values().length);
  }

  private double count(String meter, String... tags) {
    return registry.get(meter).tags(tags).counter().count();
  }

  private static AttemptFacts facts(Channel channel, String country) {
    return new AttemptFacts(
        "ch_1", 1, "corr", "user-1", "signIn", channel, "+44******0001", country, "en", REQUESTED);
  }
}
