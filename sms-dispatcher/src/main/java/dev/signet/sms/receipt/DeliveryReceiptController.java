package dev.signet.sms.receipt;

import dev.signet.platform.logging.LogText;
import dev.signet.sms.config.DispatcherProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vonage's delivery-receipt webhook in the three shapes its dashboard offers: GET with query
 * parameters, POST with a form, POST with a flat JSON object. When a signature secret is configured
 * every receipt must carry a valid, fresh signature (401 otherwise). It answers 2xx only once the
 * receipt is stored, so Vonage retries anything that was not.
 */
@RestController
class DeliveryReceiptController {

  static final String PATH = "/webhooks/vonage/delivery-receipt";
  private static final int MAX_BODY_BYTES = 16 * 1024;
  private static final Logger log = LoggerFactory.getLogger(DeliveryReceiptController.class);

  private final ReceiptService receipts;
  private final ReceiptSignature signature;
  private final MessageStatusSignature messageSignature;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();

  DeliveryReceiptController(ReceiptService receipts, DispatcherProperties properties, Clock clock) {
    this.receipts = receipts;
    this.signature =
        properties.vonageSignatureSecret() == null
            ? null
            : new ReceiptSignature(properties.vonageSignatureSecret(), properties.receiptMaxSkew());
    this.messageSignature =
        properties.vonageSignatureSecret() == null
            ? null
            : new MessageStatusSignature(
                properties.vonageSignatureSecret(), properties.receiptMaxSkew());
    this.clock = clock;
  }

