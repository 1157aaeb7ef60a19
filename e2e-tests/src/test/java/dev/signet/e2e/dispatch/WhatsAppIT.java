package dev.signet.e2e.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import dev.signet.events.sms.DeliveryStatus;
import dev.signet.events.sms.SmsChannel;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatched;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A challenge on the WhatsApp channel goes through Vonage's Messages API ({@code POST /v1/messages}
 * on the sandbox, through the real SDK) as WhatsApp's authentication template, reaches the phone as
 * a WhatsApp message and its code verifies.
 */
class WhatsAppIT {

  private static RunningStack stack;
  private static RawKafka kafka;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
    kafka = new RawKafka(stack);
  }

  @Test
  void aWhatsAppChallengeIsSentThroughTheMessagesApiAndItsCodeVerifies() {
    String phone = Sandbox.freshPhoneNumber();
    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"smsChannel\":\"WHATSAPP\",\"action\":\"signIn\","
                + "\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    String challengeId = reply.body().path("challengeId").asText();

    Sandbox sandbox = new Sandbox(stack, http);
    String code = sandbox.awaitCode(phone, 1);
    JsonNode message = sandbox.messages(phone).get(0);
    assertThat(message.path("channel").asText()).isEqualTo("whatsapp");
    assertThat(message.path("api").asText()).isEqualTo("messages");
    assertThat(message.path("clientRef").asText()).isEqualTo(challengeId + ":1");
    // Sent as the authentication template (the sandbox refuses free text on WhatsApp): the phone
    // shows WhatsApp's fixed wording around the code.
    assertThat(message.path("text").asText()).startsWith(code + " is your verification code.");

    Http.Reply verified =
        http.post(
            stack.url("challenge") + "/v1/verify",
            Http.basic(stack.apiSecret()),
            "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
    assertThat(verified.body().path("isVerified").asBoolean()).isTrue();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kafka.read("auth.sms.dispatched.v1", challengeId))
                    .singleElement()
                    .satisfies(
                        record -> {
                          SmsDispatched dispatched = (SmsDispatched) RawKafka.decode(stack, record);
                          assertThat(dispatched.getChannel()).isEqualTo(SmsChannel.WHATSAPP);
                          assertThat(dispatched.getProviderMessageId())
                              .isEqualTo(message.path("messageId").asText());
                          assertThat(dispatched.getSegments()).isEqualTo(1);
                        }));
    // The sandbox's signed Messages API status webhook comes back as a delivery report.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(kafka.read("auth.sms.delivery-reported.v1", challengeId))
                    .anySatisfy(
                        record -> {
                          SmsDeliveryReported reported =
                              (SmsDeliveryReported) RawKafka.decode(stack, record);
                          assertThat(reported.getStatus()).isEqualTo(DeliveryStatus.DELIVERED);
                          assertThat(reported.getProviderMessageId())
                              .isEqualTo(message.path("messageId").asText());
                        }));
  }
}
