package dev.signet.sandbox.messages;

import dev.signet.sandbox.ProviderState;
import dev.signet.sandbox.auth.Authentication;
import dev.signet.sandbox.fault.FaultDecision;
import dev.signet.sandbox.fault.FaultMode;
import dev.signet.sandbox.inbox.InboxMessage;
import dev.signet.sandbox.phone.PhoneNumbers;
import dev.signet.sandbox.receipt.MessageStatusRequest;
import dev.signet.sandbox.sms.SmsEncoding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vonage Messages API: {@code POST /v1/messages} for text messages on the sms channel and
 * authentication templates ({@code message_type: custom}, {@link WhatsappTemplateMessage}) on the
 * whatsapp channel. Free text on whatsapp is refused as WhatsApp refuses a business-initiated one
 * outside a customer-care window, which a one-time code always is. Accepted messages answer 202
 * with a {@code message_uuid}; failures answer RFC 7807 problem JSON as Vonage does.
 */
@RestController
class MessagesApiController {

  private static final Logger log = LoggerFactory.getLogger(MessagesApiController.class);
  private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
  private static final List<String> CHANNELS = List.of("sms", "whatsapp");

  private final ProviderState provider;
  private final JsonMapper json;

  MessagesApiController(ProviderState provider, JsonMapper json) {
    this.provider = provider;
    this.json = json;
  }

  @PostMapping("/v1/messages")
  Mono<ResponseEntity<Object>> send(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody(required = false) String body) {
    Authentication auth = provider.credentials().messagesApi(authorization);
    if (!(auth instanceof Authentication.Authenticated authenticated)) {
      return problem(
          HttpStatus.UNAUTHORIZED,
          "https://developer.vonage.com/api-errors#unauthorized",
          "Unauthorized",
          "You did not provide correct provider.credentials().",
          List.of());
    }
    JsonNode request;
    try {
      request = json.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return problem(
          HttpStatus.BAD_REQUEST,
          "https://developer.vonage.com/api-errors/messages#1000",
          "Bad Request",
          "The request body could not be parsed as JSON.",
          List.of());
    }
    if ("whatsapp".equals(request.path("channel").asString(""))
        && "text".equals(request.path("message_type").asString(""))) {
      return problem(
          HttpStatus.UNPROCESSABLE_CONTENT,
          WhatsappTemplateMessage.OUTSIDE_WINDOW_TYPE,
          WhatsappTemplateMessage.OUTSIDE_WINDOW_TITLE,
          WhatsappTemplateMessage.OUTSIDE_WINDOW_DETAIL,
          List.of());
    }
    List<Map<String, String>> invalid = validate(request);
    if (!invalid.isEmpty()) {
      return invalidParams(invalid);
    }
    String to = PhoneNumbers.digits(request.path("to").asString()).orElseThrow();
    FaultDecision fault = provider.faults().next("vonage", PhoneNumbers.region(to));
    JsonNode sent = request;
    return answer(
        fault, optionalText(sent, "client_ref"), to, () -> accept(sent, authenticated, to, fault));
  }

  /** The answer an armed fault gives, else {@code accept}'s (once a slow fault's hold ends). */
  private Mono<ResponseEntity<Object>> answer(
      FaultDecision fault,
      Optional<String> clientRef,
      String to,
      Supplier<Mono<ResponseEntity<Object>>> accept) {
    switch (fault.mode()) {
      case SLOW:
        return provider.faults().hold(fault, clientRef.orElse(null), PhoneNumbers.e164(to), accept);
      case THROTTLE:
        return problem(
            HttpStatus.TOO_MANY_REQUESTS,
            "https://developer.vonage.com/api-errors#throttled",
            "Rate Limit Hit",
            "Please wait, then retry your request",
            List.of());
      case ERROR:
        return problem(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "https://developer.vonage.com/api-errors#internal",
            "Internal Error",
            "Sandbox fault: internal error",
            List.of());
      case TIMEOUT:
        log.info(
            "messages fault applied mode=timeout holdMs={}",
            provider.properties().timeoutHold().toMillis());
        return Mono.delay(provider.properties().timeoutHold())
            .then(
                problem(
                    HttpStatus.GATEWAY_TIMEOUT,
                    "https://developer.vonage.com/api-errors#timeout",
                    "Gateway Timeout",
                    "Sandbox fault: timeout",
                    List.of()));
      case REJECT:
        return invalidParams(List.of(Map.of("name", "to", "reason", "Invalid number")));
      case QUOTA:
        return lowBalance();
      default:
        return accept.get();
    }
  }

