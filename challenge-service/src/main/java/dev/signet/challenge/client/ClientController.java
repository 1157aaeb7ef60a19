package dev.signet.challenge.client;

import dev.signet.challenge.action.CompletedVia;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Fields;
import dev.signet.platform.web.CorrelationId;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
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

  /** The body of an SMS challenge call. */
  record ChallengeRequest(String smsChannel) {}

  /** A body the route reads nothing from; still a JSON object when sent. */
  record IgnoredBody() {}

  record EnrolRequest(String phoneNumber, String smsChannel) {}

  record VerifyRequest(String verificationCode) {}

  record ChallengeSent(String challengeId) {}

  record Enrolled(String userAuthenticatorId, String userId) {}

  /** Absent members are left out: a failure has no token, a success no reason. */
  record VerifyResponse(
      boolean isVerified,
      String accessToken,
      String failureReason,
      AuthenticatorView userAuthenticator) {}

  /** The authenticator as the browser SDK's {@code Authenticator} type describes it. */
  record AuthenticatorView(
      String userAuthenticatorId,
      String userId,
      String verificationMethod,
      String createdAt,
      String verifiedAt,
      String lastVerifiedAt,
      boolean isDefault,
      String phoneNumber,
      String previousSmsChannel) {

    static AuthenticatorView of(SmsAuthenticator a) {
      return new AuthenticatorView(
          a.userAuthenticatorId(),
          a.userId(),
          SmsAuthenticator.VERIFICATION_METHOD,
          a.createdAt().toString(),
          a.verifiedAt() == null ? null : a.verifiedAt().toString(),
          a.lastVerifiedAt() == null ? null : a.lastVerifiedAt().toString(),
          a.isDefault(),
          a.phoneNumber(),
          a.previousSmsChannel());
    }
  }

  @PostMapping(path = "/v1/client/challenge/sms", produces = JSON)
  Mono<ChallengeSent> challengeSms(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) ChallengeRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String channel = channel(body == null ? null : body.smsChannel());
    return flows
        .challenge(token(principal), SMS, channel, correlationId)
        .map(sent -> new ChallengeSent(sent.challengeId()));
  }

  @PostMapping(path = "/v1/client/challenge/whatsapp", produces = JSON)
  Mono<ChallengeSent> challengeWhatsapp(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) IgnoredBody body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    return flows
        .challenge(token(principal), WHATSAPP, WHATSAPP, correlationId)
        .map(sent -> new ChallengeSent(sent.challengeId()));
  }

  @PostMapping(path = "/v1/client/user-authenticators/sms", produces = JSON)
  Mono<Enrolled> enrolSms(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) EnrolRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    EnrolRequest fields = body == null ? new EnrolRequest(null, null) : body;
    PhoneNumber phone =
        PhoneNumbers.parse(Fields.required(fields.phoneNumber(), "phoneNumber", 64));
    String channel = channel(fields.smsChannel());
    return flows
        .enrol(token(principal), phone, channel, correlationId)
        .map(sent -> new Enrolled(sent.userAuthenticatorId(), sent.userId()));
  }

  @PostMapping(path = "/v1/client/verify/sms", produces = JSON)
  Mono<VerifyResponse> verifySms(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) VerifyRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId,
      @RequestHeader(name = PREBUILT_UI_HEADER, required = false) String prebuiltUi) {
    return verify(principal, SMS, body, correlationId, via(prebuiltUi));
  }

  @PostMapping(path = "/v1/client/verify/whatsapp", produces = JSON)
  Mono<VerifyResponse> verifyWhatsapp(
      @AuthenticationPrincipal ClientToken principal,
      @RequestBody(required = false) VerifyRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId,
      @RequestHeader(name = PREBUILT_UI_HEADER, required = false) String prebuiltUi) {
    return verify(principal, WHATSAPP, body, correlationId, via(prebuiltUi));
  }

  private static CompletedVia via(String prebuiltUi) {
    return "1".equals(prebuiltUi) ? CompletedVia.PREBUILT_UI : CompletedVia.CLIENT_API;
  }

  private Mono<VerifyResponse> verify(
      ClientToken principal,
      String method,
      VerifyRequest body,
      String correlationId,
      CompletedVia via) {
    String code =
        Fields.required(body == null ? null : body.verificationCode(), "verificationCode", 64);
    return verifications
        .verify(token(principal), method, code, correlationId, via)
        .map(
            verified ->
                new VerifyResponse(
                    verified.isVerified(),
                    verified.accessToken(),
                    verified.failureReason(),
                    verified.userAuthenticator() == null
                        ? null
                        : AuthenticatorView.of(verified.userAuthenticator())));
  }

  private static ClientToken token(ClientToken token) {
    if (token == null) {
      // The security chain guards every client route; reaching here without it is a wiring bug.
      throw new ApiException(ApiError.UNAUTHORIZED, "The request needs a token.");
    }
    return token;
  }

  private static String channel(String value) {
    String channel = Fields.optional(value, "smsChannel", 16);
    if (channel == null) {
      return "DEFAULT";
    }
    return switch (channel.toUpperCase(Locale.ROOT)) {
      case "DEFAULT", "SMS" -> "DEFAULT";
      case "WHATSAPP" -> "WHATSAPP";
      default -> throw ApiException.invalid("smsChannel must be DEFAULT, SMS or WHATSAPP.");
    };
  }
}
