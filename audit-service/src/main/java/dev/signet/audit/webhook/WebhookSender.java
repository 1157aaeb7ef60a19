package dev.signet.audit.webhook;

import dev.signet.audit.webhook.DeliveryStore.Delivery;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import dev.signet.audit.webhook.domain.WebhookSignature;
import dev.signet.audit.webhook.domain.WebhookUrl;
import io.netty.channel.ChannelOption;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Posts one delivery to its endpoint: checks the URL again (a literal address must be public; a
 * host name is checked at each connection by {@link GuardedResolverGroup}), signs the body with the
 * API secret at the time of the attempt, and reports the status code or a short error. Never
 * follows a redirect, and never waits longer than the connect and response timeouts together.
 */
final class WebhookSender {

  static final String USER_AGENT = "Signet-Webhooks/1";
  private static final int MAX_ERROR = 300;

  private final WebhookProperties properties;
  private final Clock clock;
  private final WebClient http;
  private final ConnectionProvider connections;
  private final byte[] secret;

  WebhookSender(WebhookProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
    this.secret =
        properties.canSign()
            ? properties.signingSecret().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    this.connections =
        ConnectionProvider.builder("signet-webhooks")
            .maxConnections(properties.concurrencyPerEndpoint() * 8)
            .pendingAcquireTimeout(properties.connectTimeout())
            .maxIdleTime(Duration.ofSeconds(30))
            .build();
    HttpClient client =
        HttpClient.create(connections)
            .resolver(new GuardedResolverGroup(properties.privateAddressesAllowed()))
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
            .responseTimeout(properties.responseTimeout())
            .followRedirect(false);
    this.http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(client)).build();
  }

  /** The outcome of one attempt: a status code, or an error without one. */
  record Outcome(Integer status, String error) {
    boolean success() {
      return status != null && status >= 200 && status < 300;
    }
  }

  /** The attempt's outcome; a failure to send is an outcome too, never an error. */
  Mono<Outcome> send(Endpoint endpoint, Delivery delivery) {
    return Mono.defer(() -> post(endpoint, delivery))
        .onErrorResume(e -> Mono.just(new Outcome(null, describe(e))));
  }

  private Mono<Outcome> post(Endpoint endpoint, Delivery delivery) {
    WebhookUrl url;
    try {
      url = WebhookUrl.parse(endpoint.url(), properties.privateAddressesAllowed());
      if (url.literalAddress()
          && !GuardedResolverGroup.allowed(
              List.of(InetAddress.getByName(url.host())), properties.privateAddressesAllowed())) {
        return Mono.just(new Outcome(null, "refused_address: " + url.host() + " is not public"));
      }
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Mono.just(new Outcome(null, "invalid_url: " + e.getMessage()));
    }
    String payload = delivery.payload();
    String signature = WebhookSignature.header(secret, clock.instant().getEpochSecond(), payload);
    return http.post()
        .uri(url.uri())
        .contentType(MediaType.APPLICATION_JSON)
        .header(WebhookSignature.HEADER, signature)
        .header("User-Agent", USER_AGENT)
        .header("X-Signet-Delivery-Id", delivery.id())
        .header("X-Signet-Event-Id", delivery.eventId())
        .bodyValue(payload.getBytes(StandardCharsets.UTF_8))
        .exchangeToMono(
            response ->
                response.releaseBody().thenReturn(new Outcome(response.statusCode().value(), null)))
        // Connect, then answer: never longer than both timeouts together, whatever the endpoint
        // does.
        .timeout(properties.connectTimeout().plus(properties.responseTimeout()).plusSeconds(1));
  }

  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && !(cause instanceof TimeoutException)
        && !(cause instanceof UnknownHostException)
        && !(cause instanceof ConnectException)) {
      cause = cause.getCause();
    }
    String text;
    if (cause instanceof GuardedResolverGroup.RefusedAddressException) {
      text = cause.getMessage();
    } else if (cause instanceof UnknownHostException) {
      text = "unknown_host: " + cause.getMessage();
    } else if (cause instanceof TimeoutException
        || cause instanceof io.netty.handler.timeout.ReadTimeoutException
        || cause.getClass().getSimpleName().contains("Timeout")) {
      text = "timeout: no answer in time";
    } else if (cause instanceof ConnectException) {
      text = "connection_failed: " + cause.getMessage();
    } else {
      text =
          "error: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
  }

  void close() {
    connections.dispose();
  }
}