  private Mono<ResponseEntity<Object>> accept(
      JsonNode request, Authentication.Authenticated auth, String to, FaultDecision fault) {
    String channel = request.path("channel").asString();
    String from = request.path("from").asString();
    String text =
        "custom".equals(request.path("message_type").asString(""))
            ? WhatsappTemplateMessage.shownText(request.path("custom"))
            : request.path("text").asString();
    SmsEncoding smsEncoding = "sms".equals(channel) ? smsEncoding(request, text) : null;
    String type = smsEncoding == SmsEncoding.UCS2 ? "unicode" : "text";
    int parts = smsEncoding == null ? 1 : smsEncoding.parts(text);
    BigDecimal price = provider.properties().pricePerPart().multiply(BigDecimal.valueOf(parts));
    if (provider.account().charge(price).isEmpty()) {
      return lowBalance();
    }
    String messageUuid = provider.ids().next();
    Optional<String> clientRef = optionalText(request, "client_ref");
    if (fault.mode() == FaultMode.SILENT) {
      log.info("message accepted, never delivered (silent fault) messageId={}", messageUuid);
      return accepted(messageUuid);
    }
    provider
        .inbox()
        .add(
            new InboxMessage(
                messageUuid,
                PhoneNumbers.e164(to),
                from,
                text,
                channel,
                provider.clock().instant(),
                "messages",
                type,
                parts,
                clientRef.orElse(null),
                false));
    provider
        .receipts()
        .schedule(
            new MessageStatusRequest(
                messageUuid,
                to,
                from,
                channel,
                parts,
                price.toPlainString(),
                auth.apiKey(),
                auth.applicationId(),
                clientRef,
                fault.receiptStatus(),
                optionalText(request, "webhook_url")));
    log.info(
        "message accepted messageId={} channel={} to={} parts={}",
        messageUuid,
        channel,
        PhoneNumbers.mask(to),
        parts);
    return accepted(messageUuid);
  }

  private static Mono<ResponseEntity<Object>> accepted(String messageUuid) {
    return Mono.just(
        ResponseEntity.status(HttpStatus.ACCEPTED)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("message_uuid", messageUuid)));
  }

  /** The encoding an SMS goes out in: as requested, else detected from the text. */
  private static SmsEncoding smsEncoding(JsonNode request, String text) {
    return switch (request.path("sms").path("encoding_type").asString("auto")) {
      case "text" -> SmsEncoding.GSM7;
      case "unicode" -> SmsEncoding.UCS2;
      default -> SmsEncoding.detect(text);
    };
  }

  private static List<Map<String, String>> validate(JsonNode request) {
    List<Map<String, String>> invalid = new ArrayList<>();
    String channel = request.path("channel").asString("");
    String messageType = request.path("message_type").asString("");
    if (!CHANNELS.contains(channel)) {
      invalid.add(param("channel", "must be one of " + CHANNELS));
    }
    if ("whatsapp".equals(channel) && "custom".equals(messageType)) {
      invalid.addAll(WhatsappTemplateMessage.invalid(request.path("custom")));
    } else if ("whatsapp".equals(channel)) {
      invalid.add(
          param(
              "message_type",
              "a one-time code goes on whatsapp as an authentication template: message_type"
                  + " custom (a template with a button is interactive)"));
    } else if (!"text".equals(messageType)) {
      invalid.add(param("message_type", "the sandbox supports message_type text on sms only"));
    }
    if (PhoneNumbers.digits(request.path("to").asString(null)).isEmpty()) {
      invalid.add(param("to", "Invalid number"));
    }
    if (request.path("from").asString("").isBlank()) {
      invalid.add(param("from", "must not be empty"));
    }
    String text = request.path("text").asString("");
    if (!"text".equals(messageType)) {
      return invalid;
    }
    if (text.isEmpty()) {
      invalid.add(param("text", "must not be empty"));
    } else if (text.length() > 1000) {
      invalid.add(param("text", "too long"));
    }
    return invalid;
  }

  private static Map<String, String> param(String name, String reason) {
    return Map.of("name", name, "reason", reason);
  }

  private static Optional<String> optionalText(JsonNode request, String field) {
    return Optional.ofNullable(request.path(field).asString(null)).filter(s -> !s.isBlank());
  }

  private Mono<ResponseEntity<Object>> invalidParams(List<Map<String, String>> invalid) {
    return problem(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "https://developer.vonage.com/api-errors/messages#1150",
        "Invalid params",
        "The value of one or more parameters is invalid.",
        invalid);
  }

  private Mono<ResponseEntity<Object>> lowBalance() {
    return problem(
        HttpStatus.PAYMENT_REQUIRED,
        "https://developer.vonage.com/api-errors#low-balance",
        "Low balance",
        "This request could not be performed due to your account balance being low.",
        List.of());
  }

  private Mono<ResponseEntity<Object>> problem(
      HttpStatus status,
      String type,
      String title,
      String detail,
      List<Map<String, String>> invalidParameters) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("title", title);
    body.put("detail", detail);
    body.put("instance", provider.ids().next());
    if (!invalidParameters.isEmpty()) {
      body.put("invalid_parameters", invalidParameters);
    }
    return Mono.just(ResponseEntity.status(status).contentType(PROBLEM).body(body));
  }
}
