package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery receipts through the running stack: the sandbox signs a receipt for the SMS of a
 * challenge exactly as Vonage does and posts it to the dispatcher's webhook, which verifies it,
 * stores it and announces it on {@code auth.sms.delivery-reported.v1} keyed by the challenge.
 */
class DeliveryReceiptIT {

  private static final String REPORTED = "auth.sms.delivery-reported.v1";
  private static RunningStack stack;
  private static RawKafka kafka;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    kafka = new RawKafka(stack);
  }

  @Test
  void aChallengesReceiptArrivesIsStoredAndProducesTheDeliveryReportedEvent() {
    String phone = Sandbox.freshPhoneNumber();
    String challengeId = challenge(phone);
    Sandbox sandbox = new Sandbox(stack, http);
    sandbox.awaitCode(phone, 1);
    String messageId = sandbox.messages(phone).get(0).path("messageId").asText();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kafka.read(REPORTED, challengeId))
                    .singleElement()
                    .satisfies(
                        record ->
                            assertThat(RawKafka.contains(record.value(), messageId)).isTrue()));
    assertThat(receipts(messageId))
        .singleElement()
        .satisfies(
            receipt -> {
              assertThat(receipt.getString("status")).isEqualTo("delivered");
              assertThat(receipt.getString("challengeId")).isEqualTo(challengeId);
              // The recipient's number is not kept.
              assertThat(receipt.toJson()).doesNotContain(phone.substring(1));
            });
  }

  @Test
  void anUnsignedReceiptIsRefused() {
    Http.Reply reply =
        http.post(
            stack.url("dispatcher") + "/webhooks/vonage/delivery-receipt",
            null,
            "{\"messageId\":\"forged-1\",\"status\":\"delivered\",\"err-code\":\"0\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(receipts("forged-1")).isEmpty();
  }

  private List<Document> receipts(String messageId) {
    List<Document> found = new ArrayList<>();
    try (MongoClient mongo =
        MongoClients.create(
            stack.description().path("components").path("mongo").path("url").asText())) {
      for (String database : mongo.listDatabaseNames()) {
        for (String collection : mongo.getDatabase(database).listCollectionNames()) {
          if (collection.equals("sms_receipts")) {
            mongo
                .getDatabase(database)
                .getCollection(collection)
                .find(Filters.eq("messageId", messageId))
                .into(found);
          }
        }
      }
    }
    return found;
  }

  private String challenge(String phone) {
    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().path("challengeId").asText();
  }
}
