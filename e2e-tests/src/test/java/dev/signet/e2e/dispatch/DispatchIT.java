package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.e2e.stack.SmsStore;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dispatcher through the running stack and the real SMS sandbox: a redelivered
 * requested-challenge record (the very same bytes again) sends no second SMS, and every sent
 * message is announced once on {@code auth.sms.dispatched.v1} with the sandbox's message id.
 */
class DispatchIT {

  private static final String REQUESTED = "auth.challenge.requested.v1";
  private static final String DISPATCHED = "auth.sms.dispatched.v1";
  private static RunningStack stack;
  private static RawKafka kafka;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    kafka = new RawKafka(stack);
  }

  @Test
  void aRedeliveredRequestedEventSendsNoSecondSms() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    Sandbox sandbox = new Sandbox(stack, http);
    sandbox.awaitCode(phone, 1);
    ConsumerRecord<byte[], byte[]> original = kafka.read(REQUESTED, challengeId).get(0);

    kafka.redeliver(original);
    RecordMetadata last = kafka.redeliver(original);
    // The dispatcher commits an offset only after it handled the record before it.
    TopicPartition partition = new TopicPartition(REQUESTED, last.partition());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> kafka.committed("sms-dispatcher", partition) > last.offset());

    JsonNode messages = sandbox.messages(phone);
    assertThat(messages).hasSize(1);
    String messageId = messages.get(0).path("messageId").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kafka.read(DISPATCHED, challengeId))
                    .singleElement()
                    .satisfies(
                        record ->
                            assertThat(RawKafka.contains(record.value(), messageId)).isTrue()));
  }

  private String challenge(String phone) {
    return new SmsStore(stack, http).challenge(phone);
  }
}
