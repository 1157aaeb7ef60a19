package dev.signet.sandbox.twilio;

import dev.signet.sandbox.ProviderState;
import dev.signet.sandbox.fault.FaultDecision;
import dev.signet.sandbox.fault.FaultMode;
import dev.signet.sandbox.inbox.InboxMessage;
import dev.signet.sandbox.phone.PhoneNumbers;
import dev.signet.sandbox.receipt.TwilioStatusCallbacks;
import dev.signet.sandbox.sms.SmsEncoding;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Twilio Programmable Messaging: {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json},
 * form-encoded {@code To}, {@code From}, {@code Body}, optional {@code StatusCallback}, with HTTP
 * basic auth (account SID, auth token). Answers {@code 201} with the message resource as Twilio
 * does, errors as Twilio's JSON ({@code code}, {@code message}, {@code more_info}, {@code status}),
 * so the official SDK runs against it. Faults armed for provider {@code twilio} (or unscoped)
 * apply; accepted messages land in the inbox with {@code api: "twilio"} (and the {@code clientRef}
 * of their status callback URL) and, when a status callback was given, get a signed status
 * callback.
 */
@RestController
class TwilioApiController {

  private static final Logger log = LoggerFactory.getLogger(TwilioApiController.class);
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final ProviderState provider;
  private final TwilioSandboxProperties account;
  private final TwilioStatusCallbacks callbacks;

  TwilioApiController(
      ProviderState provider, TwilioSandboxProperties account, TwilioStatusCallbacks callbacks) {
    this.provider = provider;
    this.account = account;
    this.callbacks = callbacks;
  }

  @PostMapping(path = "/2010-04-01/Accounts/{accountSid}/Messages.json")
  Mono<ResponseEntity<Object>> create(
      @PathVariable("accountSid") String accountSid, ServerWebExchange exchange) {
    String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    return exchange.getFormData().flatMap(form -> handle(accountSid, authorization, single(form)));
  }

  private Mono<ResponseEntity<Object>> handle(
      String accountSid, String authorization, Map<String, String> params) {
    Optional<String[]> credentials = basic(authorization).filter(c -> accepted(accountSid, c));
    if (credentials.isEmpty()) {
      return error(HttpStatus.UNAUTHORIZED, 20003, "Authenticate");
    }
    String token = account.authToken() != null ? account.authToken() : credentials.get()[1];
    Mono<ResponseEntity<Object>> refused = invalid(params);
    if (refused != null) {
      return refused;
    }
    String to = PhoneNumbers.digits(params.get("To")).orElseThrow();
    FaultDecision fault = provider.faults().next("twilio", PhoneNumbers.region(to));
    Mono<ResponseEntity<Object>> faulted = faultAnswer(fault);
    if (faulted != null) {
      return faulted;
    }
    if (fault.mode() == FaultMode.SLOW) {
      return provider
          .faults()
          .hold(
              fault,
              Optional.ofNullable(params.get("StatusCallback"))
                  .flatMap(TwilioApiController::clientRef)
                  .orElse(null),
              PhoneNumbers.e164(to),
              () -> accept(accountSid, token, params, to, fault));
    }
    return accept(accountSid, token, params, to, fault);
  }

  /** Takes a message that passed every check: charged, in the inbox, its callback scheduled. */
  private Mono<ResponseEntity<Object>> accept(
      String accountSid, String token, Map<String, String> params, String to, FaultDecision fault) {
    String from = params.get("From");
    String body = params.get("Body");
    SmsEncoding encoding = SmsEncoding.detect(body);
    int parts = encoding.parts(body);
    BigDecimal price = provider.properties().pricePerPart().multiply(BigDecimal.valueOf(parts));
    if (provider.account().charge(price).isEmpty()) {
      return error(HttpStatus.BAD_REQUEST, 21611, "The 'From' number has exceeded its queue.");
    }
    String sid = "SM" + provider.ids().next().replace("-", "");
    String e164 = PhoneNumbers.e164(to);
    Optional<String> callback =
        Optional.ofNullable(params.get("StatusCallback")).filter(s -> !s.isBlank());
    if (fault.mode() == FaultMode.SILENT) {
      log.info("twilio message accepted, never delivered (silent fault) sid={}", sid);
    } else {
      provider
          .inbox()
          .add(
              new InboxMessage(
                  sid,
                  e164,
                  from,
                  body,
                  "sms",
                  provider.clock().instant(),
                  "twilio",
                  encoding == SmsEncoding.UCS2 ? "unicode" : "text",
                  parts,
                  callback.flatMap(TwilioApiController::clientRef).orElse(null),
                  false));
      callback.ifPresent(
          url ->
              callbacks.schedule(sid, accountSid, token, e164, from, url, fault.receiptStatus()));
      log.info("twilio message accepted sid={} to={} parts={}", sid, PhoneNumbers.mask(to), parts);
    }
    return Mono.just(
        ResponseEntity.status(HttpStatus.CREATED)
            .contentType(MediaType.APPLICATION_JSON)
            .body(resource(sid, accountSid, e164, from, body, parts, price)));
  }

