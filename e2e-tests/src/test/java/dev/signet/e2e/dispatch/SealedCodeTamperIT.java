package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.e2e.stack.SmsStore;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.serde.SignetAvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Someone who can produce to Kafka takes a victim's real {@code auth.challenge.requested.v1}
 * record, changes where or when the code goes, and publishes it again: the dispatcher must not text
 * the victim's live code anywhere. The sealed code is bound to the challenge id, the attempt, the
 * number, the channel and the expiry, so each forgery is refused without an SMS, recorded as a
 * TAMPERED dispatch failure, and shown by audit-service with the CRITICAL severity. All Kafka
 * access goes through {@link RawKafka}: this test builds no client of its own.
 */
class SealedCodeTamperIT {

  private static final String REQUESTED = "auth.challenge.requested.v1";
  private static RunningStack stack;
  private static RawKafka kafka;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    kafka = new RawKafka(stack);
  }

  @Test
  void aRepublishedRequestedEventWithAnotherNumberAttemptOrExpirySendsNothing() {
    String victim = Sandbox.freshPhoneNumber();
    String challengeId = challenge(victim);
    Sandbox sandbox = new Sandbox(stack, http);
    sandbox.awaitCode(victim, 1);
    ConsumerRecord<byte[], byte[]> original = kafka.read(REQUESTED, challengeId).get(0);
    ChallengeRequested genuine = (ChallengeRequested) RawKafka.decode(stack, original);

    String attackerSameAttempt = Sandbox.freshPhoneNumber();
    String attackerNewAttempt = Sandbox.freshPhoneNumber();
    List<RecordMetadata> written = new ArrayList<>();
    // The number changed, the attempt kept.
    written.add(republish(original, genuine, e -> e.setPhoneNumber(attackerSameAttempt)));
    // The number changed and a fresh attempt, so no earlier claim stands in the way.
    written.add(
        republish(
            original,
            genuine,
            e -> {
              e.setPhoneNumber(attackerNewAttempt);
              e.setAttempt(genuine.getAttempt() + 7);
            }));
    // The victim's own number, a later expiry and a fresh attempt: a second text of a live code.
    written.add(
        republish(
            original,
            genuine,
            e -> {
              e.setExpiresAt(genuine.getExpiresAt().plus(Duration.ofHours(1)));
              e.setAttempt(genuine.getAttempt() + 8);
            }));

    // Offsets are committed only once the dispatcher dealt with each record: all three are done.
    RecordMetadata last = written.get(written.size() - 1);
    TopicPartition partition = new TopicPartition(REQUESTED, last.partition());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> kafka.committed("sms-dispatcher", partition) > last.offset());

    assertThat(sandbox.messages(attackerSameAttempt)).isEmpty();
    assertThat(sandbox.messages(attackerNewAttempt)).isEmpty();
    assertThat(sandbox.messages(victim)).hasSize(1);

    List<JsonNode> tampered = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              tampered.clear();
              JsonNode page =
                  audit(
                      "/v1/audit/activities?challengeId="
                          + challengeId
                          + "&type=sms.dispatch-failed");
              page.path("items").forEach(tampered::add);
              assertThat(tampered).hasSize(3);
            });
    for (JsonNode activity : tampered) {
      assertThat(activity.path("attributes").path("reason").asText()).isEqualTo("TAMPERED");
      assertThat(activity.path("attributes").path("tampered").asText()).isEqualTo("true");
      assertThat(activity.path("severity").asText()).isEqualTo("CRITICAL");
      assertThat(activity.path("summary").asText()).containsIgnoringCase("tampered");
    }
    assertThat(tampered)
        .extracting(a -> a.path("attributes").path("attempt").asInt())
        .containsExactlyInAnyOrder(
            genuine.getAttempt(), genuine.getAttempt() + 7, genuine.getAttempt() + 8);

    // The challenge's own view keeps the victim's number and shows the forgery.
    JsonNode view = audit("/v1/audit/challenges/" + challengeId);
    assertThat(view.path("tampered").asBoolean()).isTrue();
    assertThat(view.path("phoneNumberMasked").asText())
        .endsWith(victim.substring(victim.length() - 4));
    assertThat(view.path("delivery").asText()).isEqualTo("DELIVERED");
  }

  /**
   * The genuine record with {@code change} applied and a new event id, re-encoded with the
   * project's serde and written to the same partition, as a producer on the topic could.
   */
  private static RecordMetadata republish(
      ConsumerRecord<byte[], byte[]> original,
      ChallengeRequested genuine,
      Consumer<ChallengeRequested> change) {
    ChallengeRequested forged = ChallengeRequested.newBuilder(genuine).build();
    forged.setEventId(UUID.randomUUID().toString());
    change.accept(forged);
    byte[] value;
    try (SignetAvroSerializer serializer = new SignetAvroSerializer()) {
      serializer.configure(stack.serdeClient(), false);
      value = serializer.serialize(REQUESTED, forged);
    }
    // Only challenge-service may write requested events: the forger holds its credentials.
    return kafka
        .as("challenge-service")
        .redeliver(
            new ConsumerRecord<>(
                REQUESTED, original.partition(), original.offset(), original.key(), value));
  }

  private JsonNode audit(String path) {
    Http.Reply reply = http.get(stack.url("audit") + path, "Bearer " + stack.managementSecret());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body();
  }

  private String challenge(String phone) {
    return new SmsStore(stack, http).challenge(phone);
  }
}
