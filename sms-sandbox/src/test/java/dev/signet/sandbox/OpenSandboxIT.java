package dev.signet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vonage.client.HttpConfig;
import com.vonage.client.VonageClient;
import com.vonage.client.sms.MessageStatus;
import com.vonage.client.sms.messages.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sandbox as the local stack runs it by default: any credentials, unsigned receipts. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Explicitly open, whatever SIGNET_* variables the machine running the tests has.
      "signet.sandbox.api-key=",
      "signet.sandbox.api-secret=",
      "signet.sandbox.signature-secret=",
      "signet.sandbox.receipt.delay=20ms",
      "signet.sandbox.receipt.method=GET"
    })
class OpenSandboxIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ReceiptReceiver RECEIVER = startReceiver();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void receiptUrl(DynamicPropertyRegistry registry) {
    registry.add("signet.sandbox.receipt.url", () -> RECEIVER.url("/dlr"));
  }

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  @Test
  void acceptsAnyCredentialsAndSendsAnUnsignedGetReceipt() {
    // given
    VonageClient vonage =
        VonageClient.builder()
            .apiKey("any-key")
            .apiSecret("any-secret")
            .httpConfig(
                HttpConfig.builder()
                    .baseUri("http://127.0.0.1:" + port)
                    .timeoutMillis(1500)
                    .build())
            .build();

    // when
    String messageId =
        vonage
            .getSmsClient()
            .submitMessage(new TextMessage("Signet", "447700900101", "Your code is 777888"))
            .getMessages()
            .get(0)
            .getId();

    // then
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                RECEIVER.received().stream()
                    .anyMatch(r -> messageId.equals(r.query().get("messageId"))));
    ReceiptReceiver.Received dlr =
        RECEIVER.received().stream()
            .filter(r -> messageId.equals(r.query().get("messageId")))
            .findFirst()
            .orElseThrow();
    assertThat(dlr.method()).isEqualTo("GET");
    assertThat(dlr.query())
        .containsEntry("msisdn", "447700900101")
        .containsEntry("api-key", "any-key")
        .containsEntry("status", "delivered")
        .doesNotContainKeys("sig", "timestamp");
  }

  @Test
  void acceptsFormCredentialsAndAnswersMissingParametersWithStatusTwo() {
    // given
    WebTestClient web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();

    // when
    JsonNode missing =
        post(
            web,
            BodyInserters.fromFormData("api_key", "k")
                .with("api_secret", "s")
                .with("from", "Signet"));
    JsonNode unicode =
        post(
            web,
            BodyInserters.fromFormData("api_key", "k")
                .with("api_secret", "s")
                .with("from", "Signet")
                .with("to", "+447700900102")
                .with("type", "unicode")
                .with("text", "Код 123456"));
    JsonNode noKey = post(web, BodyInserters.fromFormData("from", "Signet"));

    // then
    assertThat(missing.path("messages").get(0).path("status").asString())
        .isEqualTo(Integer.toString(MessageStatus.MISSING_PARAMS.getMessageStatus()));
    assertThat(missing.path("messages").get(0).path("error-text").asString())
        .isEqualTo("Missing to param");
    assertThat(unicode.path("messages").get(0).path("status").asString()).isEqualTo("0");
    assertThat(unicode.path("messages").get(0).path("to").asString()).isEqualTo("447700900102");
    assertThat(noKey.path("messages").get(0).path("status").asString()).isEqualTo("2");
  }

  private static JsonNode post(WebTestClient web, BodyInserters.FormInserter<String> form) {
    return JSON.readTree(
        web.post()
            .uri("/sms/json")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(form)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
  }

  private static ReceiptReceiver startReceiver() {
    try {
      return new ReceiptReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
