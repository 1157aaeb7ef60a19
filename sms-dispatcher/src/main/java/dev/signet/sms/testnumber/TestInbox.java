package dev.signet.sms.testnumber;

import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.Channel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where messages to test numbers go instead of a provider: the SMS sandbox's test-traffic inbox
 * ({@code POST <vonage-base-uri>/inbox/test-traffic}), so a developer reads them as any other
 * message, marked as test traffic and never billed. Without a sandbox (Vonage's own endpoints) the
 * message goes nowhere; the fixed code is known to whoever configured the number.
 */
@Component
public class TestInbox {

  private static final Logger log = LoggerFactory.getLogger(TestInbox.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DispatcherProperties properties;
  private final HttpClient http;

  public TestInbox(DispatcherProperties properties) {
    this.properties = properties;
    this.http = HttpClient.newBuilder().connectTimeout(properties.vonageTimeout()).build();
  }

  /** Delivers one test message; the inbox's message id. */
  public Mono<String> deliver(String to, String text, Channel channel, String clientRef) {
    String base = properties.vonageBaseUri();
    if (base == null || base.isBlank()) {
      log.info("test number message kept, no sandbox to deliver it to clientRef={}", clientRef);
      return Mono.just("test-" + UUID.randomUUID());
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("to", to);
    body.put(
        "from", channel == Channel.WHATSAPP ? properties.whatsappSender() : properties.sender());
    body.put("text", text);
    body.put("channel", channel == Channel.WHATSAPP ? "whatsapp" : "sms");
    body.put("clientRef", clientRef);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                        + "/inbox/test-traffic"))
            .timeout(properties.vonageTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    return Mono.fromFuture(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .flatMap(
            response -> {
              if (response.statusCode() / 100 != 2) {
                return Mono.error(
                    new IllegalStateException("test inbox answered HTTP " + response.statusCode()));
              }
              JsonNode answer = JSON.readTree(response.body());
              String id = answer.path("messageId").asString("");
              return id.isEmpty()
                  ? Mono.error(new IllegalStateException("test inbox gave no messageId"))
                  : Mono.just(id);
            });
  }
}
