package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Channel;
import dev.signet.challenge.phone.PhoneNumber;

/**
 * A validated request for a challenge. With {@code challengeId} it is a resend of that challenge
 * (and the phone number may be absent); with an {@code idempotencyKey} already used it is a retry
 * or a resend of that challenge. {@code actionAttemptId} names the tracked action attempt of a
 * client API request (null for the server API): the cap on distinct numbers per action attempt
 * counts by it.
 */
public record IssueChallengeCommand(
    String verificationMethod,
    Channel channel,
    String action,
    PhoneNumber phone,
    String challengeId,
    String idempotencyKey,
    String userId,
    String locale,
    String purpose,
    String userAuthenticatorId,
    String ipAddress,
    String correlationId,
    String actionAttemptId) {

  /** A command from already normalised strings: an E.164 number and its region, a channel name. */
  public IssueChallengeCommand(
      String verificationMethod,
      String channel,
      String action,
      String phoneNumber,
      String countryCode,
      String challengeId,
      String idempotencyKey,
      String userId,
      String locale,
      String purpose,
      String userAuthenticatorId,
      String ipAddress,
      String correlationId,
      String actionAttemptId) {
    this(
        verificationMethod,
        Channel.valueOf(channel),
        action,
        phoneNumber == null ? null : new PhoneNumber(phoneNumber, countryCode),
        challengeId,
        idempotencyKey,
        userId,
        locale,
        purpose,
        userAuthenticatorId,
        ipAddress,
        correlationId,
        actionAttemptId);
  }

  /** The E.164 number, or null for a resend that names only the challenge. */
  public String phoneNumber() {
    return phone == null ? null : phone.e164();
  }

  public String countryCode() {
    return phone == null ? null : phone.region();
  }
}
