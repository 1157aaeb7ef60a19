package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Channel;
import dev.signet.challenge.challenge.domain.VerificationResult;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Fields;
import dev.signet.platform.web.CorrelationId;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The challenge endpoints of the server API (docs/api.md): challenge (and resend), verify, claim
 * and the challenge lookup. Field types are checked here; the flows live in the issuer, verifier
 * and claimer.
 */
@RestController
class ChallengeController {

  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

  private final ChallengeIssuer issuer;
  private final ChallengeVerifier verifier;
  private final ChallengeClaimer claimer;
  private final ChallengeQueries queries;
  private final int codeLength;

  ChallengeController(
      ChallengeIssuer issuer,
      ChallengeVerifier verifier,
      ChallengeClaimer claimer,
      ChallengeQueries queries,
      dev.signet.challenge.config.ChallengeProperties properties) {
    this.issuer = issuer;
    this.verifier = verifier;
    this.claimer = claimer;
    this.queries = queries;
    this.codeLength = properties.codeLength();
  }

  /** The body of {@code /v1/challenge}; {@code custom} is free-form by contract. */
  record ChallengeRequest(
      String verificationMethod,
      String action,
      String phoneNumber,
      String smsChannel,
      String challengeId,
      String idempotencyKey,
      String userId,
      String scope,
      String locale,
      String ipAddress,
      String userAgent,
      String deviceId,
      Map<String, Object> custom) {}

  record ChallengeResponse(String challengeId, String idempotencyKey, long expiresAt) {}

  record VerifyRequest(String challengeId, String verificationCode) {}

  /** Absent members are left out: a rejection has no phone number, a success no reason. */
  record VerifyResponse(
      boolean isVerified, String verificationMethod, String phoneNumber, String failureReason) {}

  record ClaimRequest(String challengeId, String userId, Boolean skipVerificationCheck) {}

  record ClaimResponse(String token, String verificationMethod) {}

  record LookupRequest(String challengeId) {}

  @PostMapping(path = "/v1/challenge", consumes = JSON, produces = JSON)
  Mono<ChallengeResponse> challenge(
      @RequestBody ChallengeRequest request,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    return Mono.fromCallable(() -> command(request, correlationId))
        .flatMap(issuer::issue)
        .map(
            issued ->
                new ChallengeResponse(
                    issued.challengeId(),
                    issued.idempotencyKey(),
                    issued.expiresAt().getEpochSecond()));
  }

  @PostMapping(path = "/v1/verify", consumes = JSON, produces = JSON)
  Mono<VerifyResponse> verify(
      @RequestBody VerifyRequest request,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String challengeId = Fields.id(request.challengeId(), "challengeId", true);
    String code = code(request.verificationCode());
    return verifier
        .verify(challengeId, code, correlationId)
        .map(ChallengeController::verifyResponse);
  }

  @PostMapping(path = "/v1/claim", consumes = JSON, produces = JSON)
  Mono<ClaimResponse> claim(
      @RequestBody ClaimRequest request,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String challengeId = Fields.id(request.challengeId(), "challengeId", true);
    String userId = Fields.id(request.userId(), "userId", true);
    boolean skipVerificationCheck = Boolean.TRUE.equals(request.skipVerificationCheck());
    return claimer
        .claim(challengeId, userId, skipVerificationCheck, correlationId)
        .map(claim -> new ClaimResponse(claim.token(), claim.verificationMethod()));
  }

  @GetMapping(path = "/v1/challenges", produces = JSON)
  Mono<ChallengeQueries.ChallengeView> challenges(
      @RequestParam(required = false) String challengeId) {
    return Mono.fromCallable(() -> Fields.id(challengeId, "challengeId", true))
        .flatMap(queries::describe);
  }

  @PostMapping(path = "/v1/challenges", produces = JSON)
  Mono<ChallengeQueries.ChallengeView> challengesByPost(
      @RequestParam(name = "challengeId", required = false) String queryChallengeId,
      @RequestBody(required = false) LookupRequest body) {
    String challengeId =
        queryChallengeId != null ? queryChallengeId : body == null ? null : body.challengeId();
    return Mono.fromCallable(() -> Fields.id(challengeId, "challengeId", true))
        .flatMap(queries::describe);
  }

  private String code(String value) {
    String code = Fields.required(value, "verificationCode", 64);
    if (code.length() != codeLength || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.invalid("verificationCode must be a string of " + codeLength + " digits.");
    }
    return code;
  }

  private static VerifyResponse verifyResponse(VerificationResult result) {
    if (result instanceof VerificationResult.Verified verified) {
      return new VerifyResponse(
          true,
          verified.challenge().verificationMethod(),
          verified.challenge().phoneNumber(),
          null);
    }
    VerificationResult.Rejected rejected = (VerificationResult.Rejected) result;
    return new VerifyResponse(false, "SMS", null, rejected.reason().name());
  }

  private static IssueChallengeCommand command(ChallengeRequest request, String correlationId) {
    String method = upper(Fields.required(request.verificationMethod(), "verificationMethod", 16));
    if (!"SMS".equals(method) && !"WHATSAPP".equals(method)) {
      throw ApiException.invalid("verificationMethod must be SMS or WHATSAPP.");
    }
    String action = Fields.required(request.action(), "action", 64);
    if (!Fields.ACTION_CODE.matcher(action).matches()) {
      throw ApiException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    String challengeId = Fields.id(request.challengeId(), "challengeId", false);
    PhoneNumber phone =
        challengeId != null && request.phoneNumber() == null
            ? null
            : PhoneNumbers.parse(Fields.required(request.phoneNumber(), "phoneNumber", 64));
    Channel channel =
        Channel.forServerRequest(
                method, upper(Fields.optional(request.smsChannel(), "smsChannel", 16)))
            .orElseThrow();
    String locale = Fields.optional(request.locale(), "locale", 35);
    if (locale != null && !locale.matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")) {
      throw ApiException.invalid("locale must be a BCP 47 language tag, e.g. en-GB.");
    }
    String ipAddress = Fields.optional(request.ipAddress(), "ipAddress", 64);
    Fields.optional(request.userAgent(), "userAgent", 1024);
    Fields.optional(request.deviceId(), "deviceId", 256);
    Fields.optional(request.scope(), "scope", 512);
    return new IssueChallengeCommand(
        method,
        channel,
        action,
        phone,
        challengeId,
        Fields.id(request.idempotencyKey(), "idempotencyKey", false),
        Fields.id(request.userId(), "userId", false),
        locale,
        "SIGN_IN",
        null,
        ipAddress,
        correlationId,
        null);
  }

  private static String upper(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }
}
