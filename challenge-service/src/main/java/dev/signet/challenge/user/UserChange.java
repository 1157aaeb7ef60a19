package dev.signet.challenge.user;

import java.util.List;
import java.util.Set;

/**
 * What a write did to a user, as domain facts; the messaging side turns each into its event. Kept
 * free of Avro so the merge logic can be tested on its own.
 */
sealed interface UserChange {

  /** What changed on an authenticator (mirrors the events' AuthenticatorChange). */
  enum AuthenticatorField {
    PHONE_NUMBER,
    DEFAULT,
    VERIFIED
  }

  record UserWritten(User user, boolean created, List<String> changedFields)
      implements UserChange {}

  record UserDeleted(String userId, List<String> removedAuthenticatorIds) implements UserChange {}

  record AuthenticatorEnrolled(
      SmsAuthenticator authenticator, ChangeSource source, String challengeId)
      implements UserChange {}

  record AuthenticatorUpdated(
      SmsAuthenticator authenticator,
      Set<AuthenticatorField> changes,
      String previousPhoneNumber,
      String previousCountryCode,
      ChangeSource source,
      String challengeId)
      implements UserChange {}

  record AuthenticatorRemoved(SmsAuthenticator authenticator, ChangeSource source, int remaining)
      implements UserChange {}
}
