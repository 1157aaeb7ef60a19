package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.e2e.stack.SmsStore;
import java.time.Duration;
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
    return new SmsStore(stack, http).find("sms_receipts", Filters.eq("messageId", messageId));
  }

  private String challenge(String phone) {
    return new SmsStore(stack, http).challenge(phone);
  }
}
