package dev.signet.audit.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class BucketStatsTest {

  @Test
  void percentilesAreNearestRankAndRatesGuardAgainstEmptyBuckets() {
    BucketStats stats = new BucketStats();
    assertThat(stats.percentile(0.5)).isNull();
    assertThat(stats.conversionRate()).isNull();
    assertThat(stats.deliveryRate()).isNull();

    LongStream.rangeClosed(1, 100).map(i -> 101 - i).forEach(stats.deliveryMillis::add);
    stats.challenges = 8;
    stats.verifications = 3;
    stats.sends = 4;
    stats.deliveries = 5; // a duplicate receipt never pushes the rate above 1

    assertThat(stats.percentile(0.5)).isEqualTo(50);
    assertThat(stats.percentile(0.95)).isEqualTo(95);
    assertThat(stats.percentile(1.0)).isEqualTo(100);
    assertThat(stats.conversionRate()).isEqualTo(0.375);
    assertThat(stats.deliveryRate()).isEqualTo(1.0);
  }

  @Test
  void eachSendCountsForTheRouteThatTookItWithItsDeliveryAndTime() {
    // given: attempt 1 through Vonage (delivered in 800 ms), attempt 2 failed over to Twilio
    // (delivered in 300 ms), attempt 3 through Twilio (not delivered)
    Document challenge =
        new Document("countryCode", "GB")
            .append("action", "signIn")
            .append("sentAttempts", List.of(1, 2, 3))
            .append(
                "sentRoutes",
                List.of(
                    new Document("attempt", 1).append("route", "vonage-sms"),
                    new Document("attempt", 2)
                        .append("route", "twilio-messaging")
                        .append("routeFailures", "vonage-sms:PROVIDER_ERROR"),
                    new Document("attempt", 3).append("route", "twilio-messaging")))
            .append(
                "deliveredAttempts",
                List.of(
                    new Document("attempt", 1).append("millis", 800L),
                    new Document("attempt", 2).append("millis", 300L)));
    Map<List<String>, BucketStats> buckets = new LinkedHashMap<>();

    // when
    BucketStats.accumulate(buckets, challenge);
    Document all =
        buckets
            .get(List.of(AggregateBuilder.ALL, AggregateBuilder.ALL))
            .document("id", "hour", Instant.EPOCH, "*", "*", Date.from(Instant.EPOCH));

    // then
    Document routes = all.get("routes", Document.class);
    assertThat(routes.keySet()).containsExactly("twilio-messaging", "vonage-sms");
    Document twilio = routes.get("twilio-messaging", Document.class);
    assertThat(twilio.get("sends")).isEqualTo(2L);
    assertThat(twilio.get("deliveries")).isEqualTo(1L);
    assertThat(twilio.get("deliveryRate")).isEqualTo(0.5);
    assertThat(twilio.get("sendToDeliveryP95Millis")).isEqualTo(300L);
    Document vonage = routes.get("vonage-sms", Document.class);
    assertThat(vonage.get("deliveryRate")).isEqualTo(1.0);
    assertThat(vonage.get("sendToDeliveryP95Millis")).isEqualTo(800L);
  }

  @Test
  void aRouteThatAcceptsAndNeverDeliversShowsItWhenTheFallbackDelivers() {
    // given: attempt 1 accepted by Vonage (message v1) and never delivered; its fallback on
    // Twilio (message t1) delivered 31 s after the first send
    Document challenge =
        new Document("countryCode", "GB")
            .append("action", "signIn")
            .append("sentAttempts", List.of(1))
            .append(
                "sentRoutes",
                List.of(
                    new Document("attempt", 1)
                        .append("route", "vonage-sms")
                        .append("messageId", "v1"),
                    new Document("attempt", 1)
                        .append("route", "twilio-messaging")
                        .append("messageId", "t1")))
            .append(
                "deliveredAttempts",
                List.of(
                    new Document("attempt", 1)
                        .append("messageId", "t1")
                        .append("millis", 31_000L)));
    Map<List<String>, BucketStats> buckets = new LinkedHashMap<>();

    // when
    BucketStats.accumulate(buckets, challenge);
    Document routes =
        buckets
            .get(List.of(AggregateBuilder.ALL, AggregateBuilder.ALL))
            .document("id", "hour", Instant.EPOCH, "*", "*", Date.from(Instant.EPOCH))
            .get("routes", Document.class);

    // then: Vonage took a message and delivered none; the delivery is Twilio's
    Document vonage = routes.get("vonage-sms", Document.class);
    assertThat(vonage.get("sends")).isEqualTo(1L);
    assertThat(vonage.get("deliveries")).isEqualTo(0L);
    assertThat(vonage.get("deliveryRate")).isEqualTo(0.0);
    Document twilio = routes.get("twilio-messaging", Document.class);
    assertThat(twilio.get("sends")).isEqualTo(1L);
    assertThat(twilio.get("deliveries")).isEqualTo(1L);
    assertThat(twilio.get("sendToDeliveryP95Millis")).isEqualTo(31_000L);
  }
}
