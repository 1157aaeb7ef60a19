package dev.signet.challenge.user;

import java.time.Instant;

/**
 * A verified SMS authenticator of a user. Only verified authenticators exist in Signet: server
 * enrolment trusts the caller's verification, client enrolment stores one after a verified code.
 *
 * @param userAuthenticatorId stable id (UUID)
 * @param userId owning user
 * @param phoneNumber number in E.164
 * @param countryCode ISO 3166-1 alpha-2 region of the number
 * @param createdAt when it was enrolled
 * @param verifiedAt when the number was first verified
 * @param lastVerifiedAt when a code to this number was last verified (or the number last moved)
 * @param isDefault whether it is the user's default authenticator
 * @param previousSmsChannel channel of the last code sent to it (DEFAULT or WHATSAPP), if any
 */
public record SmsAuthenticator(
    String userAuthenticatorId,
    String userId,
    String phoneNumber,
    String countryCode,
    Instant createdAt,
    Instant verifiedAt,
    Instant lastVerifiedAt,
    boolean isDefault,
    String previousSmsChannel) {

  /** The only verification method of authenticators Signet stores. */
  public static final String VERIFICATION_METHOD = "SMS";

  SmsAuthenticator withDefault(boolean value) {
    return new SmsAuthenticator(
        userAuthenticatorId,
        userId,
        phoneNumber,
        countryCode,
        createdAt,
        verifiedAt,
        lastVerifiedAt,
        value,
        previousSmsChannel);
  }

  SmsAuthenticator movedTo(String e164, String region, Instant now) {
    return new SmsAuthenticator(
        userAuthenticatorId,
        userId,
        e164,
        region,
        createdAt,
        verifiedAt,
        now,
        isDefault,
        previousSmsChannel);
  }

  SmsAuthenticator verifiedAgain(Instant now) {
    return new SmsAuthenticator(
        userAuthenticatorId,
        userId,
        phoneNumber,
        countryCode,
        createdAt,
        verifiedAt,
        now,
        isDefault,
        previousSmsChannel);
  }
}
