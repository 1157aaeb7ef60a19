package dev.signet.sms.domain;

import java.time.Instant;

/**
 * What every event about one send attempt repeats, kept in the attempt's MongoDB document so that
 * events can be written long after the requested-challenge event (a stale claim, a receipt). Masked
 * number only: the full number is not stored.
 */
public record AttemptFacts(
    String challengeId,
    int attempt,
    String correlationId,
    String userId,
    String action,
    Channel channel,
    String phoneNumberMasked,
    String countryCode,
    String locale,
    Instant requestedAt) {

  public static AttemptFacts of(SendRequest request) {
    return of(request, request.locale() == null ? "" : request.locale());
  }

  /** The facts with the language of the template actually used. */
  public static AttemptFacts of(SendRequest request, String locale) {
    return new AttemptFacts(
        request.challengeId(),
        request.attempt(),
        request.correlationId(),
        request.userId(),
        request.action(),
        request.channel(),
        request.phoneNumberMasked(),
        request.countryCode(),
        locale,
        request.requestedAt());
  }

  public String attemptId() {
    return SendRequest.attemptId(challengeId, attempt);
  }
}
