package dev.signet.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.Topics;
import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionDecision;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.challenge.ChallengePurpose;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.VerificationFailureReason;
import dev.signet.events.challenge.VerificationMethod;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.rules.store.SignalRetention;
import dev.signet.testsupport.EventLog;
import dev.signet.testsupport.ServiceHttp;
import dev.signet.testsupport.ServiceHttp.Reply;
import dev.signet.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * rules-service as it runs: against an in-memory MongoDB-wire server, spring-kafka-test's in-JVM
 * KRaft broker and a small in-test schema registry, driven through its management API and its
 * topics with the project's serde. One Spring context for the whole class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RulesServiceIT {

  static final String SECRET = "rules-it-secret";
  static final ObjectMapper JSON = new ObjectMapper();
  static final TestStack STACK =
      TestStack.start(
          1,
          Topics.ACTION_TRACKED.name(),
          Topics.ACTION_DECIDED.name(),
          Topics.CHALLENGE_VERIFIED.name(),
          Topics.CHALLENGE_VERIFICATION_FAILED.name(),
          Topics.SMS_DISPATCH_FAILED.name(),
          Topics.SMS_DELIVERY_REPORTED.name(),
          Topics.dlt(Topics.ACTION_TRACKED.name()));
  static final EmbeddedKafkaKraftBroker KAFKA = STACK.kafka();
  static final EventLog DECIDED =
      STACK.eventLog("rules-it-decisions", List.of(Topics.ACTION_DECIDED.name()));

  @LocalServerPort int port;
  @Autowired ReactiveMongoTemplate mongo;
  @Autowired SignalRetention retention;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-rules-it");
    registry.add("signet.rules.management-secret", () -> SECRET);
  }

  // ---- management API -------------------------------------------------------------------------

  @Test
  void managementApiRefusesMissingAndWrongSecretsAndAcceptsBearerAndBasic() {
    assertThat(call("GET", "/v1/management/actions", null, null).status()).isEqualTo(401);
    Reply wrong = call("GET", "/v1/management/actions", null, "Bearer not-the-secret");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body().path("error").asText()).isEqualTo("unauthorized");
    // The platform's one error writer: the same three members on every service.
    assertThat(wrong.body().path("errorCode").asText()).isEqualTo("unauthorized");
    assertThat(wrong.body().path("errorDescription").asText()).isNotBlank();
    assertThat(call("GET", "/v1/management/actions", null, "Bearer " + SECRET).status())
        .isEqualTo(200);
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString((SECRET + ":").getBytes(StandardCharsets.UTF_8));
    assertThat(call("GET", "/v1/management/actions", null, basic).status()).isEqualTo(200);
  }

  @Test
  void pathSpellingTricksNeverReachTheManagementApiWithOrWithoutTheSecret() {
    for (String path :
        List.of(
            "/v1;x/management/actions",
            "/v1/management;x/actions",
            "/v1/management/actions;x",
            "/v1//management/actions",
            "/v1/./management/actions",
            "/v1/x/../management/actions",
            "/v1/management%2factions",
            "/v1/management/actions%00",
            "/v1%5cmanagement/actions")) {
      for (String authorization : new String[] {null, "Bearer " + SECRET}) {
        Reply reply = call("GET", path, null, authorization);
        assertThat(reply.status()).as(path).isEqualTo(400);
        assertThat(reply.body().path("error").asText()).as(path).isEqualTo("invalid_request");
      }
    }
    assertThat(call("GET", "/%76%31/management/actions", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/V1/MANAGEMENT/ACTIONS", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/v1/management/actions/", null, "Bearer " + SECRET).status())
        .isEqualTo(404);
  }

  @Test
  void onlyTheProbesArePublicAndEverythingElseNeedsTheManagementSecret() {
    assertThat(call("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
    assertThat(call("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);
    for (String path :
        List.of("/actuator/health", "/actuator/prometheus", "/actuator/mappings", "/v3/api-docs")) {
      Reply anonymous = call("GET", path, null, null);
      assertThat(anonymous.status()).as(path).isEqualTo(401);
      assertThat(anonymous.body().path("error").asText()).as(path).isEqualTo("unauthorized");
      assertThat(send("GET", path, null, "Bearer " + SECRET, "application/json").status())
          .as(path)
          .isEqualTo(200);
    }
    assertThat(call("GET", "/anything-else", null, "Bearer " + SECRET).status()).isEqualTo(403);
    assertThat(call("GET", "/swagger-ui.html", null, null).status()).isEqualTo(401);
  }

  @Test
  void rulesAreCreatedListedReorderedToggledReplacedAndDeleted() {
    String action = "crud" + suffix();
    String base = "/v1/management/actions/" + action + "/rules";
    Reply first =
        manage(
            "POST",
            base,
            Map.of("name", "Block Tor", "outcome", "BLOCK", "condition", ipIn("10.0.0.0/8")));
    Reply second =
        manage(
            "POST",
            base,
            Map.of(
                "name", "Review big",
                "description", "Amounts over 1000",
                "outcome", "REVIEW",
                "condition",
                    Map.of("type", "custom", "key", "amount", "operator", "gt", "value", 1000)));
    assertThat(first.status()).isEqualTo(201);
    String id1 = first.body().path("ruleId").asText();
    String id2 = second.body().path("ruleId").asText();
    assertThat(id1).startsWith("rul_");
    assertThat(first.body().path("priority").asInt()).isEqualTo(10);
    assertThat(second.body().path("priority").asInt()).isEqualTo(20);
    assertThat(first.body().path("enabled").asBoolean()).isTrue();

    assertThat(ids(manage("GET", base, null))).containsExactly(id1, id2);

    Reply reordered = manage("PUT", base + "/order", Map.of("ruleIds", List.of(id2, id1)));
    assertThat(reordered.status()).isEqualTo(200);
    assertThat(ids(reordered)).containsExactly(id2, id1);
    assertThat(manage("PUT", base + "/order", Map.of("ruleIds", List.of(id2))).status())
        .isEqualTo(400);

    Reply disabled = manage("PATCH", base + "/" + id1, Map.of("enabled", false));
    assertThat(disabled.body().path("enabled").asBoolean()).isFalse();

    Reply replaced =
        manage(
            "PUT",
            base + "/" + id1,
            Map.of(
                "name", "Block office", "outcome", "ALLOW", "condition", ipIn("192.168.0.0/16")));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().path("name").asText()).isEqualTo("Block office");
    assertThat(replaced.body().path("priority").asInt()).isEqualTo(20);
    assertThat(replaced.body().path("condition").path("in").get(0).asText())
        .isEqualTo("192.168.0.0/16");

    assertThat(manage("DELETE", base + "/" + id1, null).status()).isEqualTo(200);
    assertThat(manage("GET", base + "/" + id1, null).status()).isEqualTo(404);
    assertThat(manage("DELETE", base + "/" + id1, null).status()).isEqualTo(404);
    assertThat(ids(manage("GET", base, null))).containsExactly(id2);

    Reply actions = manage("GET", "/v1/management/actions", null);
    assertThat(actions.body().path("actions").toString()).contains(action);
  }

  @Test
  void invalidRulesAreRefusedWithTheFieldNamed() {
    String base = "/v1/management/actions/bad" + suffix() + "/rules";
    Map<String, Object> valid =
        Map.of("name", "x", "outcome", "BLOCK", "condition", Map.of("type", "newDevice"));

    assertThat(error(manage("POST", base, with(valid, "colour", "red"))))
        .contains("colour is not a known field");
    assertThat(error(manage("POST", base, with(valid, "outcome", "DENY"))))
        .contains("outcome must be one of");
    assertThat(error(manage("POST", base, with(valid, "priority", "1"))))
        .contains("priority must be an integer");
    assertThat(error(manage("POST", base, with(valid, "name", 5))))
        .contains("name must be a string");
    assertThat(
            error(
                manage(
                    "POST",
                    base,
                    with(valid, "condition", Map.of("type", "all", "conditions", List.of())))))
        .contains("condition.conditions must not be empty");
    assertThat(
            error(
                manage(
                    "POST",
                    base,
                    with(
                        valid,
                        "condition",
                        Map.of(
                            "type",
                            "any",
                            "conditions",
                            List.of(
                                Map.of("type", "velocity", "window", "PT1H", "operator", "gt")))))))
        .contains("condition.conditions[0].value");
    Reply badAction = manage("POST", "/v1/management/actions/a%20b/rules", valid);
    assertThat(badAction.status()).isEqualTo(400);
    Reply notJson = raw("POST", base, "{not json", "application/json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(raw("POST", base, "name=x", "application/x-www-form-urlencoded").status())
        .isEqualTo(415);
    assertThat(manage("GET", "/v1/management/nothing-here", null).body().path("error").asText())
        .isEqualTo("not_found");
  }

  @Test
  void defaultsAndDryRunExplainTheDecision() {
    String action = "dry" + suffix();
    String base = "/v1/management/actions/" + action;
    manage(
        "POST",
        base + "/rules",
        Map.of(
            "name", "Many failures",
            "outcome", "BLOCK",
            "condition",
                Map.of(
                    "type",
                    "failedVerifications",
                    "window",
                    "PT1H",
                    "operator",
                    "gte",
                    "value",
                    3)));
    manage(
        "POST",
        base + "/rules",
        Map.of("name", "Office", "outcome", "ALLOW", "condition", ipIn("10.0.0.0/8")));

    Reply office =
        manage(
            "POST",
            base + "/dry-run",
            Map.of(
                "attributes", Map.of("ipAddress", "10.1.2.3", "isEnrolled", true),
                "signals", Map.of("failedVerifications", 1)));
    assertThat(office.status()).isEqualTo(200);
    assertThat(office.body().path("decision").asText()).isEqualTo("ALLOW");
    assertThat(office.body().path("rules").get(0).path("matched").asBoolean()).isFalse();
    assertThat(office.body().path("rules").get(0).path("explanation").path("detail").asText())
        .contains("1 failed verifications");
    assertThat(office.body().path("rules").get(1).path("matched").asBoolean()).isTrue();

    assertThat(manage("PUT", base + "/defaults", Map.of("enrolled", "REVIEW")).status())
        .isEqualTo(200);
    Reply fallback =
        manage("POST", base + "/dry-run", Map.of("attributes", Map.of("isEnrolled", true)));
    assertThat(fallback.body().path("decision").asText()).isEqualTo("REVIEW");
    assertThat(fallback.body().path("defaultOutcome").asBoolean()).isTrue();
    Reply unenrolled =
        manage("POST", base + "/dry-run", Map.of("attributes", Map.of("isEnrolled", false)));
    assertThat(unenrolled.body().path("decision").asText()).isEqualTo("ALLOW");

    Reply candidate =
        manage(
            "POST",
            base + "/dry-run",
            Map.of(
                "attributes", Map.of("custom", Map.of("amount", 5000)),
                "rules",
                    List.of(
                        Map.of(
                            "name", "Big",
                            "outcome", "CHALLENGE",
                            "condition",
                                Map.of(
                                    "type",
                                    "custom",
                                    "key",
                                    "amount",
                                    "operator",
                                    "gte",
                                    "value",
                                    5000)))));
    assertThat(candidate.body().path("decision").asText()).isEqualTo("CHALLENGE");
    assertThat(candidate.body().path("ruleIds").get(0).asText()).isEqualTo("draft-1");

    assertThat(
            error(
                manage(
                    "POST",
                    base + "/dry-run",
                    Map.of("attributes", Map.of("custom", Map.of("a", Map.of("b", 1)))))))
        .contains("attributes.custom.a must be");
  }

  @Test
  void openApiDocumentDescribesTheManagementApi() {
    Reply docs = call("GET", "/v3/api-docs", null, "Bearer " + SECRET);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body().path("paths").has("/v1/management/actions/{action}/rules")).isTrue();
    assertThat(docs.body().path("paths").has("/v1/management/actions/{action}/dry-run")).isTrue();
  }

  // ---- decisions over Kafka -------------------------------------------------------------------

  @Test
  void aTrackedActionIsAnsweredWithTheMatchingRuleAndRedeliveryRepeatsTheSameDecision() {
    String action = "pay" + suffix();
    Reply created =
        manage(
            "POST",
            "/v1/management/actions/" + action + "/rules",
            Map.of(
                "name", "Big transfer",
                "description", "Review amounts over 1000",
                "outcome", "REVIEW",
                "condition",
                    Map.of("type", "custom", "key", "amount", "operator", "gt", "value", 1000)));
    String ruleId = created.body().path("ruleId").asText();
    ActionTracked tracked = tracked("usr-" + suffix(), action, "dev-1", Map.of("amount", 2500L));

    produce(tracked);
    ActionDecided decided = awaitDecision(tracked.getEventId(), 1).get(0);

    assertThat(decided.getDecision()).isEqualTo(ActionDecision.REVIEW);
    assertThat(decided.getRuleIds()).containsExactly(ruleId);
    assertThat(decided.getRules().get(0).getName()).isEqualTo("Big transfer");
    assertThat(decided.getDefaultOutcome()).isFalse();
    assertThat(decided.getUserId()).isEqualTo(tracked.getUserId());
    assertThat(decided.getActionCode()).isEqualTo(action);
    assertThat(decided.getIdempotencyKey()).isEqualTo(tracked.getIdempotencyKey());
    assertThat(decided.getReplyTo()).isEqualTo("instance-a");
    assertThat(decided.getCorrelationId()).isEqualTo(tracked.getCorrelationId());

    produce(tracked);
    List<ActionDecided> both = awaitDecision(tracked.getEventId(), 2);
    assertThat(both.get(1).getEventId()).isEqualTo(decided.getEventId());
    assertThat(both.get(1).getDecision()).isEqualTo(decided.getDecision());
  }

  @Test
  void ruleChangesApplyToTheNextDecisionWithoutRestart() {
    String action = "hot" + suffix();
    String user = "usr-" + suffix();
    ActionTracked before = tracked(user, action, "dev-1", Map.of());
    produce(before);
    ActionDecided first = awaitDecision(before.getEventId(), 1).get(0);
    assertThat(first.getDecision()).isEqualTo(ActionDecision.CHALLENGE);
    assertThat(first.getDefaultOutcome()).isTrue();

    String ruleId =
        manage(
                "POST",
                "/v1/management/actions/" + action + "/rules",
                Map.of(
                    "name",
                    "Block all",
                    "outcome",
                    "BLOCK",
                    "condition",
                    Map.of("type", "enrolled", "value", true)))
            .body()
            .path("ruleId")
            .asText();
    ActionTracked after = tracked(user, action, "dev-1", Map.of());
    produce(after);
    ActionDecided second = awaitDecision(after.getEventId(), 1).get(0);
    assertThat(second.getDecision()).isEqualTo(ActionDecision.BLOCK);
    assertThat(second.getRuleIds()).containsExactly(ruleId);
  }

  @Test
  void regexRulesAreRefusedWhenOnlyABacktrackingEngineCouldRunThem() {
    String base = "/v1/management/actions/regex" + suffix() + "/rules";
    Map<String, Object> lookahead =
        Map.of(
            "name",
            "x",
            "outcome",
            "BLOCK",
            "condition",
            Map.of("type", "userAgent", "operator", "matches", "value", "(?=bot)b"));
    Reply refused = manage("POST", base, lookahead);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(error(refused)).contains("condition.value uses lookahead");
    Map<String, Object> huge =
        Map.of(
            "name",
            "x",
            "outcome",
            "BLOCK",
            "condition",
            Map.of("type", "userAgent", "operator", "matches", "value", "(a{1000}){1000}"));
    assertThat(error(manage("POST", base, huge))).contains("expands to more than 2000");
  }

  @Test
  void aStoredRuleThatNoLongerReadsIsIgnoredAndShownAndTheOtherRulesStillDecide() {
    // A rule stored by a version that compiled patterns with java.util.regex: lookbehind.
    String action = "legacy" + suffix();
    String user = "usr-" + suffix();
    mongo
        .insert(
            new org.bson.Document("_id", "rul_legacy_" + suffix())
                .append("actionCode", action)
                .append("name", "Old lookbehind")
                .append("priority", 1)
                .append("enabled", true)
                .append("outcome", "BLOCK")
                .append(
                    "condition",
                    new org.bson.Document("type", "userAgent")
                        .append("operator", "matches")
                        .append("value", "(?<=curl)/")),
            "rules")
        .block();
    String reviewId =
        manage(
                "POST",
                "/v1/management/actions/" + action + "/rules",
                Map.of(
                    "name",
                    "Review enrolled",
                    "priority",
                    2,
                    "outcome",
                    "REVIEW",
                    "condition",
                    Map.of("type", "enrolled", "value", true)))
            .body()
            .path("ruleId")
            .asText();

    ActionTracked tracked = tracked(user, action, "dev-1", Map.of());
    produce(tracked);
    ActionDecided decided = awaitDecision(tracked.getEventId(), 1).get(0);

    assertThat(decided.getDecision()).isEqualTo(ActionDecision.REVIEW);
    assertThat(decided.getRuleIds()).containsExactly(reviewId);
    JsonNode listed = manage("GET", "/v1/management/actions/" + action + "/rules", null).body();
    JsonNode legacy = listed.path("rules").get(0);
    assertThat(legacy.path("name").asText()).isEqualTo("Old lookbehind");
    assertThat(legacy.path("condition").path("value").asText()).isEqualTo("(?<=curl)/");
    assertThat(legacy.path("unreadable").asText()).contains("lookbehind");
  }

  @Test
  void aNewRuleReadsTheSignalsItNeedsThoughTheRulesBeforeItReadNone() {
    // The decision reads the signals of the rules it saw last for the action alongside the rules
    // themselves; a rule added since asks for a signal that read did not foresee.
    String action = "spec" + suffix();
    String user = "usr-" + suffix();
    ActionTracked first = tracked(user, action, "dev-1", Map.of());
    produce(first);
    assertThat(awaitDecision(first.getEventId(), 1).get(0).getDecision())
        .isEqualTo(ActionDecision.CHALLENGE);

    String ruleId =
        manage(
                "POST",
                "/v1/management/actions/" + action + "/rules",
                Map.of(
                    "name",
                    "Second try within the hour",
                    "outcome",
                    "BLOCK",
                    "condition",
                    Map.of("type", "velocity", "window", "PT1H", "operator", "gte", "value", 2)))
            .body()
            .path("ruleId")
            .asText();
    ActionTracked second = tracked(user, action, "dev-1", Map.of());
    produce(second);
    ActionDecided decided = awaitDecision(second.getEventId(), 1).get(0);
    assertThat(decided.getDecision()).isEqualTo(ActionDecision.BLOCK);
    assertThat(decided.getRuleIds()).containsExactly(ruleId);
    // The count includes the action being decided.
    assertThat(decided.getSignals()).containsEntry("actions.PT1H", "2");

    // And once the rule is the one seen last, the read alongside the rules answers it.
    ActionTracked third = tracked(user, action, "dev-1", Map.of());
    produce(third);
    ActionDecided again = awaitDecision(third.getEventId(), 1).get(0);
    assertThat(again.getDecision()).isEqualTo(ActionDecision.BLOCK);
    assertThat(again.getSignals()).containsEntry("actions.PT1H", "3");
  }

  @Test
  void newDeviceVelocityAndFailureSignalsAreLearntFromTheEventStream() {
    String action = "sig" + suffix();
    String user = "usr-" + suffix();
    String base = "/v1/management/actions/" + action + "/rules";
    manage(
        "POST",
        base,
        Map.of(
            "name",
            "Failures",
            "priority",
            1,
            "outcome",
            "BLOCK",
            "condition",
            Map.of(
                "type", "failedVerifications", "window", "PT1H", "operator", "gte", "value", 2)));
    manage(
        "POST",
        base,
        Map.of(
            "name",
            "Burst",
            "priority",
            2,
            "outcome",
            "REVIEW",
            "condition",
            Map.of("type", "velocity", "window", "PT1H", "operator", "gte", "value", 3)));
    manage(
        "POST",
        base,
        Map.of(
            "name",
            "New device",
            "priority",
            3,
            "outcome",
            "CHALLENGE",
            "condition",
            Map.of("type", "newDevice")));
    manage(
        "POST",
        base,
        Map.of(
            "name",
            "Known",
            "priority",
            4,
            "outcome",
            "ALLOW",
            "condition",
            Map.of("type", "not", "condition", Map.of("type", "newDevice"))));

    ActionDecided one = decide(tracked(user, action, "dev-1", Map.of()));
    assertThat(one.getRules().get(0).getName()).isEqualTo("New device");
    assertThat(one.getSignals()).containsEntry("newDevice", "true");
    ActionDecided two = decide(tracked(user, action, "dev-1", Map.of()));
    assertThat(two.getRules().get(0).getName()).isEqualTo("Known");
    ActionDecided three = decide(tracked(user, action, "dev-1", Map.of()));
    assertThat(three.getRules().get(0).getName()).isEqualTo("Burst");
    assertThat(three.getSignals()).containsEntry("actions.PT1H", "3");

    ChallengeVerificationFailed failure = failure(user);
    produceFailure(failure);
    produceFailure(failure); // a redelivery counts once
    produceFailure(failure(user));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Reply dry =
                  manage(
                      "POST",
                      "/v1/management/actions/" + action + "/dry-run",
                      Map.of(
                          "attributes",
                          Map.of("userId", user, "deviceId", "dev-1", "isEnrolled", true)));
              assertThat(dry.body().path("signals").path("failedVerifications.PT1H").asText())
                  .isEqualTo("2");
              assertThat(dry.body().path("ruleIds").get(0).asText()).isNotEmpty();
            });
    ActionDecided four = decide(tracked(user, action, "dev-1", Map.of()));
    assertThat(four.getRules().get(0).getName()).isEqualTo("Failures");
  }

  @Test
  void failedDeliveriesAreLearntFromSmsEventsOnceEachAndDecide() {
    String action = "sms" + suffix();
    String user = "usr-" + suffix();
    manage(
        "POST",
        "/v1/management/actions/" + action + "/rules",
        Map.of(
            "name",
            "Undeliverable",
            "outcome",
            "REVIEW",
            "condition",
            Map.of("type", "failedDeliveries", "window", "P1D", "operator", "gte", "value", 2)));

    SmsDispatchFailed failed =
        SmsDispatchFailed.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setChallengeId("ch_" + suffix())
            .setUserId(user)
            .setReason(SmsFailureReason.BARRED)
            .build();
    send(Topics.SMS_DISPATCH_FAILED.name(), failed.getChallengeId(), failed);
    send(Topics.SMS_DISPATCH_FAILED.name(), failed.getChallengeId(), failed); // redelivery
    // A forged requested event the dispatcher refused is no failed delivery of the user's.
    send(
        Topics.SMS_DISPATCH_FAILED.name(),
        failed.getChallengeId(),
        SmsDispatchFailed.newBuilder(failed)
            .setEventId(UUID.randomUUID().toString())
            .setReason(SmsFailureReason.TAMPERED)
            .build());
    // Nor is a fallback of a sent SMS that could not go out: its failed receipt, if any, counts.
    send(
        Topics.SMS_DISPATCH_FAILED.name(),
        failed.getChallengeId(),
        SmsDispatchFailed.newBuilder(failed)
            .setEventId(UUID.randomUUID().toString())
            .setReason(SmsFailureReason.FALLBACKS_EXHAUSTED)
            .setFallback(2)
            .setFallbackReason("DELIVERY_FAILED")
            .build());
    send(Topics.SMS_DELIVERY_REPORTED.name(), "ch", receipt(user, DeliveryStatus.DELIVERED));
    send(Topics.SMS_DELIVERY_REPORTED.name(), "ch", receipt(null, DeliveryStatus.FAILED));
    // A marker behind the redelivery on the same (single-partition) topic: once it is recorded,
    // the redelivery has been processed too.
    String marker = "usr-marker-" + suffix();
    SmsDispatchFailed markerFailure =
        SmsDispatchFailed.newBuilder(failed)
            .setEventId(UUID.randomUUID().toString())
            .setUserId(marker)
            .build();
    send(Topics.SMS_DISPATCH_FAILED.name(), failed.getChallengeId(), markerFailure);
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(marker) == 1);
    assertThat(deliveries(user)).isEqualTo(1);
    ActionDecided one = decide(tracked(user, action, "dev-1", Map.of()));
    assertThat(one.getDefaultOutcome()).isTrue();
    assertThat(one.getSignals()).containsEntry("failedDeliveries.PT24H", "1");

    send(Topics.SMS_DELIVERY_REPORTED.name(), "ch", receipt(user, DeliveryStatus.EXPIRED));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Reply dry =
                  manage(
                      "POST",
                      "/v1/management/actions/" + action + "/dry-run",
                      Map.of("attributes", Map.of("userId", user, "isEnrolled", true)));
              assertThat(dry.body().path("signals").path("failedDeliveries.PT24H").asText())
                  .isEqualTo("2");
            });
    ActionDecided two = decide(tracked(user, action, "dev-1", Map.of()));
    assertThat(two.getDecision()).isEqualTo(ActionDecision.REVIEW);
    assertThat(two.getRules().get(0).getName()).isEqualTo("Undeliverable");
  }

  long deliveries(String user) {
    return mongo
        .count(
            org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("userId").is(user)),
            "signal_deliveries")
        .block();
  }

  static SmsDeliveryReported receipt(String user, DeliveryStatus status) {
    return SmsDeliveryReported.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setChallengeId("ch_" + suffix())
        .setUserId(user)
        .setStatus(status)
        .setFinalStatus(true)
        .build();
  }

  @Test
  void aPoisonPillGoesToTheDeadLetterTopicAndDecisionsContinue() {
    byte[] garbage = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(
          new ProducerRecord<>(Topics.ACTION_TRACKED.name(), "poison".getBytes(), garbage));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(readRaw(Topics.dlt(Topics.ACTION_TRACKED.name())))
                    .anySatisfy(v -> assertThat(v).isEqualTo(garbage)));
    ActionDecided after = decide(tracked("usr-" + suffix(), "after" + suffix(), null, Map.of()));
    assertThat(after.getDecision()).isEqualTo(ActionDecision.CHALLENGE);
  }

  @Test
  void retentionDeletesSignalsOlderThanTheLongestWindowAndKeepsRecentOnes() {
    String user = "usr-" + suffix();
    java.util.Date old = java.util.Date.from(Instant.now().minus(Duration.ofDays(40)));
    java.util.Date recent = java.util.Date.from(Instant.now().minus(Duration.ofDays(1)));
    mongo
        .insert(
            new Document("_id", "old-" + user).append("userId", user).append("at", old),
            "signal_actions")
        .block();
    mongo
        .insert(
            new Document("_id", "new-" + user).append("userId", user).append("at", recent),
            "signal_actions")
        .block();
    mongo
        .insert(
            new Document("_id", "oldf-" + user).append("userId", user).append("at", old),
            "signal_challenges")
        .block();

    assertThat(retention.prune().block()).isGreaterThanOrEqualTo(2L);

    assertThat(mongo.findById("old-" + user, Document.class, "signal_actions").block()).isNull();
    assertThat(mongo.findById("oldf-" + user, Document.class, "signal_challenges").block())
        .isNull();
    assertThat(mongo.findById("new-" + user, Document.class, "signal_actions").block()).isNotNull();
  }

  // ---- helpers --------------------------------------------------------------------------------

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static Map<String, Object> ipIn(String range) {
    return Map.of("type", "ipAddress", "in", List.of(range));
  }

  static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(base);
    out.put(key, value);
    return out;
  }

  // ---- request bodies that try to break the management API ---------------------------------

  static final String VALID_CONDITION = "\"condition\":{\"type\":\"newDevice\"}";
  static final String OUTCOMES = " must be one of ALLOW, BLOCK, CHALLENGE, REVIEW.";

  @Test
  void ruleBodiesRefuseEveryWrongTypeWithTheFieldNamed() {
    String rules = "/v1/management/actions/bodies" + suffix() + "/rules";
    SoftAssertions soft = new SoftAssertions();
    for (String[] c :
        new String[][] {
          {"\"name\":5", "name must be a string."},
          {"\"name\":[\"x\"]", "name must be a string."},
          {"\"name\":{\"x\":1}", "name must be a string."},
          {"\"name\":true", "name must be a string."},
          {"\"name\":null", "name is required."},
          {"\"name\":\"  \"", "name must not be blank."},
          {"\"name\":\"" + "n".repeat(101) + "\"", "name is longer than 100 characters."},
          {"\"name\":\"x\",\"description\":5", "description must be a string."},
          {"\"name\":\"x\",\"description\":[]", "description must be a string."},
          {"\"name\":\"x\",\"priority\":\"1\"", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":1.5", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":[1]", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":-1", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":1000001", "priority must be an integer from 0 to 1000000."},
          {
            "\"name\":\"x\",\"priority\":9999999999",
            "priority must be an integer from 0 to 1000000."
          },
          {"\"name\":\"x\",\"enabled\":\"true\"", "enabled must be a boolean."},
          {"\"name\":\"x\",\"enabled\":1", "enabled must be a boolean."},
          {"\"name\":\"x\",\"enabled\":{}", "enabled must be a boolean."},
        }) {
      expect(
          soft,
          "POST",
          rules,
          "{" + c[0] + ",\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}",
          c[1]);
    }
    for (String[] c :
        new String[][] {
          {"\"outcome\":5", "outcome" + OUTCOMES},
          {"\"outcome\":\"allow\"", "outcome" + OUTCOMES},
          {"\"outcome\":[\"ALLOW\"]", "outcome" + OUTCOMES},
          {"\"outcome\":null", "outcome is required."},
        }) {
      expect(soft, "POST", rules, "{\"name\":\"x\"," + c[0] + "," + VALID_CONDITION + "}", c[1]);
    }
    String named = "{\"name\":\"x\",\"outcome\":\"BLOCK\"";
    expect(soft, "POST", rules, named + "}", "condition is required.");
    expect(soft, "POST", rules, named + ",\"condition\":null}", "condition must be an object");
    expect(soft, "POST", rules, named + ",\"condition\":\"x\"}", "condition must be an object");
    expect(soft, "POST", rules, named + ",\"condition\":[]}", "condition must be an object");
    expect(
        soft,
        "POST",
        rules,
        named + ",\"condition\":{\"type\":5}}",
        "condition.type is required and must be a string");
    expect(
        soft,
        "POST",
        rules,
        named + "," + VALID_CONDITION + ",\"colour\":\"red\"}",
        "colour is not a known field.");
    expect(
        soft,
        "POST",
        rules,
        named + "," + VALID_CONDITION + ",\"" + "k".repeat(50) + "\":1}",
        "k".repeat(40) + "… is not a known field.");
    soft.assertAll();
  }

  @Test
  void conditionsNestedOrSizedPastTheirLimitsAreRefusedClearly() {
    String rules = "/v1/management/actions/deep" + suffix() + "/rules";
    String named = "{\"name\":\"x\",\"outcome\":\"BLOCK\",\"condition\":";
    SoftAssertions soft = new SoftAssertions();
    expect(
        soft,
        "POST",
        rules,
        named + nots(9) + "}",
        "condition" + ".condition".repeat(8) + " conditions are nested deeper than 8 levels");
    // Deep, but well within what the parser reads: refused at the ninth level, not evaluated.
    expect(
        soft,
        "POST",
        rules,
        named + nots(400) + "}",
        "condition" + ".condition".repeat(8) + " conditions are nested deeper than 8 levels");
    StringBuilder many = new StringBuilder("{\"type\":\"any\",\"conditions\":[");
    for (int i = 0; i < 101; i++) {
      many.append(i == 0 ? "" : ",").append("{\"type\":\"newDevice\"}");
    }
    expect(
        soft,
        "POST",
        rules,
        named + many + "]}}",
        "condition.conditions[99] a rule has at most 100 conditions");
    // Nested far past the parser's depth limit (but under the body size limit): a clean 400.
    Reply deep = json("POST", rules, named + "[".repeat(20_000) + "]".repeat(20_000) + "}");
    soft.assertThat(deep.status()).as(deep.body().toString()).isEqualTo(400);
    soft.assertThat(deep.body().path("error").asText()).isEqualTo("invalid_request");
    soft.assertThat(deep.body().path("errorDescription").asText())
        .isEqualTo("The request body is not valid JSON for this endpoint.");
    Reply deepDryRun =
        json(
            "POST",
            rules.replace("/rules", "/dry-run"),
            "{\"attributes\":{\"custom\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001));
    soft.assertThat(deepDryRun.status()).as(deepDryRun.body().toString()).isEqualTo(400);
    soft.assertThat(deepDryRun.body().path("error").asText()).isEqualTo("invalid_request");
    soft.assertAll();
  }

  @Test
  void wholeBodiesOfTheWrongShapeAreRefused() {
    String rules = "/v1/management/actions/shape" + suffix() + "/rules";
    SoftAssertions soft = new SoftAssertions();
    for (String body : new String[] {"[]", "\"x\"", "5", "true", "{\"name\":", "{} {}"}) {
      Reply reply = json("POST", rules, body);
      soft.assertThat(reply.status()).as(body + " " + reply.body()).isEqualTo(400);
      soft.assertThat(reply.body().path("errorDescription").asText())
          .as(body)
          .isEqualTo("The request body is not valid JSON for this endpoint.");
    }
    soft.assertAll();
  }

  /**
   * A member sent twice is read one way: every occurrence must have the member's type, and the last
   * one is the value (the one the service stores and answers with).
   */
  @Test
  void aDuplicateMemberIsTypeCheckedEveryTimeAndTheLastOneCounts() {
    String rules = "/v1/management/actions/dup" + suffix() + "/rules";
    Reply mistyped =
        json(
            "POST",
            rules,
            "{\"name\":5,\"name\":\"second\",\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}");
    assertThat(error(mistyped)).isEqualTo("name must be a string.");

    Reply twice =
        json(
            "POST",
            rules,
            "{\"name\":\"first\",\"name\":\"second\",\"outcome\":\"BLOCK\","
                + VALID_CONDITION
                + "}");
    assertThat(twice.status()).as(twice.body().toString()).isEqualTo(201);
    assertThat(twice.body().path("name").asText()).isEqualTo("second");
    assertThat(
            json("GET", rules + "/" + twice.body().path("ruleId").asText(), null)
                .body()
                .path("name")
                .asText())
        .isEqualTo("second");
  }

  @Test
  void defaultsPatchAndOrderBodiesRefuseWrongTypes() {
    String action = "/v1/management/actions/edit" + suffix();
    Reply created =
        json(
            "POST",
            action + "/rules",
            "{\"name\":\"x\",\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String rule = action + "/rules/" + created.body().path("ruleId").asText();
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "PUT", action + "/defaults", "{\"enrolled\":5}", "enrolled" + OUTCOMES);
    expect(soft, "PUT", action + "/defaults", "{\"unenrolled\":[]}", "unenrolled" + OUTCOMES);
    expect(soft, "PUT", action + "/defaults", "{\"other\":1}", "other is not a known field.");
    expect(soft, "PATCH", rule, "{}", "Send enabled, priority or both.");
    expect(soft, "PATCH", rule, "{\"enabled\":null}", "Send enabled, priority or both.");
    expect(soft, "PATCH", rule, "{\"enabled\":\"yes\"}", "enabled must be a boolean.");
    expect(soft, "PATCH", rule, "{\"enabled\":0}", "enabled must be a boolean.");
    expect(
        soft,
        "PATCH",
        rule,
        "{\"priority\":\"5\"}",
        "priority must be an integer from 0 to 1000000.");
    expect(soft, "PATCH", rule, "{\"name\":\"y\"}", "name is not a known field.");
    expect(
        soft,
        "PUT",
        rule,
        "{\"name\":5,\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}",
        "name must be a string.");
    String order = action + "/rules/order";
    for (String body :
        new String[] {"{}", "{\"ruleIds\":null}", "{\"ruleIds\":\"x\"}", "{\"ruleIds\":[1]}"}) {
      expect(soft, "PUT", order, body, "ruleIds must be an array of rule ids.");
    }
    expect(soft, "PUT", order, "{\"ruleIds\":[],\"x\":1}", "x is not a known field.");
    expect(
        soft,
        "PUT",
        order,
        "{\"ruleIds\":[]}",
        "ruleIds must list every rule of the action exactly once.");
    soft.assertAll();
  }

  @Test
  void dryRunBodiesRefuseWrongTypesWithThePathNamed() {
    String dryRun = "/v1/management/actions/try" + suffix() + "/dry-run";
    SoftAssertions soft = new SoftAssertions();
    for (String[] c :
        new String[][] {
          {"{\"bogus\":1}", "bogus is not a known field."},
          {"{\"attributes\":5}", "attributes must be an object."},
          {"{\"attributes\":[]}", "attributes must be an object."},
          {"{\"attributes\":{\"zip\":1}}", "attributes.zip is not a known field."},
          {"{\"attributes\":{\"userId\":5}}", "attributes.userId must be a string."},
          {"{\"attributes\":{\"ipAddress\":[]}}", "attributes.ipAddress must be a string."},
          {"{\"attributes\":{\"userAgent\":{}}}", "attributes.userAgent must be a string."},
          {"{\"attributes\":{\"deviceId\":true}}", "attributes.deviceId must be a string."},
          {"{\"attributes\":{\"phoneCountry\":1}}", "attributes.phoneCountry must be a string."},
          {
            "{\"attributes\":{\"phoneCountry\":\"GBR\"}}",
            "attributes.phoneCountry is longer than 2 characters."
          },
          {
            "{\"attributes\":{\"isEnrolled\":\"true\"}}", "attributes.isEnrolled must be a boolean."
          },
          {"{\"attributes\":{\"custom\":5}}", "attributes.custom must be an object."},
          {"{\"attributes\":{\"custom\":[]}}", "attributes.custom must be an object."},
          {
            "{\"attributes\":{\"custom\":{\"a\":[1]}}}",
            "attributes.custom.a must be a string, number, boolean or null."
          },
          {
            "{\"attributes\":{\"custom\":{\"a\":{}}}}",
            "attributes.custom.a must be a string, number, boolean or null."
          },
          {"{\"at\":5}", "at must be a string."},
          {"{\"at\":\"yesterday\"}", "at must be an ISO-8601 instant, like 2026-11-25T18:00:00Z."},
          {"{\"signals\":[]}", "signals must be an object."},
          {"{\"signals\":{\"x\":1}}", "signals.x is not a known field."},
          {"{\"signals\":{\"deviceSeenBefore\":1}}", "signals.deviceSeenBefore must be a boolean."},
          {"{\"signals\":{\"actions\":-1}}", "signals.actions must be a non-negative integer."},
          {
            "{\"signals\":{\"failedVerifications\":\"1\"}}",
            "signals.failedVerifications must be a non-negative integer."
          },
          {
            "{\"signals\":{\"failedDeliveries\":1.5}}",
            "signals.failedDeliveries must be a non-negative integer."
          },
          {"{\"rules\":{}}", "rules must be an array of at most 100 rules."},
          {"{\"rules\":5}", "rules must be an array of at most 100 rules."},
          {"{\"rules\":[5]}", "rules[0] must be an object."},
          {
            "{\"rules\":[{\"name\":5,\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}]}",
            "name must be a string."
          },
          {"{\"defaults\":5}", "defaults must be an object."},
          {"{\"defaults\":{\"enrolled\":\"NO\"}}", "enrolled" + OUTCOMES},
        }) {
      expect(soft, "POST", dryRun, c[0], c[1]);
    }
    StringBuilder custom = new StringBuilder("{\"attributes\":{\"custom\":{");
    for (int i = 0; i < 101; i++) {
      custom.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    expect(soft, "POST", dryRun, custom + "}}}", "attributes.custom has more than 100 keys.");
    Reply empty = json("POST", dryRun, "{\"attributes\":null,\"rules\":null,\"signals\":null}");
    soft.assertThat(empty.status()).as(empty.body().toString()).isEqualTo(200);
    soft.assertAll();
  }

  private void expect(SoftAssertions soft, String method, String path, String body, String text) {
    Reply reply = json(method, path, body);
    soft.assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
    soft.assertThat(reply.body().path("error").asText()).as(body).isEqualTo("invalid_request");
    soft.assertThat(reply.body().path("errorDescription").asText()).as(body).isEqualTo(text);
  }

  private static String nots(int depth) {
    return "{\"type\":\"not\",\"condition\":".repeat(depth)
        + "{\"type\":\"newDevice\"}"
        + "}".repeat(depth);
  }

  /** A request with a JSON body (or none), with the management secret. */
  private Reply json(String method, String path, String body) {
    return raw(method, path, body, "application/json");
  }

  static List<String> ids(Reply reply) {
    List<String> out = new ArrayList<>();
    reply.body().path("rules").forEach(r -> out.add(r.path("ruleId").asText()));
    return out;
  }

  static String error(Reply reply) {
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().path("error").asText()).isEqualTo("invalid_request");
    return reply.body().path("errorDescription").asText();
  }

  Reply manage(String method, String path, Object body) {
    try {
      return call(
          method, path, body == null ? null : JSON.writeValueAsString(body), "Bearer " + SECRET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Reply raw(String method, String path, String body, String contentType) {
    return send(method, path, body, "Bearer " + SECRET, contentType);
  }

  Reply call(String method, String path, String body, String authorization) {
    return send(method, path, body, authorization, "application/json");
  }

  Reply send(String method, String path, String body, String authorization, String contentType) {
    return ServiceHttp.call(port, method, path, authorization, contentType, body);
  }

  static ActionTracked tracked(
      String user, String action, String deviceId, Map<String, Object> custom) {
    return ActionTracked.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("req-" + suffix())
        .setUserId(user)
        .setActionCode(action)
        .setIdempotencyKey(UUID.randomUUID().toString())
        .setReplyTo("instance-a")
        .setDecisionDeadline(Instant.now().plusSeconds(1))
        .setIpAddress("203.0.113.7")
        .setUserAgent("it")
        .setDeviceId(deviceId)
        .setCustom(new java.util.HashMap<>(custom))
        .setIsEnrolled(true)
        .setEnrolledVerificationMethods(List.of("SMS"))
        .setPhoneCountryCode("GB")
        .build();
  }

  static ChallengeVerificationFailed failure(String user) {
    return ChallengeVerificationFailed.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setCorrelationId("req-" + suffix())
        .setChallengeId("ch_" + suffix())
        .setUserId(user)
        .setAction("pay")
        .setIdempotencyKey(null)
        .setVerificationMethod(VerificationMethod.SMS)
        .setPurpose(ChallengePurpose.ACTION)
        .setPhoneNumberMasked("+44*******0123")
        .setCountryCode("GB")
        .setReason(VerificationFailureReason.CODE_INVALID_OR_EXPIRED)
        .setFailedAttempts(1)
        .setMaxAttempts(5)
        .setConsecutiveFailures(1)
        .setTerminal(false)
        .setSendCount(1)
        .setUserAuthenticatorId(null)
        .build();
  }

  ActionDecided decide(ActionTracked tracked) {
    produce(tracked);
    return awaitDecision(tracked.getEventId(), 1).get(0);
  }

  static void produce(ActionTracked tracked) {
    send(Topics.ACTION_TRACKED.name(), tracked.getUserId(), tracked);
  }

  static void produceFailure(ChallengeVerificationFailed failed) {
    send(Topics.CHALLENGE_VERIFICATION_FAILED.name(), failed.getChallengeId(), failed);
  }

  static void send(String topic, String key, Object value) {
    try (KafkaProducer<String, Object> producer = STACK.avroProducer()) {
      producer.send(new ProducerRecord<>(topic, key, value));
    }
  }

  static List<ActionDecided> awaitDecision(String requestEventId, int count) {
    List<ActionDecided> found = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              found.clear();
              for (ConsumerRecord<String, Object> r : DECIDED.all()) {
                ActionDecided d = (ActionDecided) r.value();
                if (d.getRequestEventId().equals(requestEventId)) {
                  assertThat(r.key()).isEqualTo(d.getUserId());
                  found.add(d);
                }
              }
              return found.size() >= count;
            });
    return List.copyOf(found);
  }

  static List<byte[]> readRaw(String topic) {
    List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = STACK.bytesConsumer("rules-it-raw")) {
      consumer.subscribe(List.of(topic));
      long end = System.currentTimeMillis() + 2000;
      while (System.currentTimeMillis() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }
}
