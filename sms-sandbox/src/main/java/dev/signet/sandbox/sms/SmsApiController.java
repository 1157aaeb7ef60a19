package dev.signet.sandbox.sms;

import dev.signet.sandbox.ProviderState;
import dev.signet.sandbox.auth.Authentication;
import dev.signet.sandbox.fault.FaultDecision;
import dev.signet.sandbox.fault.FaultMode;
import dev.signet.sandbox.inbox.InboxMessage;
import dev.signet.sandbox.phone.PhoneNumbers;
import dev.signet.sandbox.receipt.SmsReceiptRequest;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vonage SMS API: {@code POST /sms/json}. Like Vonage it answers HTTP 200 with a per-message {@code
 * status} for every business outcome (0 accepted, 1 throttled, 2 missing parameter, 4 bad
 * credentials, 6 unroutable, 9 quota exceeded, ...) and reserves HTTP errors for server failures.
 */
@RestController
class SmsApiController {

  private static final Logger log = LoggerFactory.getLogger(SmsApiController.class);

  private final ProviderState provider;
  private final JsonMapper json;

  SmsApiController(ProviderState provider, JsonMapper json) {
    this.provider = provider;
    this.json = json;
  }

  @PostMapping("/sms/json")
  Mono<ResponseEntity<Object>> submit(ServerWebExchange exchange) {
    return SmsParameters.read(exchange, json)
        .map(
            params ->
                handle(
                    exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION), params))
        .flatMap(this::answer);
  }

  /** The answer to the outcome; a held send's once its hold ends. */
  private Mono<ResponseEntity<Object>> answer(Outcome outcome) {
    if (outcome.held() != null) {
      return provider
          .faults()
          .hold(
              outcome.held().fault(),
              outcome.held().clientRef(),
              outcome.held().to(),
              () -> Mono.fromSupplier(outcome.held().accept()))
          .flatMap(this::render);
    }
    return render(outcome);
  }

  private Outcome handle(String authorization, Map<String, String> params) {
    Authentication auth = provider.credentials().smsApi(authorization, params);
    if (auth instanceof Authentication.Missing missing) {
      return Outcome.status(SmsStatus.MISSING_PARAMS, "Missing " + missing.what());
    }
    if (auth instanceof Authentication.Invalid invalid) {
      SmsStatus status =
          "Invalid Signature".equals(invalid.reason())
              ? SmsStatus.INVALID_SIGNATURE
              : SmsStatus.INVALID_CREDENTIALS;
      return Outcome.status(status, invalid.reason());
    }
    String apiKey = ((Authentication.Authenticated) auth).apiKey();
    for (String required : List.of("from", "to", "text")) {
      String value = params.get(required);
      if (value == null || value.isEmpty()) {
        return Outcome.status(SmsStatus.MISSING_PARAMS, "Missing " + required + " param");
      }
    }
    Optional<String> to = PhoneNumbers.digits(params.get("to"));
    if (to.isEmpty()) {
      return Outcome.status(SmsStatus.INVALID_PARAMS, "Invalid to param");
    }
    String type = params.getOrDefault("type", "text");
    if (!type.equals("text") && !type.equals("unicode")) {
      return Outcome.status(
          SmsStatus.INVALID_PARAMS, "Invalid type param: the sandbox supports text and unicode");
    }
    String from = params.get("from");
    if (from.length() > 15 || (from.length() > 11 && !from.matches("\\+?[0-9]+"))) {
      return Outcome.status(SmsStatus.INVALID_FROM_ADDRESS, "Illegal Sender Address - rejected");
    }

    FaultDecision fault = provider.faults().next("vonage", PhoneNumbers.region(to.get()));
    switch (fault.mode()) {
      case THROTTLE:
        return Outcome.status(
            SmsStatus.THROTTLED, "Throughput Rate Exceeded - please wait [ 1000 ] and retry");
      case ERROR:
        return Outcome.SERVER_ERROR;
      case TIMEOUT:
        return Outcome.TIMEOUT;
      case REJECT:
        return Outcome.status(to.get(), SmsStatus.INVALID_MESSAGE, "Unroutable message - rejected");
      case QUOTA:
        return Outcome.status(
            to.get(), SmsStatus.PARTNER_QUOTA_EXCEEDED, "Quota Exceeded - rejected");
      case SLOW:
        return Outcome.held(
            new Held(
                fault,
                params.get("client-ref"),
                PhoneNumbers.e164(to.get()),
                () -> accept(params, apiKey, to.get(), from, type, fault)));
      default:
        break;
    }
    return accept(params, apiKey, to.get(), from, type, fault);
  }

  private Outcome accept(
      Map<String, String> params,
      String apiKey,
      String to,
      String from,
      String type,
      FaultDecision fault) {
    String text = params.get("text");
    SmsEncoding encoding = "unicode".equals(type) ? SmsEncoding.UCS2 : SmsEncoding.GSM7;
    int parts = encoding.parts(text);
    BigDecimal price = provider.properties().pricePerPart();
    Optional<BigDecimal> afterCharge =
        provider.account().charge(price.multiply(BigDecimal.valueOf(parts)));
    if (afterCharge.isEmpty()) {
      return Outcome.status(to, SmsStatus.PARTNER_QUOTA_EXCEEDED, "Quota Exceeded - rejected");
    }
    Optional<String> clientRef = Optional.ofNullable(params.get("client-ref"));
    Optional<String> callback =
        Optional.ofNullable(params.get("callback")).filter(s -> !s.isBlank());
    boolean silent = fault.mode() == FaultMode.SILENT;
    boolean wantsReceipt =
        !silent
            && !"0".equals(params.get("status-report-req"))
            && !"false".equalsIgnoreCase(params.get("status-report-req"));
    BigDecimal balance = afterCharge.get().add(price.multiply(BigDecimal.valueOf(parts)));
    List<Map<String, String>> messages = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      balance = balance.subtract(price);
      String messageId = provider.ids().next();
      messages.add(partMessage(to, messageId, balance, price, clientRef));
      if (wantsReceipt) {
        provider
            .receipts()
            .schedule(
                new SmsReceiptRequest(
                    messageId,
                    to,
                    from,
                    price.toPlainString(),
                    apiKey,
                    clientRef,
                    fault.receiptStatus(),
                    callback));
      }
    }
    String firstId = messages.get(0).get("message-id");
    if (!silent) {
      toInbox(firstId, to, from, params.get("text"), type, parts, clientRef);
    }
    return new Outcome(messages, HttpStatus.OK);
  }

  /** The whole text as the phone shows it, under the id of its first part. */
  private void toInbox(
      String id,
      String to,
      String from,
      String text,
      String type,
      int parts,
      Optional<String> clientRef) {
    InboxMessage message =
        new InboxMessage(
            id,
            PhoneNumbers.e164(to),
            from,
            text,
            "sms",
            provider.clock().instant(),
            "sms",
            type,
            parts,
            clientRef.orElse(null),
            false);
    provider.inbox().add(message);
    log.info(
        "sms accepted messageId={} to={} parts={} type={}", id, PhoneNumbers.mask(to), parts, type);
  }

  /** One entry of the answer's messages array: one per SMS part, each with its own id. */
  private Map<String, String> partMessage(
      String to, String messageId, BigDecimal balance, BigDecimal price, Optional<String> ref) {
    Map<String, String> message = new LinkedHashMap<>();
    message.put("to", to);
    message.put("message-id", messageId);
    message.put("status", "0");
    message.put("remaining-balance", balance.toPlainString());
    message.put("message-price", price.toPlainString());
    message.put("network", provider.properties().networkCode());
    ref.ifPresent(r -> message.put("client-ref", r));
    return message;
  }

  private Mono<ResponseEntity<Object>> render(Outcome outcome) {
    if (outcome == Outcome.SERVER_ERROR) {
      log.info("sms fault applied mode=error");
      return Mono.just(
          ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
              .contentType(MediaType.APPLICATION_JSON)
              .body(
                  Map.of(
                      "type", "https://developer.vonage.com/api-errors#internal",
                      "title", "Internal Error",
                      "detail", "Sandbox fault: internal error",
                      "instance", provider.ids().next())));
    }
    if (outcome == Outcome.TIMEOUT) {
      log.info(
          "sms fault applied mode=timeout holdMs={}",
          provider.properties().timeoutHold().toMillis());
      return Mono.delay(provider.properties().timeoutHold())
          .map(
              ignored ->
                  ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
                      .contentType(MediaType.APPLICATION_JSON)
                      .<Object>body(Map.of("error", "sandbox timeout fault")));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message-count", Integer.toString(outcome.messages().size()));
    body.put("messages", outcome.messages());
    return Mono.just(
        ResponseEntity.status(outcome.httpStatus())
            .contentType(MediaType.APPLICATION_JSON)
            .body(body));
  }

  /** A send the {@code slow} fault holds: {@code accept} takes it when the hold ends. */
  private record Held(FaultDecision fault, String clientRef, String to, Supplier<Outcome> accept) {}

  /**
   * The messages array of the answer, one of the two HTTP-level faults, or a send held by the
   * {@code slow} fault ({@code held}, not null only then).
   */
  private record Outcome(List<Map<String, String>> messages, HttpStatus httpStatus, Held held) {

    static final Outcome SERVER_ERROR = new Outcome(List.of(), HttpStatus.INTERNAL_SERVER_ERROR);
    static final Outcome TIMEOUT = new Outcome(List.of(), HttpStatus.GATEWAY_TIMEOUT);

    Outcome(List<Map<String, String>> messages, HttpStatus httpStatus) {
      this(messages, httpStatus, null);
    }

    static Outcome held(Held held) {
      return new Outcome(List.of(), HttpStatus.OK, held);
    }

    static Outcome status(SmsStatus status, String errorText) {
      Map<String, String> message = new LinkedHashMap<>();
      message.put("status", status.code());
      message.put("error-text", errorText);
      return new Outcome(List.of(message), HttpStatus.OK);
    }

    static Outcome status(String to, SmsStatus status, String errorText) {
      Map<String, String> message = new LinkedHashMap<>();
      message.put("to", to);
      message.put("status", status.code());
      message.put("error-text", errorText);
      return new Outcome(List.of(message), HttpStatus.OK);
    }
  }
}
