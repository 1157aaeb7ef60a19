package dev.signet.audit.query;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

@Schema(
    description =
        "Figures of the challenges requested in one bucket, for one country and action ('*' ="
            + " all).")
/** A response body of the query API (documented in OpenAPI and docs/audit-service.md). */
record AggregateBucket(
    @Schema(allowableValues = {"hour", "day"}) String granularity,
    Instant bucketStart,
    String countryCode,
    String action,
    long challenges,
    long sends,
    long deliveries,
    long undelivered,
    long dispatchFailures,
    long verifications,
    long verificationFailures,
    @Schema(description = "verifications / challenges; null without challenges")
        Double conversionRate,
    @Schema(description = "deliveries / sends; null without sends") Double deliveryRate,
    Long sendToDeliveryP50Millis,
    Long sendToDeliveryP95Millis,
    long blocked,
    Map<String, Long> blockedByReason,
    long shadowBlocked,
    @Schema(
            description =
                "Per route that took the bucket's sends (vonage-sms, twilio-messaging, ...): its"
                    + " sends, deliveries, delivery rate and p95 send-to-delivery time")
        Map<String, RouteFigures> routes,
    Instant computedAt) {

  /** One route's share of a bucket. */
  record RouteFigures(
      long sends, long deliveries, Double deliveryRate, Long sendToDeliveryP95Millis) {}
}