  @RequestMapping(
      path = PATH,
      method = {RequestMethod.GET, RequestMethod.POST})
  Mono<ResponseEntity<Map<String, String>>> receive(ServerWebExchange exchange) {
    MediaType type = exchange.getRequest().getHeaders().getContentType();
    if (exchange.getRequest().getMethod() == HttpMethod.POST
        && type != null
        && MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
      String authorization = exchange.getRequest().getHeaders().getFirst("Authorization");
      return body(exchange)
          .flatMap(
              body ->
                  isMessageStatus(body)
                      ? handleMessageStatus(authorization, body)
                      : handle(flat(body)))
          .onErrorResume(
              BadReceipt.class,
              e -> Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage())));
    }
    return parameters(exchange)
        .flatMap(this::handle)
        .onErrorResume(
            BadReceipt.class,
            e -> Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_request", e.getMessage())));
  }

  private Mono<ResponseEntity<Map<String, String>>> handle(Map<String, String> params) {
    if (signature != null) {
      ReceiptSignature.Verdict verdict = signature.verify(params, clock.instant());
      if (verdict != ReceiptSignature.Verdict.VALID) {
        log.warn(
            "delivery receipt refused verdict={} messageId={}",
            verdict,
            LogText.escape(params.get("messageId")));
        return Mono.just(
            error(
                HttpStatus.UNAUTHORIZED,
                "unauthorized",
                "signature " + verdict.name().toLowerCase()));
      }
    }
    DeliveryReceipt receipt = DeliveryReceipt.parse(params);
    if (receipt == null) {
      return Mono.just(
          error(HttpStatus.BAD_REQUEST, "invalid_request", "messageId and status are required"));
    }
    return receipts.accept(receipt).map(stored -> ResponseEntity.noContent().build());
  }

  /**
   * A Messages API status webhook (WhatsApp): a JSON object with {@code message_uuid}, signed with
   * a bearer JWT when a signature secret is configured. Mapped onto the SMS receipt vocabulary:
   * submitted → accepted, delivered and read → delivered, rejected, undeliverable → failed.
   */
  private Mono<ResponseEntity<Map<String, String>>> handleMessageStatus(
      String authorization, String body) {
    if (messageSignature != null) {
      ReceiptSignature.Verdict verdict =
          messageSignature.verify(authorization, body, clock.instant());
      if (verdict != ReceiptSignature.Verdict.VALID) {
        log.warn("message status refused verdict={}", verdict);
        return Mono.just(
            error(
                HttpStatus.UNAUTHORIZED,
                "unauthorized",
                "signature " + verdict.name().toLowerCase()));
      }
    }
    JsonNode root = json.readTree(body);
    String messageId = root.path("message_uuid").asString("");
    String status = root.path("status").asString("");
    if (messageId.isBlank() || status.isBlank()) {
      return Mono.just(
          error(HttpStatus.BAD_REQUEST, "invalid_request", "message_uuid and status are required"));
    }
    String mapped =
        switch (status.toLowerCase(java.util.Locale.ROOT)) {
          case "submitted" -> "accepted";
          case "delivered", "read" -> "delivered";
          case "rejected" -> "rejected";
          case "undeliverable" -> "failed";
          default -> "unknown";
        };
    Instant reportedAt = null;
    try {
      reportedAt = Instant.parse(root.path("timestamp").asString(""));
    } catch (java.time.format.DateTimeParseException e) {
      // left out, as for SMS receipts without a readable timestamp
    }
    DeliveryReceipt receipt =
        new DeliveryReceipt(
            messageId,
            mapped,
            blankToNull(root.path("error").path("title").asString("")),
            blankToNull(root.path("destination").path("network_code").asString("")),
            blankToNull(root.path("usage").path("price").asString("")),
            blankToNull(root.path("client_ref").asString("")),
            reportedAt);
    return receipts.accept(receipt).map(stored -> ResponseEntity.noContent().build());
  }

  private boolean isMessageStatus(String body) {
    try {
      JsonNode root = json.readTree(body);
      return root != null && root.isObject() && root.has("message_uuid");
    } catch (JacksonException e) {
      return false;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private Mono<String> body(ServerWebExchange exchange) {
    return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY_BYTES)
        .map(
            buffer -> {
              try {
                return buffer.toString(StandardCharsets.UTF_8);
              } finally {
                DataBufferUtils.release(buffer);
              }
            })
        .switchIfEmpty(Mono.error(new BadReceipt("empty body")))
        .onErrorMap(
            org.springframework.core.io.buffer.DataBufferLimitException.class,
            e -> new BadReceipt("body too large"));
  }

  private Mono<Map<String, String>> parameters(ServerWebExchange exchange) {
    var request = exchange.getRequest();
    if (request.getMethod() == HttpMethod.GET) {
      return Mono.just(single(request.getQueryParams()));
    }
    MediaType type = request.getHeaders().getContentType();
    if (type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
      return DataBufferUtils.join(request.getBody(), MAX_BODY_BYTES)
          .map(
              buffer -> {
                try {
                  return flat(buffer.toString(StandardCharsets.UTF_8));
                } finally {
                  DataBufferUtils.release(buffer);
                }
              })
          .switchIfEmpty(Mono.error(new BadReceipt("empty body")))
          .onErrorMap(
              org.springframework.core.io.buffer.DataBufferLimitException.class,
              e -> new BadReceipt("body too large"));
    }
    if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
      return exchange.getFormData().map(DeliveryReceiptController::single);
    }
    // Vonage's "POST" option without a usable body: the parameters may still be in the query.
    return Mono.just(single(request.getQueryParams()));
  }

  private Map<String, String> flat(String body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JacksonException e) {
      throw new BadReceipt("body is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new BadReceipt("body must be a JSON object");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      if (!value.isValueNode()) {
        throw new BadReceipt("field " + field.getKey() + " must be a string");
      }
      params.put(field.getKey(), value.asString());
    }
    return params;
  }

  private static Map<String, String> single(MultiValueMap<String, String> values) {
    Map<String, String> params = new LinkedHashMap<>();
    values.forEach(
        (name, list) -> {
          if (!list.isEmpty()) {
            params.put(name, list.get(0));
          }
        });
    return params;
  }

  /**
   * The shared three-field error body ({@code error}, {@code errorCode}, {@code errorDescription}).
   */
  private static ResponseEntity<Map<String, String>> error(
      HttpStatus status, String error, String description) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("errorCode", error);
    body.put("errorDescription", description);
    return ResponseEntity.status(status).body(body);
  }

  /** A receipt whose body cannot be read. */
  static final class BadReceipt extends RuntimeException {
    BadReceipt(String message) {
      super(message, null, false, false);
    }
  }
}
