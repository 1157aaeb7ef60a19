package dev.signet.challenge.client;

import java.time.Instant;

/**
 * The code a client API token last asked for: one per action attempt, replaced by the next
 * challenge or enrolment call with a token of that attempt. Verify reads it, so a code can only be
 * checked with a token of the action it was sent for.
 *
 * @param actionId user, action code and idempotency key of the token ({@code _id})
 * @param userId the token's user
 * @param purpose why the code was sent
 * @param challengeId the challenge holding the code
 * @param verificationMethod SMS or WHATSAPP (which verify route may check it)
 * @param channel DEFAULT or WHATSAPP
 * @param phoneNumber E.164 number the code went to
 * @param userAuthenticatorId the authenticator a success verifies, creates or moves
 * @param updatedAt when the code was last asked for
 */
record ClientSession(
    String actionId,
    String userId,
    Purpose purpose,
    String challengeId,
    String verificationMethod,
    String channel,
    String phoneNumber,
    String userAuthenticatorId,
    Instant updatedAt) {

  /** Why the code was sent; names match the challenge events' ChallengePurpose. */
  enum Purpose {
    /** Second factor for a tracked action (CHALLENGE_REQUIRED). */
    ACTION,
    /** A new SMS authenticator is being added. */
    ENROLMENT,
    /** The number of the user's SMS authenticator is being changed. */
    NUMBER_CHANGE
  }

  /** Whether a new request asks for the same code again (a resend) rather than a new one. */
  boolean sameRequest(Purpose purpose, String method, String channel, String phoneNumber) {
    return this.purpose == purpose
        && this.verificationMethod.equals(method)
        && this.channel.equals(channel)
        && this.phoneNumber.equals(phoneNumber);
  }
}
