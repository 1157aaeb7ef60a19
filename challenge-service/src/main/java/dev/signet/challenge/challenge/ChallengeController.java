package dev.signet.challenge.challenge;

import dev.signet.challenge.web.ApiException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /v1/challenge}: starts an SMS or WhatsApp challenge for a phone number. */
@RestController
class ChallengeController {

  private static final Pattern ACTION_CODE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");

  private final ChallengeIssuer issuer;

  ChallengeController(ChallengeIssuer issuer) {
    this.issuer = issuer;
  }

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

  @PostMapping(
      path = "/v1/challenge",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ChallengeResponse> challenge(
      @RequestBody ChallengeRequest request,
      @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
    IssueChallengeCommand command = validate(request, correlationId);
    return issuer
        .issue(command)
        .map(
            issued ->
                new ChallengeResponse(
                    issued.challengeId(),
                    issued.idempotencyKey(),
                    issued.expiresAt().getEpochSecond()));
  }

  private static IssueChallengeCommand validate(ChallengeRequest request, String correlationId) {
    String method = upper(request.verificationMethod());
    if (!"SMS".equals(method) && !"WHATSAPP".equals(method)) {
      throw ApiException.invalid("verificationMethod must be SMS or WHATSAPP.");
    }
    if (request.action() == null || !ACTION_CODE.matcher(request.action()).matches()) {
      throw ApiException.invalid("action must match ^[a-zA-Z0-9_-]{1,64}$.");
    }
    if (request.phoneNumber() == null || !E164.matcher(request.phoneNumber()).matches()) {
      throw ApiException.invalid("phoneNumber must be in E.164 format, e.g. +447700900123.");
    }
    String channel = upper(request.smsChannel());
    if ("WHATSAPP".equals(method) || "WHATSAPP".equals(channel)) {
      channel = "WHATSAPP";
    } else if (channel == null || "DEFAULT".equals(channel)) {
      channel = "DEFAULT";
    } else if (!"SMS".equals(channel)) {
      throw ApiException.invalid("smsChannel must be DEFAULT or WHATSAPP.");
    }
    if (request.userId() != null && !URL_SAFE_ID.matcher(request.userId()).matches()) {
      throw ApiException.invalid("userId must be 1-128 URL-safe characters.");
    }
    if (request.idempotencyKey() != null
        && !URL_SAFE_ID.matcher(request.idempotencyKey()).matches()) {
      throw ApiException.invalid("idempotencyKey must be 1-128 URL-safe characters.");
    }
    String correlation =
        correlationId != null && URL_SAFE_ID.matcher(correlationId).matches()
            ? correlationId
            : UUID.randomUUID().toString();
    return new IssueChallengeCommand(
        method,
        channel,
        request.action(),
        request.phoneNumber(),
        request.idempotencyKey(),
        request.userId(),
        request.locale(),
        correlation);
  }

  private static String upper(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }
}
