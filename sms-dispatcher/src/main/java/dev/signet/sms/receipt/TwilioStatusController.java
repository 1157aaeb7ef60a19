package dev.signet.sms.receipt;

import com.twilio.security.RequestValidator;
import dev.signet.platform.logging.LogText;
import dev.signet.sms.config.TwilioProperties;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Twilio's message status callback: a form {@code POST} with {@code MessageSid} and {@code
 * MessageStatus}, signed in {@code X-Twilio-Signature} with the account's auth token (HMAC-SHA1 of
 * the callback URL and the sorted form parameters), checked with the SDK's {@link RequestValidator}
 * against the configured {@code status-callback-url} plus the request's query (the attempt's {@code
 * clientRef}). The request's own host is never trusted for the URL, so a proxy cannot change what
 * is verified. Unsigned or forged callbacks, and every callback while Twilio is not configured,
 * answer 401 and are not stored.
 */
@RestController
class TwilioStatusController {

  static final String PATH = "/webhooks/twilio/status";
  private static final Logger log = LoggerFactory.getLogger(TwilioStatusController.class);

  private final ReceiptService receipts;
  private final TwilioProperties twilio;
  private final RequestValidator validator;

  TwilioStatusController(ReceiptService receipts, TwilioProperties twilio) {
    this.receipts = receipts;
    this.twilio = twilio;
    this.validator = twilio.authToken() == null ? null : new RequestValidator(twilio.authToken());
  }

  @PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  Mono<ResponseEntity<Map<String, String>>> receive(ServerWebExchange exchange) {
    String signature = exchange.getRequest().getHeaders().getFirst("X-Twilio-Signature");
    String query = exchange.getRequest().getURI().getRawQuery();
    return exchange.getFormData().flatMap(form -> handle(signature, query, single(form)));
  }

  private Mono<ResponseEntity<Map<String, String>>> handle(
      String signature, String query, Map<String, String> params) {
    if (validator == null || twilio.statusCallbackUrl() == null) {
      return Mono.just(unauthorized("twilio status callbacks are not configured"));
    }
    if (signature == null || signature.isBlank()) {
      log.warn(
          "twilio status refused: no signature sid={}", LogText.escape(params.get("MessageSid")));
      return Mono.just(unauthorized("signature missing"));
    }
    String base = twilio.statusCallbackUrl();
    String url =
        query == null || query.isEmpty() ? base : base + (base.contains("?") ? "&" : "?") + query;
    if (!validator.validate(url, params, signature)) {
      log.warn(
          "twilio status refused: bad signature sid={}", LogText.escape(params.get("MessageSid")));
      return Mono.just(unauthorized("signature invalid"));
    }
    String sid = blankToNull(params.get("MessageSid"));
    String status = blankToNull(params.get("MessageStatus"));
    if (sid == null || status == null) {
      return Mono.just(
          ResponseEntity.badRequest()
              .body(
                  Map.of(
                      "error",
                      "invalid_request",
                      "errorCode",
                      "invalid_request",
                      "errorDescription",
                      "MessageSid and MessageStatus are required")));
    }
    DeliveryReceipt receipt =
        new DeliveryReceipt(
            sid,
            mapped(status),
            blankToNull(params.get("ErrorCode")),
            null,
            null,
            clientRef(query),
            null);
    return receipts.accept(receipt).map(stored -> ResponseEntity.noContent().build());
  }

  /** Twilio's statuses in the receipt vocabulary shared with Vonage. */
  static String mapped(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "delivered", "read" -> "delivered";
      case "sent" -> "accepted";
      case "queued", "accepted", "scheduled", "sending" -> "buffered";
      case "undelivered" -> "failed";
      case "failed", "canceled" -> "rejected";
      default -> "unknown";
    };
  }

  private static String clientRef(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("clientRef=")) {
        return blankToNull(
            java.net.URLDecoder.decode(
                pair.substring("clientRef=".length()), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return null;
  }

  private static Map<String, String> single(MultiValueMap<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static ResponseEntity<Map<String, String>> unauthorized(String description) {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
        .body(
            Map.of(
                "error",
                "unauthorized",
                "errorCode",
                "unauthorized",
                "errorDescription",
                description));
  }
}
