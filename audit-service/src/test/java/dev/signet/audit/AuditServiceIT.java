package dev.signet.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.audit.view.AggregateBuilder;
import dev.signet.audit.view.Retention;
import dev.signet.events.Topics;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.action.StateChangeCause;
import dev.signet.events.audit.AuditActivity;
import dev.signet.events.serde.InTestRegistry;
import dev.signet.events.serde.SignetAvroDeserializer;
import dev.signet.events.serde.SignetAvroSerializer;
import dev.signet.testsupport.ServiceHttp;
import dev.signet.testsupport.ServiceHttp.Reply;
import dev.signet.testsupport.TestStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * audit-service as it runs: against an in-memory MongoDB-wire server, spring-kafka-test's in-JVM
 * KRaft broker and the in-test schema registry. Events go in through the real topics with the
 * project's serde; the views are read through the query API. One Spring context for the class.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.main.web-application-type=reactive")
class AuditServiceIT {

  static final String SECRET = "audit-it-secret";
  static final TestStack STACK = TestStack.start(2, TestStack.everyTopicAndDeadLetter());
  static final EmbeddedKafkaKraftBroker KAFKA = STACK.kafka();
  static final InTestRegistry REGISTRY = STACK.registry();

  @LocalServerPort int port;
  @Autowired ReactiveMongoTemplate mongo;
  @Autowired AggregateBuilder aggregates;
  @Autowired Retention retention;
  @Autowired KafkaListenerEndpointRegistry listeners;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-audit-it");
    registry.add("signet.audit.management-secret", () -> SECRET);
    registry.add("signet.audit.lag-interval", () -> "500ms");
    registry.add("signet.audit.aggregate-interval", () -> "200ms");
    registry.add("signet.audit.daily-aggregate-interval", () -> "200ms");
  }

  // ---- views from a recorded stream ----------------------------------------------------------

  @Test
  void buildsTheSameViewsFromAnOrderedStreamAndFromAShuffledOneWithDuplicates() {
    Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
    RecordedStream ordered = new RecordedStream("ord-" + suffix(), t0);
    RecordedStream shuffled = new RecordedStream("shf-" + suffix(), t0);
    publish(ordered.events);
    List<RecordedStream.Event> messy = new ArrayList<>(shuffled.events);
    messy.addAll(shuffled.events.subList(0, 6)); // duplicates
    messy.addAll(shuffled.events.subList(8, 11));
    Collections.shuffle(messy, new Random(7));
    publish(messy);

    JsonNode a = awaitChallenge(ordered.challengeId, "CLAIMED", "VERIFIED");
    JsonNode b = awaitChallenge(shuffled.challengeId, "CLAIMED", "VERIFIED");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode x = get("/v1/audit/challenges/" + ordered.challengeId).body();
              JsonNode y = get("/v1/audit/challenges/" + shuffled.challengeId).body();
              assertThat(x.path("steps")).hasSize(7);
              assertThat(normalised(y)).isEqualTo(normalised(x));
            });

    // request → dispatch → delivery → verification, joined in one document
    JsonNode c = get("/v1/audit/challenges/" + shuffled.challengeId).body();
    assertThat(c.path("state").asText()).isEqualTo("VERIFIED"); // the later expiry does not undo it
    assertThat(c.path("delivery").asText()).isEqualTo("DELIVERED");
    assertThat(c.path("phoneNumberMasked").asText()).isEqualTo(RecordedStream.MASKED);
    assertThat(c.path("countryCode").asText()).isEqualTo("GB");
    assertThat(c.path("timeToDeliveryMillis").asLong()).isEqualTo(1400);
    assertThat(c.path("sendsRequested").asInt()).isEqualTo(1);
    assertThat(c.path("sendsDispatched").asInt()).isEqualTo(1);
    assertThat(c.path("sendsDelivered").asInt()).isEqualTo(1);
    assertThat(c.path("failedVerifications").asInt()).isEqualTo(1);
    assertThat(c.path("verifiedAt").asText()).isEqualTo(t0.plusMillis(8000).toString());
    JsonNode attempt = c.path("attempts").get(0);
    assertThat(attempt.path("attempt").asInt()).isEqualTo(1);
    assertThat(attempt.path("provider").asText()).isEqualTo("vonage");
    assertThat(attempt.path("deliveryStatus").asText()).isEqualTo("DELIVERED");
    assertThat(attempt.path("sendToDeliveryMillis").asLong()).isEqualTo(1400);
    List<String> types = new ArrayList<>();
    c.path("steps").forEach(s -> types.add(s.path("type").asText()));
    assertThat(types)
        .containsExactly(
            "challenge.requested",
            "sms.dispatched",
            "sms.delivery-reported",
            "sms.delivery-reported",
            "challenge.verification-failed",
            "challenge.verified",
            "challenge.expired");

    JsonNode blocked = get("/v1/audit/challenges/" + shuffled.blockedChallengeId).body();
    assertThat(blocked.path("delivery").asText()).isEqualTo("BLOCKED");
    assertThat(blocked.path("attempts").get(0).path("blockedReason").asText())
        .isEqualTo("NUMBER_VELOCITY");

    // the per-action view: last state by event time, with the rules that fired
    JsonNode action =
        get("/v1/audit/users/" + shuffled.userId + "/actions/signIn/" + shuffled.idempotencyKey)
            .body();
    assertThat(action.path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");
    assertThat(action.path("decision").asText()).isEqualTo("CHALLENGE");
    assertThat(action.path("ruleIds").get(0).asText()).isEqualTo("rul_new_device");
    assertThat(action.path("challengeIds").get(0).asText()).isEqualTo(shuffled.challengeId);
    assertThat(action.path("userAgent").asText()).isEqualTo("<script>alert(1)</script>");

    // the user's timeline holds every distinct event once, newest first
    JsonNode timeline = get("/v1/audit/users/" + shuffled.userId + "/timeline?limit=200").body();
    assertThat(timeline.path("items")).hasSize(shuffled.events.size());
    Instant previous = Instant.MAX;
    for (JsonNode item : timeline.path("items")) {
      Instant at = Instant.parse(item.path("occurredAt").asText());
      assertThat(at).isBeforeOrEqualTo(previous);
      previous = at;
    }
    // no clear number, no code, no sealed code anywhere in what the views hold
    String everything = dump();
    assertThat(everything).doesNotContain(RecordedStream.PHONE).doesNotContain("7700900123");
    assertThat(everything).doesNotContain(RecordedStream.CODE_SECRET);
    assertThat(everything)
        .doesNotContain(Base64.getEncoder().encodeToString(RecordedStream.CODE_SECRET.getBytes()));
  }

  @Test
  void findsAUsersChallengesAndActivitiesByPhoneInAnyNotation() {
    RecordedStream s = new RecordedStream("phone-" + suffix(), Instant.now().minusSeconds(600));
    publish(s.events);
    awaitChallenge(s.challengeId, "VERIFIED");
    String phone = URLEncoder.encode("+44 7700 900123", StandardCharsets.UTF_8);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode page =
                  get("/v1/audit/challenges?phone=" + phone + "&userId=" + s.userId).body();
              assertThat(page.path("items")).hasSize(2);
            });
    JsonNode acts =
        get("/v1/audit/activities?phone=" + phone + "&userId=" + s.userId + "&type=sms.dispatched")
            .body();
    assertThat(acts.path("items")).hasSize(1);
    assertThat(acts.path("items").get(0).path("challengeId").asText()).isEqualTo(s.challengeId);
    assertThat(
            get("/v1/audit/challenges?phone=%2B447700900999&userId=" + s.userId)
                .body()
                .path("items"))
        .isEmpty();
  }

  @Test
  void pagesWithCursorsWithoutSkippingOrRepeating() {
    RecordedStream s = new RecordedStream("page-" + suffix(), Instant.now().minusSeconds(900));
    publish(s.events);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get("/v1/audit/users/" + s.userId + "/timeline?limit=200")
                        .body()
                        .path("items")
                        .size()
                    == s.events.size());
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          get("/v1/audit/activities?userId="
                  + s.userId
                  + "&limit=4"
                  + (cursor == null ? "" : "&cursor=" + cursor))
              .body();
      page.path("items").forEach(i -> assertThat(seen.add(i.path("activityId").asText())).isTrue());
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 20);
    assertThat(seen).hasSize(s.events.size());
    assertThat(pages).isEqualTo((s.events.size() + 3) / 4);
  }

  // ---- replay, dead letters, audit topic -----------------------------------------------------

  @Test
  void replayingEveryTopicFromTheBeginningLeavesTheViewsAndTheAuditTopicUnchanged()
      throws Exception {
    RecordedStream s = new RecordedStream("replay-" + suffix(), Instant.now().minusSeconds(1200));
    publish(s.events);
    awaitChallenge(s.challengeId, "VERIFIED");
    awaitQuiet();
    Map<String, List<Document>> before = snapshot();
    List<ConsumerRecord<String, Object>> auditBefore = readAll(Topics.AUDIT_ACTIVITY.name());
    long appliedBefore = applied();

    var container = listeners.getListenerContainer("audit-views");
    container.stop();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString()))) {
      Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
      admin
          .listConsumerGroupOffsets("audit-service")
          .partitionsToOffsetAndMetadata()
          .get()
          .keySet()
          .forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                admin.alterConsumerGroupOffsets("audit-service", zero).all().get();
                return true;
              });
    }
    container.start();
    long total = totalRecords();
    await().atMost(Duration.ofSeconds(60)).until(() -> applied() >= appliedBefore + total / 2);
    awaitQuiet();

    assertThat(snapshot()).isEqualTo(before);
    List<ConsumerRecord<String, Object>> auditAfter = readAll(Topics.AUDIT_ACTIVITY.name());
    assertThat(auditAfter).hasSameSizeAs(auditBefore);
  }

  @Test
  void publishesEveryActivityOnceToTheAuditTopicWithDerivedIds() {
    RecordedStream s = new RecordedStream("topic-" + suffix(), Instant.now().minusSeconds(300));
    publish(s.events);
    publish(s.events.subList(0, 4)); // duplicates publish nothing new
    awaitChallenge(s.challengeId, "VERIFIED");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<AuditActivity> mine = new ArrayList<>();
              for (ConsumerRecord<String, Object> r : readAll(Topics.AUDIT_ACTIVITY.name())) {
                AuditActivity a = (AuditActivity) r.value();
                if (s.userId.equals(a.getUserId())) {
                  assertThat(r.key()).isEqualTo(s.userId);
                  mine.add(a);
                }
              }
              assertThat(mine).hasSize(s.events.size());
              assertThat(mine.stream().map(AuditActivity::getEventId).distinct())
                  .hasSize(s.events.size());
              assertThat(mine.stream().map(AuditActivity::getType))
                  .contains("challenge.verified", "sms.delivery-reported", "action.state-changed");
              AuditActivity verified =
                  mine.stream()
                      .filter(a -> a.getType().equals("challenge.verified"))
                      .findFirst()
                      .orElseThrow();
              assertThat(verified.getChallengeId()).isEqualTo(s.challengeId);
              assertThat(verified.getOutcome().name()).isEqualTo("SUCCESS");
              assertThat(verified.getPhoneNumberMasked()).isEqualTo(RecordedStream.MASKED);
              assertThat(verified.getSourceTopic()).isEqualTo(Topics.CHALLENGE_VERIFIED.name());
              assertThat(verified.getActivityId())
                  .isEqualTo(
                      dev.signet.audit.activity.ActivityIds.activityId(
                          Topics.CHALLENGE_VERIFIED.name(), verified.getSourceEventId()));
              assertThat(verified.getEventId())
                  .isEqualTo(
                      dev.signet.audit.activity.ActivityIds.auditEventId(verified.getActivityId()));
            });
  }

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicAndTheConsumerKeepsGoing() {
    byte[] garbage = new byte[] {0, 0, 0, 0, 99, 1, 2, 3};
    byte[] notAvro = "{\"json\":true}".getBytes(StandardCharsets.UTF_8);
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(Topics.SMS_DISPATCHED.name(), "p1".getBytes(), garbage));
      producer.send(new ProducerRecord<>(Topics.USER_UPDATED.name(), "p2".getBytes(), notAvro));
    }
    RecordedStream s = new RecordedStream("dlt-" + suffix(), Instant.now().minusSeconds(60));
    publish(s.events);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(readRaw(Topics.dlt(Topics.SMS_DISPATCHED.name())))
                  .anySatisfy(v -> assertThat(v).isEqualTo(garbage));
              assertThat(readRaw(Topics.dlt(Topics.USER_UPDATED.name())))
                  .anySatisfy(v -> assertThat(v).isEqualTo(notAvro));
            });
    awaitChallenge(s.challengeId, "VERIFIED");
  }

  @Test
  void eventsForUnknownChallengesAndUsersCreateTheirViews() {
    RecordedStream s = new RecordedStream("unknown-" + suffix(), Instant.now().minusSeconds(120));
    // only the receipt and the verification: no request, no tracked action
    publish(
        s.events.stream()
            .filter(
                e ->
                    e.topic().equals(Topics.SMS_DELIVERY_REPORTED.name())
                        || e.topic().equals(Topics.CHALLENGE_VERIFIED.name())
                        || e.topic().equals(Topics.AUTHENTICATOR_ENROLLED.name()))
            .toList());
    JsonNode c = awaitChallenge(s.challengeId, "VERIFIED");
    assertThat(c.path("delivery").asText()).isEqualTo("DELIVERED");
    assertThat(c.path("requestedAt").isNull()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        get("/v1/audit/users/" + s.userId + "/timeline?type=authenticator.enrolled")
                            .body()
                            .path("items"))
                    .hasSize(1));
  }

  @Test
  void aStateSetManuallyThroughTheServerApiShowsOnTheActionWithItsCredentialKind() {
    String suffix = "manual-" + suffix();
    String userId = "usr-" + suffix;
    String key = "idem-" + suffix;
    Instant at = Instant.now().minusSeconds(60);
    ActionStateChanged manual =
        ActionStateChanged.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setOccurredAt(at)
            .setCorrelationId("req-manual")
            .setUserId(userId)
            .setActionCode("signIn")
            .setIdempotencyKey(key)
            .setState(dev.signet.events.action.ActionState.BLOCK)
            .setPreviousState(dev.signet.events.action.ActionState.CHALLENGE_REQUIRED)
            .setCause(StateChangeCause.MANUAL)
            .setReviewedBy("api")
            .setCredentialKind("API_SECRET")
            .build();

    publish(List.of(new RecordedStream.Event(Topics.ACTION_STATE_CHANGED.name(), userId, manual)));

    String path = "/v1/audit/users/" + userId + "/actions/signIn/" + key;
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get(path).status()).isEqualTo(200));
    JsonNode action = get(path).body();
    assertThat(action.path("state").asText()).isEqualTo("BLOCK");
    JsonNode change = action.path("manualChanges").get(0);
    assertThat(change.path("state").asText()).isEqualTo("BLOCK");
    assertThat(change.path("previousState").asText()).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(change.path("credentialKind").asText()).isEqualTo("API_SECRET");
    assertThat(action.path("reviews")).isEmpty();
    JsonNode step = action.path("steps").get(0);
    assertThat(step.path("summary").asText())
        .isEqualTo(
            "The action's state was set MANUALLY to BLOCK (was CHALLENGE_REQUIRED) through the"
                + " server API with the API_SECRET credential.");
    assertThat(step.path("attributes").path("cause").asText()).isEqualTo("MANUAL");
    assertThat(step.path("attributes").path("credentialKind").asText()).isEqualTo("API_SECRET");
  }

  // ---- aggregates, retention, lag ------------------------------------------------------------

  @Test
  void aggregatesCountChallengesSendsDeliveriesAndBlocksPerHourDayCountryAndAction() {
    Instant hour = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
    String action = "agg" + suffix().replace("-", "");
    List<RecordedStream.Event> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordedStream s = new RecordedStream("agg" + i + "-" + suffix(), hour.plusSeconds(60 * i));
      for (RecordedStream.Event e : s.events) {
        events.add(new RecordedStream.Event(e.topic(), e.key(), withAction(e, action)));
      }
    }
    publish(events);
    String base =
        "/v1/audit/aggregates?granularity=hour&action="
            + action
            + "&from="
            + hour
            + "&to="
            + hour.plus(1, ChronoUnit.HOURS);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode rows = get(base).body().path("items");
              assertThat(rows).hasSize(1);
              JsonNode row = rows.get(0);
              assertThat(row.path("challenges").asLong()).isEqualTo(6);
              assertThat(row.path("sends").asLong()).isEqualTo(3);
              assertThat(row.path("deliveries").asLong()).isEqualTo(3);
              assertThat(row.path("verifications").asLong()).isEqualTo(3);
              assertThat(row.path("conversionRate").asDouble()).isEqualTo(0.5);
              assertThat(row.path("deliveryRate").asDouble()).isEqualTo(1.0);
              assertThat(row.path("sendToDeliveryP50Millis").asLong()).isEqualTo(1400);
              assertThat(row.path("sendToDeliveryP95Millis").asLong()).isEqualTo(1400);
              assertThat(row.path("blocked").asLong()).isEqualTo(3);
              assertThat(row.path("blockedByReason").path("NUMBER_VELOCITY").asLong()).isEqualTo(3);
              assertThat(row.path("countryCode").asText()).isEqualTo("*");
            });
    JsonNode byCountry = get(base + "&groupBy=country").body().path("items");
    assertThat(byCountry).hasSize(1);
    assertThat(byCountry.get(0).path("countryCode").asText()).isEqualTo("GB");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode days =
                  get("/v1/audit/aggregates?granularity=day&action="
                          + action
                          + "&from="
                          + hour.truncatedTo(ChronoUnit.DAYS)
                          + "&to="
                          + hour.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS))
                      .body()
                      .path("items");
              assertThat(days).hasSize(1);
              assertThat(days.get(0).path("challenges").asLong()).isEqualTo(6);
            });
  }

  @Test
  void retentionSkipsOldEventsAndDeletesOldViews() {
    RecordedStream old =
        new RecordedStream("old-" + suffix(), Instant.now().minus(Duration.ofDays(45)));
    RecordedStream recent =
        new RecordedStream("recent-" + suffix(), Instant.now().minusSeconds(30));
    publish(old.events);
    publish(recent.events);
    awaitChallenge(recent.challengeId, "VERIFIED");
    assertThat(get("/v1/audit/challenges/" + old.challengeId).status()).isEqualTo(404);
    mongo
        .insert(
            new Document("_id", "old-activity-" + suffix())
                .append("occurredAt", java.util.Date.from(Instant.now().minus(Duration.ofDays(31))))
                .append("userId", recent.userId),
            "activities")
        .block();
    Map<String, Long> deleted = retention.sweep();
    assertThat(deleted.get("activities")).isGreaterThanOrEqualTo(1);
    assertThat(get("/v1/audit/users/" + recent.userId + "/timeline?limit=200").body().path("items"))
        .hasSize(recent.events.size());
  }

  @Test
  void lagIsReportedPerTopicOnTheApiAndAsMetrics() {
    RecordedStream s = new RecordedStream("lag-" + suffix(), Instant.now().minusSeconds(5));
    publish(s.events);
    awaitChallenge(s.challengeId, "VERIFIED");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode lag = get("/v1/audit/lag").body();
              JsonNode requested = null;
              for (JsonNode t : lag.path("topics")) {
                if (t.path("topic").asText().equals(Topics.CHALLENGE_REQUESTED.name())) {
                  requested = t;
                }
              }
              assertThat(requested).isNotNull();
              assertThat(requested.path("consumerLag").asLong(-1)).isEqualTo(0);
              assertThat(requested.path("newestEventAgeSeconds").asDouble()).isLessThan(600);
              assertThat(lag.path("viewLag").path("count").asLong()).isPositive();
              assertThat(lag.path("viewLag").has("p99Millis")).isTrue();
              assertThat((Iterable<String>) () -> lag.path("viewLag").fieldNames())
                  .containsExactly("count", "p50Millis", "p95Millis", "p99Millis", "maxMillis");
            });
    String prometheus = raw("/actuator/prometheus");
    assertThat(prometheus)
        .contains("signet_audit_consumer_lag{topic=\"auth.challenge.requested.v1\"}")
        .contains("signet_audit_view_newest_age_seconds{topic=\"auth.sms.dispatched.v1\"}")
        .contains("signet_audit_view_lag_seconds_bucket");
  }

  // ---- query API: authentication and bad input -----------------------------------------------

  @Test
  void queryApiRefusesMissingAndWrongSecretsAndServesItsOpenApi() {
    assertThat(call("/v1/audit/activities", null).status()).isEqualTo(401);
    Reply wrong = call("/v1/audit/activities", "Bearer nope");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body().path("error").asText()).isEqualTo("unauthorized");
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString((SECRET + ":x").getBytes(StandardCharsets.UTF_8));
    assertThat(call("/v1/audit/activities", basic).status()).isEqualTo(200);
    assertThat(call("/v3/api-docs", null).status()).isEqualTo(401);
    Reply docs = get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body().path("paths").has("/v1/audit/challenges/{challengeId}")).isTrue();
    assertThat(docs.body().path("paths").has("/v1/audit/activities")).isTrue();
    assertThat(docs.body().path("paths").has("/v1/audit/lag")).isTrue();
    JsonNode schemas = docs.body().path("components").path("schemas");
    assertThat(schemas.path("ChallengeView").path("properties").has("attempts")).isTrue();
    assertThat(schemas.path("ActivityPage").path("properties").has("nextCursor"))
        .as(schemas.toString())
        .isTrue();
    assertThat(schemas.path("AggregateBucket").path("properties").has("conversionRate")).isTrue();
    assertThat(docs.body().path("components").path("securitySchemes").has("managementSecret"))
        .isTrue();
  }

  @Test
  void badQueryParametersAreDocumented400sNever500s() {
    for (String path :
        List.of(
            "/v1/audit/activities?userId%5B%24ne%5D=x",
            "/v1/audit/activities?%24where=1",
            "/v1/audit/activities?userId=a&userId=b",
            "/v1/audit/activities?limit=-1",
            "/v1/audit/activities?limit=0",
            "/v1/audit/activities?limit=abc",
            "/v1/audit/activities?limit=1e3",
            "/v1/audit/activities?cursor=not-a-cursor!",
            "/v1/audit/activities?cursor=" + cursor("challenges\n1\nx"),
            "/v1/audit/activities?cursor=" + cursor("activities\nNaN\nx"),
            "/v1/audit/activities?cursor=" + cursor("activities\n-5\nx"),
            "/v1/audit/activities?from=yesterday",
            "/v1/audit/activities?from=2026-13-45T00:00:00Z",
            "/v1/audit/activities?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z",
            "/v1/audit/activities?type=challenge.hacked",
            "/v1/audit/activities?outcome=%7B%22%24ne%22%3Anull%7D",
            "/v1/audit/activities?phone=12345",
            "/v1/audit/activities?phone=%2B1",
            "/v1/audit/activities?userId=" + "x".repeat(300),
            "/v1/audit/activities?userId=a%00b",
            "/v1/audit/challenges?state=WHATEVER",
            "/v1/audit/challenges?delivery=%24gt",
            "/v1/audit/actions?state=%24ne",
            "/v1/audit/actions?decision=MAYBE",
            "/v1/audit/aggregates?granularity=minute",
            "/v1/audit/aggregates?granularity=hour&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "/v1/audit/users/u1/timeline?userId=other")) {
      Reply reply = get(path);
      assertThat(reply.status()).as(path).isEqualTo(400);
      assertThat(reply.body().path("error").asText()).as(path).isEqualTo("invalid_request");
      assertThat(reply.body().path("errorDescription").asText()).as(path).isNotBlank();
    }
    // a would-be operator as a value is a literal that matches nothing
    Reply literal = get("/v1/audit/activities?userId=%7B%22%24ne%22%3Anull%7D");
    assertThat(literal.status()).isEqualTo(200);
    assertThat(literal.body().path("items")).isEmpty();
    Reply huge = get("/v1/audit/activities?limit=99999999999999999999");
    assertThat(huge.status()).isEqualTo(200);
    assertThat(huge.body().path("limit").asInt()).isEqualTo(200);
    assertThat(get("/v1/audit/activities?limit=1000").body().path("limit").asInt()).isEqualTo(200);
    Reply missing = get("/v1/audit/challenges/does-not-exist");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().path("error").asText()).isEqualTo("not_found");
    assertThat(get("/v1/audit/nothing-here").status()).isEqualTo(404);
  }

  // ---- helpers -------------------------------------------------------------------------------

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String cursor(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  JsonNode awaitChallenge(String challengeId, String... states) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Reply r = get("/v1/audit/challenges/" + challengeId);
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.body().path("state").asText()).isIn((Object[]) states);
              found[0] = r.body();
            });
    return found[0];
  }

  /** Until every record is applied, published and aggregated. */
  void awaitQuiet() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode lag = get("/v1/audit/lag").body();
              for (JsonNode t : lag.path("topics")) {
                assertThat(t.path("consumerLag").asLong(-1)).as(t.toString()).isEqualTo(0);
              }
              assertThat(lag.path("pendingPublications").asLong()).isZero();
              assertThat(lag.path("aggregatesUpToDate").asBoolean()).isTrue();
            });
  }

  long applied() {
    long n = 0;
    for (JsonNode t : get("/v1/audit/lag").body().path("topics")) {
      n += t.path("applied").asLong();
    }
    return n;
  }

  long totalRecords() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString()))) {
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
      for (Topics.Topic t : Topics.all()) {
        if (t.consumers().contains("audit-service") && t != Topics.AUDIT_ACTIVITY) {
          for (int p = 0; p < 2; p++) {
            latest.put(
                new TopicPartition(t.name(), p),
                org.apache.kafka.clients.admin.OffsetSpec.latest());
          }
        }
      }
      long total = 0;
      for (var info : admin.listOffsets(latest).all().get().values()) {
        total += info.offset();
      }
      return total;
    }
  }

  Map<String, List<Document>> snapshot() {
    Map<String, List<Document>> out = new HashMap<>();
    for (String collection : List.of("activities", "challenges", "actions", "aggregates")) {
      List<Document> docs =
          mongo
              .findAll(Document.class, collection)
              .map(
                  d -> {
                    d.remove("computedAt");
                    return d;
                  })
              .collectList()
              .block();
      docs.sort((x, y) -> String.valueOf(x.get("_id")).compareTo(String.valueOf(y.get("_id"))));
      out.put(collection, docs);
    }
    return out;
  }

  String dump() {
    StringBuilder out = new StringBuilder();
    snapshot().values().forEach(list -> list.forEach(d -> out.append(d.toJson())));
    return out.toString();
  }

  static JsonNode normalised(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (String key :
          List.of(
              "challengeId",
              "userId",
              "idempotencyKey",
              "activityId",
              "challengeIds",
              "userAuthenticatorId")) {
        o.remove(key);
      }
      Iterator<JsonNode> values = o.elements();
      while (values.hasNext()) {
        strip(values.next());
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(AuditServiceIT::strip);
    }
  }

  static org.apache.avro.specific.SpecificRecord withAction(RecordedStream.Event e, String action) {
    org.apache.avro.specific.SpecificRecord v = e.value();
    for (String field : List.of("action", "actionCode")) {
      var f = v.getSchema().getField(field);
      if (f != null) {
        v.put(f.pos(), action);
      }
    }
    return v;
  }

  static void publish(List<RecordedStream.Event> events) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class);
    config.put("schema.registry.url", REGISTRY.url());
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
      for (RecordedStream.Event e : events) {
        producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value()));
      }
    }
  }

  static List<ConsumerRecord<String, Object>> readAll(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SignetAvroDeserializer.class);
    config.put("schema.registry.url", REGISTRY.url());
    config.put("specific.avro.reader", "true");
    List<ConsumerRecord<String, Object>> out = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      long deadline = System.currentTimeMillis() + 10_000;
      while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static List<byte[]> readRaw(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      long deadline = System.currentTimeMillis() + 5_000;
      while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }

  Reply get(String path) {
    return call(path, "Bearer " + SECRET);
  }

  String raw(String path) {
    return get(path).raw();
  }

  Reply call(String path, String authorization) {
    return ServiceHttp.call(port, "GET", path, authorization, null, null);
  }
}
