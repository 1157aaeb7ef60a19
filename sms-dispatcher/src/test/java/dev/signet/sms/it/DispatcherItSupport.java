package dev.signet.sms.it;

import de.bwaldvogel.mongo.MongoServer;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.SmsChannel;
import dev.signet.events.serde.InTestRegistry;
import dev.signet.platform.seal.SealBinding;
import dev.signet.testsupport.EventLog;
import dev.signet.testsupport.SealedCodes;
import dev.signet.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the dispatcher's integration tests: the real application against an
 * in-memory MongoDB-wire server, spring-kafka-test's in-JVM KRaft broker, a small in-test schema
 * registry and a Vonage stub driven through the real SDK, all started once per JVM. Subclasses add
 * no configuration, so they share the cached context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class DispatcherItSupport {

  public static final String SIGNATURE_SECRET = "it-signature-secret-0123456789";
  public static final String MANAGEMENT_SECRET = "it-management-secret";

  /** The configured test number of the shared context. */
  protected static final String TEST_NUMBER = "+447700900999";

  protected static final TestStack STACK =
      TestStack.start(3, Topics.CHALLENGE_REQUESTED.name(), Topics.SEND_POLICY.name());
  protected static final EmbeddedKafkaKraftBroker KAFKA = STACK.kafka();
  protected static final InTestRegistry REGISTRY = STACK.registry();
  protected static final MongoServer MONGO = STACK.mongo();
  protected static final VonageStub VONAGE;
  protected static final TwilioStub TWILIO;

  /** Where the dispatcher tells Twilio to post status callbacks (what signatures cover). */
  protected static final String TWILIO_CALLBACK =
      "https://dispatcher.example/webhooks/twilio/status";

  private static final byte[] SEAL_KEY = new byte[32];
  private static volatile EventLog events;
  private static KafkaProducer<String, Object> producer;

  static {
    new SecureRandom().nextBytes(SEAL_KEY);
    try {
      VONAGE = new VonageStub();
      TWILIO = new TwilioStub();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort protected int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-dispatcher-it");
    registry.add("signet.sms.vonage-base-uri", VONAGE::url);
    registry.add("signet.sms.vonage-api-key", () -> "it-key");
    registry.add("signet.sms.twilio.base-uri", TWILIO::url);
    registry.add("signet.sms.twilio.account-sid", () -> TwilioStub.ACCOUNT_SID);
    registry.add("signet.sms.twilio.auth-token", () -> TwilioStub.AUTH_TOKEN);
    registry.add("signet.sms.twilio.from", () -> "+15005550006");
    registry.add("signet.sms.twilio.status-callback-url", () -> TWILIO_CALLBACK);
    registry.add("signet.sms.vonage-api-secret", () -> "it-secret");
    registry.add("signet.sms.vonage-signature-secret", () -> SIGNATURE_SECRET);
    registry.add("signet.sms.management-secret", () -> MANAGEMENT_SECRET);
    // Long enough that a loaded machine does not time out a healthy call (a timeout ends the
    // attempt with its outcome unknown).
    registry.add("signet.sms.vonage-timeout", () -> "3s");
    registry.add("signet.sms.twilio.timeout", () -> "3s");
    registry.add("signet.sms.send-deadline", () -> "4s");
    registry.add("signet.sms.retry-initial-backoff", () -> "20ms");
    registry.add("signet.sms.retry-max-backoff", () -> "200ms");
    registry.add("signet.sms.stale-claim-after", () -> "20s");
    // The tests drive the sweep themselves.
    registry.add("signet.sms.stale-claim-sweep-interval", () -> "1h");
    // The send guard: an allowlist, and a per-number limit low enough to reach in a test; every
    // test
    // sends to fresh numbers, so no other test comes near it.
    registry.add("signet.sms.guard.allowed-countries", () -> "GB,ES,JP,FR,DE");
    registry.add("signet.sms.guard.per-number.max-count", () -> "3");
    registry.add("signet.sms.guard.per-number.window", () -> "10m");
    registry.add("signet.sms.test-numbers", () -> TEST_NUMBER + ":000000");
    registry.add("signet.sms.senders-by-country", () -> "JP:+815012345678");
    registry.add(
        "signet.sms.seal-keys", () -> "k1:" + Base64.getEncoder().encodeToString(SEAL_KEY));
  }

  protected static String newChallengeId() {
    return "ch_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The next of the fictional range's 100,000 numbers, from a random start: no repeats. */
  private static final AtomicInteger NEXT_NUMBER =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(100_000));

  /**
   * A number no other test of this JVM has used: the per-number send guard (three per ten minutes
   * here) must never see one test's sends as another's. Drawn at random, two tests sometimes got
   * the same number, and one of them found it blocked.
   */
  protected static String freshPhoneNumber() {
    String phone;
    do {
      phone =
          "+4477009" + String.format("%05d", Math.floorMod(NEXT_NUMBER.getAndIncrement(), 100_000));
    } while (phone.equals(TEST_NUMBER));
    return phone;
  }

  /** A requested-challenge event with a sealed code, issued now, valid ten minutes. */
  protected static ChallengeRequested.Builder requested(
      String challengeId, int attempt, String phone, String code) {
    Instant now = Instant.now();
    return ChallengeRequested.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId("corr-" + challengeId)
        .setChallengeId(challengeId)
        .setAttempt(attempt)
        .setPhoneNumber(phone)
        .setChannel(SmsChannel.SMS)
        .setAction("signIn")
        .setExpiresAt(now.plus(Duration.ofMinutes(10)))
        .setSealKeyId("k1")
        .setCountryCode("GB")
        .setPhoneNumberMasked(
            phone.substring(0, 3) + "******" + phone.substring(phone.length() - 4))
        .setSealedCode(ByteBuffer.wrap(seal(binding(challengeId, attempt, phone, now), code)))
        .setSealVersion(SealBinding.VERSION);
  }

  private static SealBinding binding(String challengeId, int attempt, String phone, Instant now) {
    return new SealBinding(challengeId, attempt, phone, "SMS", now.plus(Duration.ofMinutes(10)));
  }

  /**
   * The builder with its code sealed again for its current fields, as challenge-service would seal
   * it (after a test changed the expiry, say).
   */
  protected static ChallengeRequested.Builder resealed(
      ChallengeRequested.Builder event, String code) {
    SealBinding binding =
        new SealBinding(
            event.getChallengeId(),
            event.getAttempt(),
            event.getPhoneNumber(),
            event.getChannel().name(),
            event.getExpiresAt());
    return event
        .setSealedCode(ByteBuffer.wrap(seal(binding, code)))
        .setSealVersion(SealBinding.VERSION);
  }

  /** A code sealed the way earlier versions sealed it: bound to the challenge id alone. */
  protected static byte[] sealLegacy(String challengeId, String code) {
    return seal(SealBinding.legacyAssociatedData(challengeId), code);
  }

  protected static byte[] seal(SealBinding binding, String code) {
    return seal(binding.associatedData(), code);
  }

  private static byte[] seal(byte[] associatedData, String code) {
    return SealedCodes.seal(SEAL_KEY, associatedData, code);
  }

  /** Publishes any event (a send policy, say) to a topic, keyed. */
  protected static void publishEvent(String topic, String key, Object event) {
    producer();
    try {
      producer.send(new ProducerRecord<>(topic, key, event)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void producer() {
    synchronized (DispatcherItSupport.class) {
      if (producer == null) {
        producer = STACK.avroProducer();
      }
    }
  }

  protected static void publish(ChallengeRequested event) {
    publishTo(null, event);
  }

  /** Publishes to a given partition of the requested topic, or by key hash when null. */
  /**
   * Publishes a fresh marker event on the partition of {@code challengeId}'s events: once it is
   * dispatched, everything published before it on that partition was processed.
   */
  protected static void publishOnSamePartitionAs(String challengeId, String markerId) {
    // Keys differ, so the marker is placed by an explicit partition instead of hashing luck.
    int partition =
        org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(
                    challengeId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            % 3;
    publishTo(partition, requested(markerId, 1, freshPhoneNumber(), "999999").build());
  }

  protected static void publishTo(Integer partition, ChallengeRequested event) {
    producer();
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CHALLENGE_REQUESTED.name(), partition, event.getChallengeId(), event))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every SMS event published since the first test asked for them. */
  protected static EventLog events() {
    if (events == null) {
      synchronized (DispatcherItSupport.class) {
        if (events == null) {
          events =
              STACK.eventLog(
                  "dispatcher-it",
                  List.of(
                      Topics.SMS_DISPATCHED.name(),
                      Topics.SMS_DISPATCH_FAILED.name(),
                      Topics.SMS_DELIVERY_REPORTED.name(),
                      Topics.SMS_BLOCKED.name()));
        }
      }
    }
    return events;
  }
}
