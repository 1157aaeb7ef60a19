package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Channel;
import dev.signet.challenge.challenge.domain.VerificationResult;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
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

  record ChallengeRequest(
      Object verificationMethod,
      Object action,
      Object phoneNumber,
      Object smsChannel,
      Object challengeId,
      Object idempotencyKey,
      Object userId,
      Object scope,
      Object locale,
      Object ipAddress,
      Object userAgent,
      Object deviceId,
      Object custom) {}

  record ChallengeResponse(String challengeId, String idempotencyKey, long expiresAt) {}

  record VerifyRequest(Object challengeId, Object verificationCode) {}

  record ClaimRequest(Object challengeId, Object userId, Object skipVerificationCheck) {}

  record ClaimResponse(String token, String verificationMethod) {}

  @PostMapping(path = "/v1/challenge", consumes = JSON, produces = JSON)
  Mono<ChallengeResponse> challenge(
      @RequestBody ChallengeRequest request,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
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
  Mono<Map<String, Object>> verify(
      @RequestBody VerifyRequest request,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    return Mono.fromCallable(
            () -> {
              String challengeId = Json.id(request.challengeId(), "challengeId", true);
              String code = code(request.verificationCode());
              return new String[] {challengeId, code};
            })
        .flatMap(args -> verifier.verify(args[0], args[1], correlation(correlationId)))
        .map(ChallengeController::verifyResponse);
  }

  @PostMapping(path = "/v1/claim", consumes = JSON, produces = JSON)
  Mono<ClaimResponse> claim(
      @RequestBody ClaimRequest request,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    return Mono.fromCallable(
            () ->
                new Object[] {
                  Json.id(request.challengeId(), "challengeId", true),
                  Json.id(request.userId(), "userId", true),
                  Json.flag(request.skipVerificationCheck(), "skipVerificationCheck")
                })
        .flatMap(
            args ->
                claimer.claim(
                    (String) args[0],
                    (String) args[1],
                    (Boolean) args[2],
                    correlation(correlationId)))
        .map(claim -> new ClaimResponse(claim.token(), claim.verificationMethod()));
  }

  @GetMapping(path = "/v1/challenges", produces = JSON)
  Mono<Map<String, Object>> challenges(@RequestParam(required = false) String challengeId) {
    return Mono.fromCallable(() -> Json.id(challengeId, "challengeId", true))
        .flatMap(queries::describe);
  }

  @PostMapping(path = "/v1/challenges", produces = JSON)
  Mono<Map<String, Object>> challengesByPost(
      @RequestParam(name = "challengeId", required = false) String queryChallengeId,
      @RequestBody(required = false) Map<String, Object> body) {
    Object challengeId =
        queryChallengeId != null ? queryChallengeId : body == null ? null : body.get("challengeId");
    return Mono.fromCallable(() -> Json.id(challengeId, "challengeId", true))
        .flatMap(queries::describe);
  }

  private String code(Object value) {
    String code = Json.requiredString(value, "verificationCode", 64);
    if (code.length() != codeLength || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.invalid("verificationCode must be a string of " + codeLength + " digits.");
    }
    return code;
  }

  private static Map<String, Object> verifyResponse(VerificationResult result) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (result instanceof VerificationResult.Verified verified) {
      body.put("isVerified", true);
      body.put("verificationMethod", verified.challenge().verificationMethod());
      body.put("phoneNumber", verified.challenge().phoneNumber());
    } else if (result instanceof VerificationResult.Rejected rejected) {
      body.put("isVerified", false);
      body.put("verificationMethod", "SMS");
      body.put("failureReason", rejected.reason().name());
    }
    return body;
  }

  private static IssueChallengeCommand command(ChallengeRequest request, String correlationId) {
    String method =
        upper(Json.requiredString(request.verificationMethod(), "verificationMethod", 16));
    if (!"SMS".equals(method) && !"WHATSAPP".equals(method)) {
      throw ApiException.invalid("verificationMethod must be SMS or WHATSAPP.");
    }
    String action = Json.requiredString(request.action(), "action", 64);
    if (!Json.ACTION_CODE.matcher(action).matches()) {
      throw ApiException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    String challengeId = Json.id(request.challengeId(), "challengeId", false);
    PhoneNumber phone =
        challengeId != null && request.phoneNumber() == null
            ? null
            : PhoneNumbers.parse(Json.requiredString(request.phoneNumber(), "phoneNumber", 64));
    Channel channel =
        Channel.forServerRequest(
                method, upper(Json.optionalString(request.smsChannel(), "smsChannel", 16)))
            .orElseThrow();
    String locale = Json.optionalString(request.locale(), "locale", 35);
    if (locale != null && !locale.matches("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")) {
      throw ApiException.invalid("locale must be a BCP 47 language tag, e.g. en-GB.");
    }
    String ipAddress = Json.optionalString(request.ipAddress(), "ipAddress", 64);
    Json.optionalString(request.userAgent(), "userAgent", 1024);
    Json.optionalString(request.deviceId(), "deviceId", 256);
    Json.optionalString(request.scope(), "scope", 512);
    if (request.custom() != null && !(request.custom() instanceof Map<?, ?>)) {
      throw ApiException.invalid("custom must be an object.");
    }
    return new IssueChallengeCommand(
        method,
        channel,
        action,
        phone,
        challengeId,
        Json.id(request.idempotencyKey(), "idempotencyKey", false),
        Json.id(request.userId(), "userId", false),
        locale,
        "SIGN_IN",
        null,
        ipAddress,
        correlation(correlationId),
        null);
  }

  private static String correlation(String header) {
    return header != null && Json.URL_SAFE_ID.matcher(header).matches()
        ? header
        : UUID.randomUUID().toString();
  }

  private static String upper(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }
}
