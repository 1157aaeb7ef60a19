package dev.signet.sandbox.receipt;

import dev.signet.sandbox.MessageIds;
import dev.signet.sandbox.SandboxProperties;
import dev.signet.sandbox.SandboxProperties.ReceiptMethod;
import dev.signet.sandbox.auth.VonageSignature;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a delivery receipt for each accepted message after the configured delay, shaped and signed
 * as Vonage does, and retried as Vonage retries its webhooks: an answer of 429 or 5xx, a refused
 * connection or a timeout is tried again 5 s later, the delay doubling up to 15 minutes, for 24
 * hours after the first attempt (all configurable); any other answer ends the receipt. Receipts
 * that run out of time are logged and counted, never retried forever.
 */
@Component
public class DeliveryReceipts {

  private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);
  private static final DateTimeFormatter SCTS =
      DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MESSAGE_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final SandboxProperties properties;
  private final SandboxProperties.Receipt settings;
  private final WebClient http;
  private final JsonMapper json;
  private final Clock clock;
  private final MessageIds ids;
  private final ReceiptLog receiptLog;
  private final MeterRegistry meters;

  DeliveryReceipts(
      SandboxProperties properties,
      JsonMapper json,
      Clock clock,
      MessageIds ids,
      ReceiptLog receiptLog,
      MeterRegistry meters) {
    this.properties = properties;
    this.settings = properties.receipt();
    this.http = WebClient.builder().build();
    this.json = json;
    this.clock = clock;
    this.ids = ids;
    this.receiptLog = receiptLog;
    this.meters = meters;
  }

  /** Schedules the SMS API delivery receipt (DLR) of one message part. */
  public void schedule(SmsReceiptRequest request) {
    String url = request.callbackUrl().orElse(settings.url());
    if (url == null) {
      return;
    }
    String status = request.statusOverride().orElse(settings.status());
    ReceiptRecord record =
        new ReceiptRecord(
            request.messageId(),
            "sms",
            url,
            settings.method().name(),
            status,
            properties.signsReceipts(),
            clock.instant());
    schedule(record, () -> sendDlr(record, url, dlrParams(request, status, clock.instant())));
  }

  /** Schedules the Messages API status webhook of one message. */
  public void schedule(MessageStatusRequest request) {
    String url = request.webhookUrl().orElse(settings.url());
    if (url == null) {
      return;
    }
    String status =
        ReceiptStatuses.messagesStatus(request.statusOverride().orElse(settings.status()));
    ReceiptRecord record =
        new ReceiptRecord(
            request.messageUuid(),
            "messages",
            url,
            ReceiptMethod.POST_JSON.name(),
            status,
            properties.signsReceipts(),
            clock.instant());
    schedule(
        record,
        () -> sendStatus(record, url, request, statusBody(request, status, clock.instant())));
  }

  /**
   * Schedules a receipt another API builds ({@code send}, called afresh, so re-signed, each try).
   */
  void schedule(ReceiptRecord record, Supplier<Mono<Integer>> send) {
    receiptLog.add(record);
    Mono.delay(settings.delay())
        .then(Mono.defer(() -> attempt(record, 1, send, clock.instant())))
        .subscribe();
  }

  /** What one attempt's answer means: delivered, worth another try, or the end of the receipt. */
  private enum Answer {
    OK,
    RETRY,
    GIVE_UP
  }

  private Mono<Void> attempt(
      ReceiptRecord record, int number, Supplier<Mono<Integer>> send, Instant first) {
    return Mono.defer(send)
        .timeout(settings.requestTimeout())
        .map(
            httpStatus -> {
              boolean ok = httpStatus >= 200 && httpStatus < 300;
              record.attempted(clock.instant(), httpStatus, ok ? null : "HTTP " + httpStatus);
              // Vonage tries again only after a 429 or a 5xx: other answers are final.
              return ok
                  ? Answer.OK
                  : httpStatus == 429 || httpStatus >= 500 ? Answer.RETRY : Answer.GIVE_UP;
            })
        .onErrorResume(
            e -> {
              record.attempted(clock.instant(), null, e.getClass().getSimpleName());
              return Mono.just(Answer.RETRY);
            })
        .flatMap(
            answer -> {
              if (answer == Answer.OK) {
                finish(record, ReceiptRecord.Outcome.DELIVERED, number);
                return Mono.empty();
              }
              Duration backoff = backoff(number);
              boolean outOfTime =
                  clock.instant().plus(backoff).isAfter(first.plus(settings.retryFor()));
              if (answer == Answer.GIVE_UP
                  || outOfTime
                  || (settings.maxAttempts() > 0 && number >= settings.maxAttempts())) {
                finish(record, ReceiptRecord.Outcome.FAILED, number);
                return Mono.empty();
              }
              log.debug(
                  "receipt attempt failed messageId={} attempt={} retryIn={}ms",
                  record.messageId(),
                  number,
                  backoff.toMillis());
              return Mono.delay(backoff).then(attempt(record, number + 1, send, first));
            });
  }

  /** The delay after attempt {@code number}: the back-off doubled per attempt, up to its cap. */
  private Duration backoff(int number) {
    Duration doubled = settings.backoff().multipliedBy(1L << Math.min(number - 1, 20));
    return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
  }

  private void finish(ReceiptRecord record, ReceiptRecord.Outcome outcome, int attempts) {
    receiptLog.finished(record, outcome);
    meters.counter("signet.sandbox.receipts", "outcome", outcome.name().toLowerCase()).increment();
    if (outcome == ReceiptRecord.Outcome.FAILED) {
      log.warn("receipt undeliverable messageId={} attempts={}", record.messageId(), attempts);
    } else {
      log.debug("receipt delivered messageId={} attempts={}", record.messageId(), attempts);
    }
  }

  private Map<String, String> dlrParams(SmsReceiptRequest request, String status, Instant now) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("msisdn", request.msisdn());
    params.put("to", request.from());
    params.put("network-code", properties.networkCode());
    params.put("messageId", request.messageId());
    params.put("price", request.price());
    params.put("status", status);
    params.put("scts", SCTS.format(now));
    params.put("err-code", ReceiptStatuses.errCode(status));
    params.put("api-key", request.apiKey());
    params.put("message-timestamp", MESSAGE_TIMESTAMP.format(now));
    request.clientRef().ifPresent(ref -> params.put("client-ref", ref));
    // Empty values are left out: the SDK's verifier would hash them for JSON bodies but not for
    // forms.
    params.values().removeIf(v -> v == null || v.isBlank());
    return params;
  }

  private Mono<Integer> sendDlr(ReceiptRecord record, String url, Map<String, String> unsigned) {
    Map<String, String> params =
        properties.signsReceipts()
            ? VonageSignature.sign(
                unsigned,
                properties.signatureSecret(),
                properties.signatureMethod(),
                clock.instant().getEpochSecond())
            : unsigned;
    record.payload(params);
    WebClient.RequestHeadersSpec<?> request =
        switch (settings.method()) {
          case GET -> http.get().uri(withQuery(url, params));
          case POST -> {
            LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
            params.forEach(form::add);
            yield http.post().uri(URI.create(url)).body(BodyInserters.fromFormData(form));
          }
          case POST_JSON ->
              http.post()
                  .uri(URI.create(url))
                  .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                  .bodyValue(json.writeValueAsString(params));
        };
    return request.exchangeToMono(
        response -> response.releaseBody().thenReturn(response.statusCode().value()));
  }

  private Map<String, Object> statusBody(MessageStatusRequest request, String status, Instant now) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message_uuid", request.messageUuid());
    body.put("to", request.to());
    body.put("from", request.from());
    body.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
    body.put("status", status);
    body.put("channel", request.channel());
    request.clientRef().ifPresent(ref -> body.put("client_ref", ref));
    body.put("usage", Map.of("currency", "EUR", "price", request.price()));
    body.put("destination", Map.of("network_code", properties.networkCode()));
    if ("sms".equals(request.channel())) {
      body.put("sms", Map.of("count_total", Integer.toString(request.parts())));
    }
    if ("rejected".equals(status) || "undeliverable".equals(status)) {
      body.put(
          "error",
          Map.of(
              "type", "https://developer.vonage.com/api-errors/messages#1320",
              "title", "1320",
              "detail", "Message failed because the number is unreachable",
              "instance", ids.next()));
    }
    return body;
  }

  private Mono<Integer> sendStatus(
      ReceiptRecord record, String url, MessageStatusRequest request, Map<String, Object> body) {
    String payload = json.writeValueAsString(body);
    record.payload(body);
    WebClient.RequestBodySpec spec =
        http.post()
            .uri(URI.create(url))
            .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
    if (properties.signsReceipts()) {
      String token =
          WebhookJwt.sign(
              json,
              payload,
              properties.signatureSecret(),
              clock.instant().getEpochSecond(),
              ids.next(),
              request.apiKey(),
              request.applicationId());
      spec = spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    return spec.bodyValue(payload)
        .exchangeToMono(
            response -> response.releaseBody().thenReturn(response.statusCode().value()));
  }

  private static URI withQuery(String url, Map<String, String> params) {
    String query =
        params.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return URI.create(url + (url.contains("?") ? "&" : "?") + query);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
