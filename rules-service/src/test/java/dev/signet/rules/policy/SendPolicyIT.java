package dev.signet.rules.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.policy.BlockedDestination;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.testsupport.EventLog;
import dev.signet.testsupport.ServiceHttp;
import dev.signet.testsupport.ServiceHttp.Reply;
import dev.signet.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The send policy as rules-service runs it: against an in-memory MongoDB-wire server, an in-JVM
 * KRaft broker and the in-test registry. The management API changes the policy; every version is
 * read back from the compacted topic with the project's serde; the pumping guard is fed with the
 * events the other services publish.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SendPolicyIT {

  static final String SECRET = "policy-it-secret";
  static final ObjectMapper JSON = new ObjectMapper();
  static final TestStack STACK =
      TestStack.start(
          1,
          Topics.CHALLENGE_REQUESTED.name(),
          Topics.CHALLENGE_VERIFIED.name(),
          Topics.SMS_DISPATCHED.name());
  static final EventLog POLICIES = STACK.eventLog("policy-it", List.of(Topics.SEND_POLICY.name()));

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-policy-it");
    registry.add("signet.rules.management-secret", () -> SECRET);
    registry.add("signet.rules.send-policy.allowed-countries", () -> "GB,FR,DE");
    registry.add("signet.rules.send-policy.per-number.max-count", () -> "6");
  }

  @AfterAll
  static void stop() {
    POLICIES.close();
  }

  // ---- the policy and its topic ---------------------------------------------------------------

  @Test
  void theConfiguredPolicyIsPublishedOnFirstStartKeyedByPolicyId() {
    ConsumerRecord<String, Object> first =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> POLICIES.all().stream().filter(r -> policy(r).getVersion() == 1).findFirst(),
                Optional::isPresent)
            .get();
    assertThat(first.key()).isEqualTo("global");
    SendPolicyUpdated v1 = policy(first);
    assertThat(v1.getPolicyId()).isEqualTo("global");
    assertThat(v1.getAllowedCountries()).containsExactly("DE", "FR", "GB");
    assertThat(v1.getPerNumber().getMaxCount()).isEqualTo(6);
    assertThat(v1.getPerNumber().getWindowSeconds()).isEqualTo(600);
    assertThat(v1.getUpdatedBy()).isEqualTo("configuration");
    assertThat(manage("GET", "/v1/management/send-policy", null).body().path("version").asLong())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void settingsAreReplacedAndPatchedEachChangeIsANewPublishedVersion() {
    Reply before = manage("GET", "/v1/management/send-policy", null);
    long version = before.body().path("version").asLong();

    Map<String, Object> all = new LinkedHashMap<>();
    all.put("allowedCountries", List.of("GB", "FR", "DE", "US"));
    all.put("shadowMode", false);
    all.put("perNumber", Map.of("maxCount", 6, "windowSeconds", 600));
    all.put("perPrefix", Map.of("maxCount", 0, "windowSeconds", 600));
    all.put("perCountry", Map.of("maxCount", 0, "windowSeconds", 3600));
    all.put("dailyGlobalBudget", 50000);
    all.put("minConversionRate", 0.0);
    all.put("conversionMinVolume", 20);
    all.put("conversionWindowSeconds", 3600);
    all.put("autoBlockSeconds", 3600);
    Reply replaced = manage("PUT", "/v1/management/send-policy", all);
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.body().path("version").asLong()).isEqualTo(version + 1);
    assertThat(replaced.body().path("dailyGlobalBudget").asLong()).isEqualTo(50000);

    Reply patched =
        manage("PATCH", "/v1/management/send-policy", Map.of("allowedCountries", List.of("GB")));
    assertThat(patched.body().path("version").asLong()).isEqualTo(version + 2);
    assertThat(patched.body().path("allowedCountries").toString()).isEqualTo("[\"GB\"]");
    assertThat(patched.body().path("dailyGlobalBudget").asLong()).isEqualTo(50000);

    // The same settings again change nothing: no new version.
    Reply same =
        manage("PATCH", "/v1/management/send-policy", Map.of("allowedCountries", List.of("GB")));
    assertThat(same.body().path("version").asLong()).isEqualTo(version + 2);

    SendPolicyUpdated published = awaitVersion(version + 2);
    assertThat(published.getAllowedCountries()).containsExactly("GB");
    assertThat(published.getDailyGlobalBudget()).isEqualTo(50000L);
    assertThat(published.getConversionMinVolume()).isEqualTo(20);

    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of("allowedCountries", List.of("GB", "FR", "DE")));
  }

  @Test
  void badSettingsAreRefusedWithTheFieldNamedAndChangeNothing() {
    long version =
        manage("GET", "/v1/management/send-policy", null).body().path("version").asLong();
    String path = "/v1/management/send-policy";

    assertThat(error(manage("PATCH", path, Map.of("colour", "red"))))
        .contains("colour is not a known field");
    assertThat(error(manage("PATCH", path, Map.of()))).contains("at least one setting");
    assertThat(error(manage("PUT", path, Map.of("shadowMode", true)))).contains("is required");
    assertThat(error(manage("PATCH", path, Map.of("shadowMode", "yes"))))
        .contains("shadowMode must be a boolean");
    assertThat(error(manage("PATCH", path, Map.of("allowedCountries", List.of("gb")))))
        .contains("allowedCountries[0] must be an ISO 3166-1 alpha-2 region");
    assertThat(error(manage("PATCH", path, Map.of("allowedCountries", "GB"))))
        .contains("allowedCountries must be an array");
    assertThat(
            error(
                manage(
                    "PATCH",
                    path,
                    Map.of("perPrefix", Map.of("maxCount", -1, "windowSeconds", 60)))))
        .contains("perPrefix.maxCount must be an integer from 0");
    assertThat(
            error(
                manage(
                    "PATCH",
                    path,
                    Map.of("perPrefix", Map.of("maxCount", 5, "windowSeconds", "1m")))))
        .contains("perPrefix.windowSeconds must be an integer");
    assertThat(
            error(manage("PATCH", path, Map.of("perPrefix", Map.of("maxCount", 5, "window", 60)))))
        .contains("perPrefix.window is not a known field");
    assertThat(error(manage("PATCH", path, Map.of("perPrefix", Map.of("maxCount", 5)))))
        .contains("perPrefix needs maxCount and windowSeconds");
    assertThat(error(manage("PATCH", path, Map.of("minConversionRate", 1.5))))
        .contains("minConversionRate must be a number from 0 to 1");
    assertThat(error(manage("PATCH", path, Map.of("dailyGlobalBudget", 0))))
        .contains("dailyGlobalBudget must be an integer from 1");
    assertThat(error(manage("PATCH", path, Map.of("conversionWindowSeconds", 2.5))))
        .contains("conversionWindowSeconds must be an integer");
    assertThat(error(manage("PATCH", path, Map.of("blockedPrefixes", List.of()))))
        .contains("blockedPrefixes is not a known field");
    Reply notJson = raw("PATCH", path, "{\"shadowMode\":", "application/json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().path("error").asText()).isEqualTo("invalid_request");
    assertThat(raw("PATCH", path, "shadowMode=true", "text/plain").status()).isEqualTo(415);
    assertThat(call("GET", path, null, null).status()).isEqualTo(401);

    assertThat(manage("GET", path, null).body().path("version").asLong()).isEqualTo(version);
  }

  @Test
  void operatorsBlockAndLiftPrefixesAndCountries() {
    String prefix = "+4477" + digits(5);
    Reply blocked =
        manage(
            "POST",
            "/v1/management/send-policy/blocks",
            Map.of("kind", "prefix", "value", prefix, "reason", "fraud_report"));
    assertThat(blocked.status()).isEqualTo(200);
    JsonNode block = find(blocked.body().path("blockedPrefixes"), prefix);
    assertThat(block.path("reason").asText()).isEqualTo("fraud_report");
    assertThat(block.path("until").isNull()).isTrue();
    long version = blocked.body().path("version").asLong();
    SendPolicyUpdated published = awaitVersion(version);
    BlockedDestination onTopic =
        published.getBlockedPrefixes().stream()
            .filter(b -> b.getValue().equals(prefix))
            .findFirst()
            .orElseThrow();
    assertThat(onTopic.getUntil()).isEqualTo(Instant.EPOCH);

    Reply country =
        manage(
            "POST",
            "/v1/management/send-policy/blocks",
            Map.of(
                "kind",
                "country",
                "value",
                "DE",
                "until",
                Instant.now().plusSeconds(600).toString()));
    assertThat(find(country.body().path("blockedCountries"), "DE").path("until").isTextual())
        .isTrue();

    Reply lifted =
        manage(
            "DELETE", "/v1/management/send-policy/blocks/prefix/%2B" + prefix.substring(1), null);
    assertThat(lifted.status()).isEqualTo(200);
    assertThat(lifted.body().path("blockedPrefixes").toString()).doesNotContain(prefix);
    assertThat(awaitVersion(lifted.body().path("version").asLong()).getBlockedPrefixes())
        .noneMatch(b -> b.getValue().equals(prefix));
    assertThat(manage("DELETE", "/v1/management/send-policy/blocks/country/DE", null).status())
        .isEqualTo(200);
    assertThat(manage("DELETE", "/v1/management/send-policy/blocks/country/DE", null).status())
        .isEqualTo(404);

    String blocks = "/v1/management/send-policy/blocks";
    assertThat(error(manage("POST", blocks, Map.of("kind", "number", "value", "+447700900123"))))
        .contains("kind must be prefix or country");
    assertThat(error(manage("POST", blocks, Map.of("kind", "prefix", "value", "447700"))))
        .contains("value must be a prefix");
    assertThat(error(manage("POST", blocks, Map.of("kind", "country", "value", "XX"))))
        .contains("value must be an ISO 3166-1 alpha-2 region");
    assertThat(
            error(
                manage(
                    "POST",
                    blocks,
                    Map.of("kind", "country", "value", "GB", "until", "2001-01-01T00:00:00Z"))))
        .contains("until must be in the future");
    assertThat(error(manage("POST", blocks, Map.of("kind", "country", "value", "GB", "note", "x"))))
        .contains("note is not a known field");
    assertThat(manage("DELETE", blocks + "/planet/GB", null).status()).isEqualTo(400);
  }

  // ---- the automatic pumping guard ------------------------------------------------------------

  @Test
  void aBurstToOnePrefixBlocksItWhileOtherPrefixesAndRedeliveriesDoNot() {
    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of("perPrefix", Map.of("maxCount", 3, "windowSeconds", 600), "autoBlockSeconds", 900));
    String pumped = "+4477" + digits(5);
    String normal = "+4478" + digits(5);
    String redelivered = "+4479" + digits(5);

    ChallengeRequested again = requested(redelivered + "0001", "GB");
    for (int i = 0; i < 6; i++) {
      send(Topics.CHALLENGE_REQUESTED.name(), again.getChallengeId(), again);
    }
    for (int i = 0; i < 3; i++) {
      ChallengeRequested r = requested(normal + String.format("%04d", i), "GB");
      send(Topics.CHALLENGE_REQUESTED.name(), r.getChallengeId(), r);
    }
    for (int i = 0; i < 5; i++) {
      ChallengeRequested r = requested(pumped + String.format("%04d", i), "GB");
      send(Topics.CHALLENGE_REQUESTED.name(), r.getChallengeId(), r);
    }

    SendPolicyUpdated blocked =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> latest().filter(p -> hasPrefix(p, pumped)), Optional::isPresent)
            .get();
    BlockedDestination block =
        blocked.getBlockedPrefixes().stream()
            .filter(b -> b.getValue().equals(pumped))
            .findFirst()
            .orElseThrow();
    assertThat(block.getReason()).isEqualTo("prefix_velocity");
    assertThat(block.getUntil())
        .isBetween(Instant.now().plusSeconds(800), Instant.now().plusSeconds(901));
    assertThat(blocked.getUpdatedBy()).isEqualTo("rules-service");
    assertThat(blocked.getBlockedPrefixes()).noneMatch(b -> b.getValue().equals(normal));
    assertThat(blocked.getBlockedPrefixes()).noneMatch(b -> b.getValue().equals(redelivered));

    JsonNode detections = manage("GET", "/v1/management/send-policy/detections", null).body();
    JsonNode detection = find(detections.path("detections"), pumped);
    assertThat(detection.path("reason").asText()).isEqualTo("prefix_velocity");
    assertThat(detection.path("shadow").asBoolean()).isFalse();
    assertThat(detection.path("limit").asLong()).isEqualTo(3);

    // An operator lifts it: only traffic after the lift counts, so it stays lifted.
    manage("DELETE", "/v1/management/send-policy/blocks/prefix/" + pumped, null);
    ChallengeRequested after = requested(pumped + "0099", "GB");
    send(Topics.CHALLENGE_REQUESTED.name(), after.getChallengeId(), after);
    ChallengeRequested marker = requested("+4476" + digits(5) + "0000", "GB");
    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of("perPrefix", Map.of("maxCount", 0, "windowSeconds", 600)));
    long afterVersion =
        manage("GET", "/v1/management/send-policy", null).body().path("version").asLong();
    send(Topics.CHALLENGE_REQUESTED.name(), marker.getChallengeId(), marker);
    assertThat(awaitVersion(afterVersion).getBlockedPrefixes())
        .noneMatch(b -> b.getValue().equals(pumped));
  }

  @Test
  void aVelocityGuardSwitchedOnCountsTrafficFromThatMomentOnly() {
    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of(
            "perPrefix", Map.of("maxCount", 0, "windowSeconds", 600),
            "perCountry", Map.of("maxCount", 0, "windowSeconds", 600)));
    String prefix = "+4473" + digits(5);
    for (int i = 0; i < 5; i++) {
      ChallengeRequested r = requested(prefix + String.format("%04d", i), "GB");
      send(Topics.CHALLENGE_REQUESTED.name(), r.getChallengeId(), r);
    }
    awaitTrafficConsumed();
    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of("perPrefix", Map.of("maxCount", 3, "windowSeconds", 600)));
    try {
      for (int i = 5; i < 9; i++) {
        ChallengeRequested r = requested(prefix + String.format("%04d", i), "GB");
        send(Topics.CHALLENGE_REQUESTED.name(), r.getChallengeId(), r);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> latest().filter(p -> hasPrefix(p, prefix)), Optional::isPresent);
      JsonNode detection =
          find(
              manage("GET", "/v1/management/send-policy/detections", null)
                  .body()
                  .path("detections"),
              prefix);
      // The five sent while the guard was off are not counted: the fourth after it is the one over.
      assertThat(detection.path("observed").asLong()).isEqualTo(4);
    } finally {
      manage(
          "PATCH",
          "/v1/management/send-policy",
          Map.of("perPrefix", Map.of("maxCount", 0, "windowSeconds", 600)));
      manage("DELETE", "/v1/management/send-policy/blocks/prefix/" + prefix, null);
    }
  }

  /** Until the guard's consumer group has committed every record of the requested topic. */
  private static void awaitTrafficConsumed() {
    awaitTrafficConsumed(Topics.CHALLENGE_REQUESTED.name());
  }

  /** Until the guard's consumer group has committed every record of {@code topic}. */
  private static void awaitTrafficConsumed(String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", STACK.bootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin
                        .listConsumerGroupOffsets("rules-service-send-policy")
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                committed.keySet().stream()
                    .filter(tp -> tp.topic().equals(topic))
                    .forEach(tp -> ends.put(tp, OffsetSpec.latest()));
                if (ends.isEmpty()) {
                  return false;
                }
                return admin.listOffsets(ends).all().get().entrySet().stream()
                    .allMatch(e -> committed.get(e.getKey()).offset() >= e.getValue().offset());
              });
    }
  }

  @Test
  void aCountryWhoseConversionFallsBelowTheThresholdAtMinimumVolumeIsBlocked() {
    conversionBreakerOn();
    try {
      // FR: 1 verified of 4 sent (0.25); DE: 3 verified of 4 sent (0.75).
      for (int i = 0; i < 4; i++) {
        send(Topics.SMS_DISPATCHED.name(), "ch", dispatched("FR"));
        if (i < 3) {
          send(Topics.CHALLENGE_VERIFIED.name(), "ch", verified("DE"));
        }
        if (i < 1) {
          send(Topics.CHALLENGE_VERIFIED.name(), "ch", verified("FR"));
        }
      }
      for (int i = 0; i < 4; i++) {
        send(Topics.SMS_DISPATCHED.name(), "ch", dispatched("DE"));
      }
      SendPolicyUpdated blocked =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      latest()
                          .filter(
                              p ->
                                  p.getBlockedCountries().stream()
                                      .anyMatch(b -> b.getValue().equals("FR"))),
                  Optional::isPresent)
              .get();
      assertThat(
              blocked.getBlockedCountries().stream()
                  .filter(b -> b.getValue().equals("FR"))
                  .findFirst()
                  .orElseThrow()
                  .getReason())
          .isEqualTo("conversion_low");
      assertThat(blocked.getBlockedCountries()).noneMatch(b -> b.getValue().equals("DE"));
    } finally {
      conversionBreakerOff("FR");
    }
  }

  /**
   * A delivery-confirmed fallback re-sends an attempt already counted: counted again, it would
   * halve a country's conversion rate and block a country whose users are fine.
   */
  @Test
  void aFallbackSendIsNotCountedAgainstTheConversionRate() {
    conversionBreakerOn();
    try {
      // NL: 2 verified of 4 attempts (0.5, the threshold), each attempt sent once more.
      for (int i = 0; i < 2; i++) {
        send(Topics.CHALLENGE_VERIFIED.name(), "ch", verified("NL"));
      }
      awaitTrafficConsumed(Topics.CHALLENGE_VERIFIED.name());
      for (int i = 0; i < 4; i++) {
        send(Topics.SMS_DISPATCHED.name(), "ch", dispatched("NL"));
      }
      for (int i = 0; i < 4; i++) {
        SmsDispatched fallback = dispatched("NL");
        fallback.setFallback(1);
        fallback.setFallbackReason("NO_DELIVERY_IN_WINDOW");
        send(Topics.SMS_DISPATCHED.name(), "ch", fallback);
      }
      awaitTrafficConsumed(Topics.SMS_DISPATCHED.name());
      assertThat(
              manage("GET", "/v1/management/send-policy", null)
                  .body()
                  .path("blockedCountries")
                  .toString())
          .doesNotContain("NL");
    } finally {
      conversionBreakerOff("NL");
    }
  }

  /** The conversion breaker at half the sends verified, judged from 4 sends in an hour. */
  private void conversionBreakerOn() {
    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of(
            "minConversionRate", 0.5,
            "conversionMinVolume", 4,
            "conversionWindowSeconds", 3600));
  }

  /** The breaker off again, and the block it may have put on {@code country} lifted. */
  private void conversionBreakerOff(String country) {
    manage("PATCH", "/v1/management/send-policy", Map.of("minConversionRate", 0.0));
    manage("DELETE", "/v1/management/send-policy/blocks/country/" + country, null);
  }

  @Test
  void inShadowModeABurstIsReportedButNothingIsBlocked() {
    manage(
        "PATCH",
        "/v1/management/send-policy",
        Map.of("shadowMode", true, "perPrefix", Map.of("maxCount", 2, "windowSeconds", 600)));
    try {
      String prefix = "+4475" + digits(5);
      long version =
          manage("GET", "/v1/management/send-policy", null).body().path("version").asLong();
      for (int i = 0; i < 4; i++) {
        ChallengeRequested r = requested(prefix + String.format("%04d", i), "GB");
        send(Topics.CHALLENGE_REQUESTED.name(), r.getChallengeId(), r);
      }
      JsonNode detection =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      find(
                          manage("GET", "/v1/management/send-policy/detections", null)
                              .body()
                              .path("detections"),
                          prefix),
                  d -> !d.isMissingNode());
      assertThat(detection.path("shadow").asBoolean()).isTrue();
      assertThat(detection.path("observed").asLong()).isGreaterThan(2);
      Reply policy = manage("GET", "/v1/management/send-policy", null);
      assertThat(policy.body().path("version").asLong()).isEqualTo(version);
      assertThat(policy.body().path("blockedPrefixes").toString()).doesNotContain(prefix);
    } finally {
      manage(
          "PATCH",
          "/v1/management/send-policy",
          Map.of("shadowMode", false, "perPrefix", Map.of("maxCount", 0, "windowSeconds", 600)));
    }
  }

  @Test
  void theOpenApiDocumentDescribesTheSendPolicyApi() {
    JsonNode paths = call("GET", "/v3/api-docs", null, "Bearer " + SECRET).body().path("paths");
    assertThat(paths.has("/v1/management/send-policy")).isTrue();
    assertThat(paths.path("/v1/management/send-policy").has("put")).isTrue();
    assertThat(paths.path("/v1/management/send-policy").has("patch")).isTrue();
    assertThat(paths.has("/v1/management/send-policy/blocks")).isTrue();
    assertThat(paths.has("/v1/management/send-policy/blocks/{kind}/{value}")).isTrue();
    assertThat(paths.has("/v1/management/send-policy/detections")).isTrue();
  }

  // ---- helpers --------------------------------------------------------------------------------

  static String digits(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(ThreadLocalRandom.current().nextInt(10));
    }
    return out.toString();
  }

  static ChallengeRequested requested(String e164, String country) {
    return ChallengeRequested.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setChallengeId("ch_" + UUID.randomUUID())
        .setPhoneNumber(e164)
        .setCountryCode(country)
        .setAction("signIn")
        .build();
  }

  static SmsDispatched dispatched(String country) {
    return SmsDispatched.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setChallengeId("ch_" + UUID.randomUUID())
        .setCountryCode(country)
        .build();
  }

  static ChallengeVerified verified(String country) {
    return ChallengeVerified.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setChallengeId("ch_" + UUID.randomUUID())
        .setCountryCode(country)
        .build();
  }

  static boolean hasPrefix(SendPolicyUpdated p, String prefix) {
    return p.getBlockedPrefixes().stream().anyMatch(b -> b.getValue().equals(prefix));
  }

  static SendPolicyUpdated policy(ConsumerRecord<String, Object> r) {
    return (SendPolicyUpdated) r.value();
  }

  /** The highest version read from the topic so far. */
  static Optional<SendPolicyUpdated> latest() {
    return POLICIES.all().stream()
        .map(SendPolicyIT::policy)
        .max((a, b) -> Long.compare(a.getVersion(), b.getVersion()));
  }

  static SendPolicyUpdated awaitVersion(long version) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                POLICIES.all().stream()
                    .map(SendPolicyIT::policy)
                    .filter(p -> p.getVersion() == version)
                    .findFirst(),
            Optional::isPresent)
        .get();
  }

  // ---- request bodies that try to break the send-policy API ---------------------------------

  static final String POLICY = "/v1/management/send-policy";

  @Test
  void sendPolicyBodiesRefuseWrongTypesAndChangeNothing() {
    long version = json("GET", POLICY, null).body().path("version").asLong();
    String integer = " must be an integer from ";
    SoftAssertions soft = new SoftAssertions();
    for (String[] c :
        new String[][] {
          {"{}", "Send at least one setting to change."},
          {"{\"x\":1}", "x is not a known field."},
          {"{\"shadowMode\":null}", "shadowMode must be a boolean."},
          {"{\"shadowMode\":\"true\"}", "shadowMode must be a boolean."},
          {"{\"shadowMode\":1}", "shadowMode must be a boolean."},
          {"{\"allowedCountries\":\"GB\"}", "allowedCountries must be an array of region codes."},
          {"{\"allowedCountries\":null}", "allowedCountries must be an array of region codes."},
          {"{\"allowedCountries\":{}}", "allowedCountries must be an array of region codes."},
          {
            "{\"allowedCountries\":[\"GB\",5]}",
            "allowedCountries[1] must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB)."
          },
          {"{\"perNumber\":5}", "perNumber must be an object {maxCount, windowSeconds}."},
          {"{\"perPrefix\":null}", "perPrefix must be an object {maxCount, windowSeconds}."},
          {"{\"perCountry\":[]}", "perCountry must be an object {maxCount, windowSeconds}."},
          {"{\"perNumber\":{\"maxCount\":1}}", "perNumber needs maxCount and windowSeconds."},
          {
            "{\"perNumber\":{\"maxCount\":1,\"windowSeconds\":60,\"x\":1}}",
            "perNumber.x is not a known field."
          },
          {
            "{\"perNumber\":{\"maxCount\":null,\"windowSeconds\":60}}",
            "perNumber.maxCount" + integer + "0 to 100000000."
          },
          {
            "{\"perNumber\":{\"maxCount\":\"1\",\"windowSeconds\":60}}",
            "perNumber.maxCount" + integer + "0 to 100000000."
          },
          {
            "{\"perCountry\":{\"maxCount\":1,\"windowSeconds\":[60]}}",
            "perCountry.windowSeconds" + integer + "1 to 2592000."
          },
          {"{\"dailyGlobalBudget\":\"1\"}", "dailyGlobalBudget" + integer + "1 to 1000000000."},
          {"{\"dailyGlobalBudget\":1.0}", "dailyGlobalBudget" + integer + "1 to 1000000000."},
          {"{\"minConversionRate\":\"0.5\"}", "minConversionRate must be a number from 0 to 1."},
          {"{\"minConversionRate\":true}", "minConversionRate must be a number from 0 to 1."},
          {"{\"minConversionRate\":null}", "minConversionRate must be a number from 0 to 1."},
          {"{\"conversionMinVolume\":1.5}", "conversionMinVolume" + integer + "0 to 100000000."},
          {
            "{\"conversionWindowSeconds\":null}",
            "conversionWindowSeconds" + integer + "60 to 2592000."
          },
          {"{\"autoBlockSeconds\":[]}", "autoBlockSeconds" + integer + "60 to 2592000."},
        }) {
      expect(soft, "PATCH", POLICY, c[0], c[1]);
    }
    String blocks = POLICY + "/blocks";
    for (String[] c :
        new String[][] {
          {"{\"kind\":5,\"value\":\"GB\"}", "kind must be a string."},
          {"{\"value\":\"GB\"}", "kind is required."},
          {"{\"kind\":\"region\",\"value\":\"GB\"}", "kind must be prefix or country."},
          {"{\"kind\":\"country\"}", "value is required."},
          {"{\"kind\":\"country\",\"value\":[\"GB\"]}", "value must be a string."},
          {
            "{\"kind\":\"country\",\"value\":\"gb\"}",
            "value must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB)."
          },
          {"{\"kind\":\"country\",\"value\":\"GB\",\"reason\":5}", "reason must be a string."},
          {
            "{\"kind\":\"country\",\"value\":\"GB\",\"reason\":\"Bad\"}",
            "reason must match ^[a-z0-9_]{1,40}$."
          },
          {"{\"kind\":\"country\",\"value\":\"GB\",\"until\":5}", "until must be a string."},
          {
            "{\"kind\":\"country\",\"value\":\"GB\",\"until\":\"soon\"}",
            "until must be an ISO-8601 instant, like 2026-11-26T18:00:00Z."
          },
          {
            "{\"kind\":\"country\",\"value\":\"GB\",\"until\":\"2000-01-01T00:00:00Z\"}",
            "until must be in the future."
          },
          {"{\"kind\":\"country\",\"value\":\"GB\",\"note\":\"x\"}", "note is not a known field."},
        }) {
      expect(soft, "POST", blocks, c[0], c[1]);
    }
    soft.assertAll();
    assertThat(json("GET", POLICY, null).body().path("version").asLong()).isEqualTo(version);
  }

  @Test
  void aReplacedPolicyNamesTheFirstMissingSettingInTheDocumentedOrder() {
    Reply policy = json("GET", POLICY, null);
    var body = (com.fasterxml.jackson.databind.node.ObjectNode) policy.body().deepCopy();
    for (String view :
        new String[] {
          "policyId", "version", "blockedPrefixes", "blockedCountries", "updatedBy", "updatedAt"
        }) {
      body.remove(view);
    }
    Reply same = json("PUT", POLICY, body.toString());
    assertThat(same.status()).as(same.body().toString()).isEqualTo(200);
    assertThat(same.body().path("version").asLong())
        .isEqualTo(policy.body().path("version").asLong());
    body.remove("autoBlockSeconds");
    body.remove("perPrefix");
    assertThat(error(json("PUT", POLICY, body.toString())))
        .isEqualTo("perPrefix is required (PUT replaces every setting; PATCH changes some).");
  }

  @Test
  void routingRulesAreANewPolicyVersionPublishedWithThePolicy() {
    String path = "/v1/management/send-policy/routing";
    long version = manage("GET", path, null).body().path("version").asLong();
    Map<String, Object> rule =
        Map.of(
            "country",
            "DE",
            "routes",
            List.of(
                Map.of("provider", "vonage", "api", "sms", "weight", 100),
                Map.of("provider", "twilio", "api", "messaging", "sender", "+15551234567")));

    Reply replaced = manage("PUT", path, Map.of("rules", List.of(rule)));

    assertThat(replaced.status()).as(replaced.body().toString()).isEqualTo(200);
    assertThat(replaced.body().path("version").asLong()).isEqualTo(version + 1);
    assertThat(replaced.body().path("rules").get(0).path("country").asText()).isEqualTo("DE");
    assertThat(replaced.body().path("rules").get(0).path("channel").asText()).isEqualTo("SMS");
    // The same rules again: no new version.
    assertThat(manage("PUT", path, Map.of("rules", List.of(rule))).body().path("version").asLong())
        .isEqualTo(version + 1);
    SendPolicyUpdated published = awaitVersion(version + 1);
    assertThat(published.getRouting()).hasSize(1);
    var routes = published.getRouting().get(0).getRoutes();
    assertThat(routes)
        .extracting(r -> r.getProvider() + "-" + r.getApi())
        .containsExactly("vonage-sms", "twilio-messaging");
    assertThat(routes.get(0).getWeight()).isEqualTo(100);
    assertThat(routes.get(1).getSender()).isEqualTo("+15551234567");
    // Other changes of the policy keep the rules.
    manage("PATCH", "/v1/management/send-policy", Map.of("shadowMode", false));
    assertThat(manage("GET", path, null).body().path("rules")).hasSize(1);

    manage("PUT", path, Map.of("rules", List.of()));
    assertThat(manage("GET", path, null).body().path("rules")).isEmpty();
  }

  @Test
  void badRoutingRulesAreRefusedWithTheFieldNamedAndChangeNothing() {
    String path = "/v1/management/send-policy/routing";
    long version = manage("GET", path, null).body().path("version").asLong();
    Map<String, Object> vonage = Map.of("provider", "vonage", "api", "sms");
    SoftAssertions soft = new SoftAssertions();
    expect(
        soft,
        "PUT",
        path,
        "{}",
        "rules must be an array of at most 300 rules (empty: default routes).");
    expect(soft, "PUT", path, "{\"rules\":[],\"x\":1}", "x is not a known field.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"XX\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\"}]}]}",
        "rules[0].country must be an ISO 3166-1 alpha-2 region (GB) or * for every other region.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"channel\":\"MMS\",\"routes\":[]}]}",
        "rules[0].channel must be SMS or WHATSAPP.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[]}]}",
        "rules[0].routes must be an array of 1 to 5 routes, in failover order.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"sinch\",\"api\":\"sms\"}]}]}",
        "rules[0].routes[0].provider must be vonage or twilio.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"twilio\",\"api\":\"sms\"}]}]}",
        "rules[0].routes[0].api must be one of [messaging] for twilio.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"channel\":\"WHATSAPP\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\"}]}]}",
        "rules[0].routes[0]: vonage sms does not carry the WHATSAPP channel.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\"},{\"provider\":\"vonage\",\"api\":\"sms\"}]}]}",
        "rules[0].routes[1] repeats vonage sms.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\",\"weight\":101}]}]}",
        "rules[0].routes[0].weight must be an integer from 0 to 100.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\",\"weight\":2.5}]}]}",
        "rules[0].routes[0].weight must be an integer from 0 to 100.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\",\"sender\":\"A-very-long-sender\"}]}]}",
        "rules[0].routes[0].sender must be a phone number (E.164) or, for SMS, an alphanumeric id of 1 to 11 letters, digits and spaces; null uses the configured sender.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"GB\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\"}]},{\"country\":\"GB\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\"}]}]}",
        "rules[1] repeats country GB and channel SMS.");
    expect(
        soft,
        "PUT",
        path,
        "{\"rules\":[{\"country\":\"gb\",\"routes\":[{\"provider\":\"vonage\",\"api\":\"sms\"}]}]}",
        "rules[0].country must be an ISO 3166-1 alpha-2 region (GB) or * for every other region.");
    soft.assertAll();
    assertThat(
            manage(
                    "PUT",
                    path,
                    Map.of(
                        "rules",
                        List.of(
                            Map.of("country", "GB", "routes", List.of(vonage)),
                            Map.of("country", "*", "routes", List.of(vonage)))))
                .status())
        .isEqualTo(200);
    manage("PUT", path, Map.of("rules", List.of()));
    assertThat(call("PUT", path, "{\"rules\":[]}", null).status()).isEqualTo(401);
    assertThat(manage("GET", path, null).body().path("version").asLong()).isEqualTo(version + 2);
  }

  private void expect(SoftAssertions soft, String method, String path, String body, String text) {
    Reply reply = json(method, path, body);
    soft.assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
    soft.assertThat(reply.body().path("error").asText()).as(body).isEqualTo("invalid_request");
    soft.assertThat(reply.body().path("errorDescription").asText()).as(body).isEqualTo(text);
  }

  /** A request with a JSON body (or none), with the management secret. */
  private Reply json(String method, String path, String body) {
    return raw(method, path, body, "application/json");
  }

  static JsonNode find(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (n.path("value").asText().equals(value)) {
        return n;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static void send(String topic, String key, Object value) {
    try (KafkaProducer<String, Object> producer = STACK.avroProducer()) {
      producer.send(new ProducerRecord<>(topic, key, value));
    }
  }

  static String error(Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
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
}
