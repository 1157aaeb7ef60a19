package dev.signet.sms.domain;

import dev.signet.platform.seal.SealBinding;
import java.time.Instant;

/**
 * One send attempt of a challenge as the dispatcher needs it, mapped from the requested-challenge
 * event. {@code (challengeId, attempt)} identifies one message. {@code channel} is {@code SMS} or
 * {@code WHATSAPP}; {@code testNumber} is challenge-service's word that the number is a configured
 * test number. {@code sealVersion} says how the code is sealed ({@link SealBinding}).
 */
public record SendRequest(
    String eventId,
    String correlationId,
    String challengeId,
    int attempt,
    String phoneNumber,
    String phoneNumberMasked,
    String countryCode,
    Channel channel,
    String action,
    String userId,
    String locale,
    Instant requestedAt,
    Instant expiresAt,
    String sealKeyId,
    byte[] sealedCode,
    boolean testNumber,
    int sealVersion,
    String requestedChannel) {

  /**
   * What the sealed code must have been sealed for: the event's own challenge id, attempt, number,
   * channel (as the event names it: {@code DEFAULT}, {@code SMS}, {@code WHATSAPP}) and expiry.
   */
  public SealBinding sealBinding() {
    return new SealBinding(challengeId, attempt, phoneNumber, requestedChannel, expiresAt);
  }

  /**
   * The lifetime the code was issued with, in whole minutes: "expires in 10 minutes", not 9 after a
   * delay.
   */
  public long lifetimeMinutes() {
    return Math.max(
        1, Math.round(java.time.Duration.between(requestedAt, expiresAt).toSeconds() / 60.0));
  }

  /** The attempt's id in MongoDB and the Vonage client reference of its message. */
  public String attemptId() {
    return attemptId(challengeId, attempt);
  }

  public static String attemptId(String challengeId, int attempt) {
    return challengeId + ":" + attempt;
  }
}
