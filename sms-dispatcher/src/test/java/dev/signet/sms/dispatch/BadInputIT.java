package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.serde.SignetAvroSerializer;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.sms.SmsFailureReason;
import dev.signet.sms.it.DispatcherItSupport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Bad input on the requested topic, on the real broker: records the serde cannot read (wrong magic
 * byte, a schema id the registry does not know, a truncated Avro body) go to the dead-letter topic
 * at once with their original bytes and the records behind them are still sent; codes that do not
 * open (unknown key id, tampered ciphertext) fail with a reason and nothing is sent; an unknown
 * locale falls back to a template that exists.
 */
class BadInputIT extends DispatcherItSupport {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String REQUESTED = Topics.CHALLENGE_REQUESTED.name();

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicAtOnceAndTheConsumerKeepsSending() {
    String valid = newChallengeId();
    byte[] good = serialize(requested(valid, 1, freshPhoneNumber(), "121212").build());
    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 1;
    byte[] unknownSchema = good.clone();
    ByteBuffer.wrap(unknownSchema).putInt(1, 987_654);
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    byte[] marker = ("marker " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    String after = newChallengeId();

    // All on one partition, before a valid record.
    send(0, "wrong-magic", wrongMagic);
    send(0, "unknown-schema", unknownSchema);
    send(0, "truncated", truncated);
    send(0, "garbage", marker);
    send(0, after, serialize(requested(after, 1, freshPhoneNumber(), "343434").build()));

    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, after).size() == 1);
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              dead.clear();
              dead.addAll(readDeadLetters());
              return dead.stream().anyMatch(r -> Arrays.equals(r.value(), marker));
            });
    for (Map.Entry<String, byte[]> bad :
        Map.of(
                "wrong-magic", wrongMagic,
                "unknown-schema", unknownSchema,
                "truncated", truncated,
                "garbage", marker)
            .entrySet()) {
      assertThat(dead)
          .as("dead letters of %s", bad.getKey())
          .filteredOn(r -> bad.getKey().equals(r.key()))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.value()).isEqualTo(bad.getValue());
                assertThat(header(r, "kafka_dlt-exception-fqcn"))
                    .contains("DeserializationException");
              });
    }
  }

  @Test
  void aCodeSealedUnderAnUnknownKeyIdOrTamperedWithFailsWithAReasonAndIsNotSent() {
    String unknownKey = newChallengeId();
    String tampered = newChallengeId();
    ChallengeRequested.Builder flipped = requested(tampered, 1, freshPhoneNumber(), "565656");
    byte[] sealed = flipped.getSealedCode().array().clone();
    sealed[sealed.length - 1] ^= 0x01;

    publish(requested(unknownKey, 1, freshPhoneNumber(), "787878").setSealKeyId("k9").build());
    publish(flipped.setSealedCode(ByteBuffer.wrap(sealed)).build());

    for (String challengeId : List.of(unknownKey, tampered)) {
      await()
          .atMost(WAIT)
          .until(() -> events().records(SmsDispatchFailed.class, challengeId).size() == 1);
      SmsDispatchFailed failed = events().records(SmsDispatchFailed.class, challengeId).get(0);
      assertThat(failed.getReason())
          .isEqualTo(
              challengeId.equals(tampered)
                  ? SmsFailureReason.TAMPERED
                  : SmsFailureReason.SEALED_CODE_INVALID);
      assertThat(failed.getRetryable()).isFalse();
      assertThat(failed.getDetail()).isNotBlank();
      assertThat(failed.getProviderAttempts()).isZero();
      assertThat(VONAGE.callsFor(challengeId, 1)).isEmpty();
      assertThat(events().records(SmsDispatched.class, challengeId)).isEmpty();
    }
  }

  @Test
  void anUnknownLocaleFallsBackToTheNumbersCountryThenEnglish() {
    String british = newChallengeId();
    String french = newChallengeId();

    publish(requested(british, 1, freshPhoneNumber(), "909090").setLocale("xx-YY").build());
    publish(
        requested(french, 1, "+33612345678", "808080")
            .setLocale("not a locale")
            .setCountryCode("FR")
            .build());

    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, british).size() == 1);
    await().atMost(WAIT).until(() -> events().records(SmsDispatched.class, french).size() == 1);
    assertThat(events().records(SmsDispatched.class, british).get(0).getLocale()).isEqualTo("en");
    assertThat(VONAGE.callsFor(british, 1).get(0).text())
        .isEqualTo("Your Signet code is 909090. It expires in 10 minutes.");
    assertThat(events().records(SmsDispatched.class, french).get(0).getLocale()).isEqualTo("fr");
    assertThat(VONAGE.callsFor(french, 1).get(0).text()).contains("808080").startsWith("Votre");
  }

  private static byte[] serialize(ChallengeRequested event) {
    try (SignetAvroSerializer serializer = new SignetAvroSerializer()) {
      serializer.configure(Map.of("schema.registry.url", REGISTRY.url()), false);
      return serializer.serialize(REQUESTED, event);
    }
  }

  private static void send(int partition, String key, byte[] value) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(REQUESTED, partition, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readDeadLetters() {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = STACK.bytesConsumer("bad-input-it")) {
      consumer.subscribe(List.of(Topics.dlt(REQUESTED)));
      for (int i = 0; i < 10; i++) {
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
      }
    }
    return records;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
