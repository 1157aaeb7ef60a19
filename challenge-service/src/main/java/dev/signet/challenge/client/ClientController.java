package dev.signet.challenge.client;

import dev.signet.challenge.action.CompletedVia;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The client API routes (docs/api.md, client API) for SMS and WhatsApp. The caller is the verified
 * token of {@link ClientTokenManager}, the request's principal; field types are checked here, the
 * flows live in {@link ClientFlows} and {@link ClientVerifications}. Unknown body fields are
 * ignored, as the official SDKs may send more than Signet reads.
 */
@RestController
class ClientController {

  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
  private static final String SMS = "SMS";
  private static final String WHATSAPP = "WHATSAPP";

  /**
   * Sent by Signet's hosted page on its client calls; recorded on the action's state change only
   * when the hosted page was opened for the action attempt (see ActionLifecycle).
   */
  static final String PREBUILT_UI_HEADER = "X-Signet-Prebuilt-UI";

  private final ClientFlows flows;
  private final ClientVerifications verifications;

  ClientController(ClientFlows flows, ClientVerifications verifications) {
    this.flows = flows;
    this.verifications = verifications;
  }

  /** The checked body of an enrolment call. */
  private record Enrolment(PhoneNumber phone, String channel) {}

  @PostMapping(path = "/v1/client/challenge/sms", produces = JSON)
  Mono<Map<String, Object>> challengeSms(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    return Mono.fromCallable(() -> channel(body == null ? null : body.get("smsChannel")))
        .flatMap(
            channel -> flows.challenge(token(principal), SMS, channel, correlation(correlationId)))
        .map(sent -> Map.of("challengeId", sent.challengeId()));
  }

  @PostMapping(path = "/v1/client/challenge/whatsapp", produces = JSON)
  Mono<Map<String, Object>> challengeWhatsapp(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    return flows
        .challenge(token(principal), WHATSAPP, WHATSAPP, correlation(correlationId))
        .map(sent -> Map.of("challengeId", sent.challengeId()));
  }

  @PostMapping(path = "/v1/client/user-authenticators/sms", produces = JSON)
  Mono<Map<String, Object>> enrolSms(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    return Mono.fromCallable(
            () -> {
              Map<String, Object> fields = body == null ? Map.of() : body;
              PhoneNumber phone =
                  PhoneNumbers.parse(
                      Json.requiredString(fields.get("phoneNumber"), "phoneNumber", 64));
              return new Enrolment(phone, channel(fields.get("smsChannel")));
            })
        .flatMap(
            enrolment ->
                flows.enrol(
                    token(principal),
                    enrolment.phone(),
                    enrolment.channel(),
                    correlation(correlationId)))
        .map(
            sent -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("userAuthenticatorId", sent.userAuthenticatorId());
              out.put("userId", sent.userId());
              return out;
            });
  }

  @PostMapping(path = "/v1/client/verify/sms", produces = JSON)
  Mono<Map<String, Object>> verifySms(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId,
      @RequestHeader(name = PREBUILT_UI_HEADER, required = false) String prebuiltUi) {
    return verify(principal, SMS, body, correlationId, via(prebuiltUi));
  }

  @PostMapping(path = "/v1/client/verify/whatsapp", produces = JSON)
  Mono<Map<String, Object>> verifyWhatsapp(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) Map<String, Object> body,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId,
      @RequestHeader(name = PREBUILT_UI_HEADER, required = false) String prebuiltUi) {
    return verify(principal, WHATSAPP, body, correlationId, via(prebuiltUi));
  }

  private static CompletedVia via(String prebuiltUi) {
    return "1".equals(prebuiltUi) ? CompletedVia.PREBUILT_UI : CompletedVia.CLIENT_API;
  }

  private Mono<Map<String, Object>> verify(
      ClientToken principal,
      String method,
      Map<String, Object> body,
      String correlationId,
      CompletedVia via) {
    return Mono.fromCallable(
            () ->
                Json.requiredString(
                    body == null ? null : body.get("verificationCode"), "verificationCode", 64))
        .flatMap(
            code ->
                verifications.verify(
                    token(principal), method, code, correlation(correlationId), via))
        .map(ClientController::verifyResponse);
  }

  private static Map<String, Object> verifyResponse(ClientVerifications.Verified verified) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("isVerified", verified.isVerified());
    if (verified.accessToken() != null) {
      out.put("accessToken", verified.accessToken());
    }
    if (verified.failureReason() != null) {
      out.put("failureReason", verified.failureReason());
    }
    if (verified.userAuthenticator() != null) {
      out.put("userAuthenticator", authenticator(verified.userAuthenticator()));
    }
    return out;
  }

  /** The authenticator as the browser SDK's {@code Authenticator} type describes it. */
  static Map<String, Object> authenticator(SmsAuthenticator a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("userAuthenticatorId", a.userAuthenticatorId());
    out.put("userId", a.userId());
    out.put("verificationMethod", SmsAuthenticator.VERIFICATION_METHOD);
    out.put("createdAt", a.createdAt().toString());
    out.put("verifiedAt", a.verifiedAt() == null ? null : a.verifiedAt().toString());
    out.put("lastVerifiedAt", a.lastVerifiedAt() == null ? null : a.lastVerifiedAt().toString());
    out.put("isDefault", a.isDefault());
    out.put("phoneNumber", a.phoneNumber());
    if (a.previousSmsChannel() != null) {
      out.put("previousSmsChannel", a.previousSmsChannel());
    }
    return out;
  }

  private static ClientToken token(ClientToken token) {
    if (token == null) {
      // The security chain guards every client route; reaching here without it is a wiring bug.
      throw new ApiException(ApiError.UNAUTHORIZED, "The request needs a token.");
    }
    return token;
  }

  private static String channel(Object value) {
    String channel = Json.optionalString(value, "smsChannel", 16);
    if (channel == null) {
      return "DEFAULT";
    }
    return switch (channel.toUpperCase(Locale.ROOT)) {
      case "DEFAULT", "SMS" -> "DEFAULT";
      case "WHATSAPP" -> "WHATSAPP";
      default -> throw ApiException.invalid("smsChannel must be DEFAULT, SMS or WHATSAPP.");
    };
  }

  private static String correlation(String header) {
    return header != null && Json.URL_SAFE_ID.matcher(header).matches()
        ? header
        : UUID.randomUUID().toString();
  }
}