  /** The path's account with a non-empty token, the configured pair when one is configured. */
  private boolean accepted(String accountSid, String[] credentials) {
    return credentials[0].equals(accountSid)
        && !credentials[1].isEmpty()
        && (!account.credentialsRequired()
            || (account.accountSid().equals(credentials[0])
                && account.authToken().equals(credentials[1])));
  }

  /** Twilio's answer to a message it would not take, or null when the parameters are fine. */
  private static Mono<ResponseEntity<Object>> invalid(Map<String, String> params) {
    String rawTo = params.get("To");
    if (rawTo == null || rawTo.isBlank()) {
      return error(HttpStatus.BAD_REQUEST, 21604, "A 'To' phone number is required.");
    }
    if (PhoneNumbers.digits(rawTo).isEmpty() || !rawTo.trim().startsWith("+")) {
      return error(HttpStatus.BAD_REQUEST, 21211, "The 'To' number is not a valid phone number.");
    }
    String from = params.get("From");
    if (from == null || from.isBlank()) {
      return error(HttpStatus.BAD_REQUEST, 21603, "A 'From' phone number is required.");
    }
    String body = params.get("Body");
    if (body == null || body.isEmpty()) {
      return error(HttpStatus.BAD_REQUEST, 21602, "Message body is required.");
    }
    return null;
  }

  /** The answer an armed fault gives instead of accepting, or null when none applies. */
  private Mono<ResponseEntity<Object>> faultAnswer(FaultDecision fault) {
    return switch (fault.mode()) {
      case THROTTLE -> error(HttpStatus.TOO_MANY_REQUESTS, 20429, "Too Many Requests");
      case ERROR -> error(HttpStatus.INTERNAL_SERVER_ERROR, 20500, "Internal Server Error");
      case TIMEOUT ->
          Mono.delay(provider.properties().timeoutHold())
              .then(error(HttpStatus.GATEWAY_TIMEOUT, 20504, "Gateway Timeout"));
      case REJECT ->
          error(
              HttpStatus.BAD_REQUEST,
              21612,
              "The 'To' phone number is not currently reachable via SMS.");
      case QUOTA ->
          error(HttpStatus.BAD_REQUEST, 21611, "The 'From' number has exceeded its queue.");
      default -> null;
    };
  }

  private Map<String, Object> resource(
      String sid,
      String accountSid,
      String to,
      String from,
      String body,
      int parts,
      BigDecimal price) {
    String now = RFC_2822.format(provider.clock().instant());
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("sid", sid);
    message.put("account_sid", accountSid);
    message.put("to", to);
    message.put("from", from);
    message.put("body", body);
    message.put("status", "queued");
    message.put("num_segments", Integer.toString(parts));
    message.put("num_media", "0");
    message.put("direction", "outbound-api");
    message.put("api_version", "2010-04-01");
    message.put("price", "-" + price.toPlainString());
    message.put("price_unit", "EUR");
    message.put("error_code", null);
    message.put("error_message", null);
    message.put("date_created", now);
    message.put("date_updated", now);
    message.put("date_sent", null);
    message.put("uri", "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid + ".json");
    return message;
  }

  private static Mono<ResponseEntity<Object>> error(HttpStatus status, int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    body.put("status", status.value());
    return Mono.just(
        ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body));
  }

  /** The user and password of HTTP basic auth, if well-formed. */
  private static Optional<String[]> basic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon <= 0
          ? Optional.empty()
          : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code clientRef} query parameter of a status callback URL. Twilio has no client reference
   * of its own; a sender that puts one in its callback URL (as sms-dispatcher does) finds it in the
   * inbox beside the Vonage messages' {@code client-ref}.
   */
  static Optional<String> clientRef(String statusCallback) {
    try {
      return Optional.ofNullable(
              UriComponentsBuilder.fromUriString(statusCallback)
                  .build()
                  .getQueryParams()
                  .getFirst("clientRef"))
          .map(ref -> UriUtils.decode(ref, StandardCharsets.UTF_8))
          .filter(ref -> !ref.isBlank());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> single(MultiValueMap<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }
}
