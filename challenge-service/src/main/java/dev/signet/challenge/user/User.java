package dev.signet.challenge.user;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user as Signet keeps it: the attributes the server API sets and the user's verified
 * authenticators, which live inside the user so that one single-document write changes both.
 *
 * @param userId the caller's user id (URL-safe, 1-128 characters)
 * @param email email address as given, or null
 * @param emailVerified whether the caller says the email is verified
 * @param phoneNumber phone number attribute in E.164, or null (independent of authenticators)
 * @param phoneRegion region of {@code phoneNumber}, or null
 * @param phoneNumberVerified whether the caller says the phone number is verified
 * @param username username, or null
 * @param displayName display name, or null
 * @param custom custom attributes (string keys, primitive values), never null
 * @param locale preferred locale (BCP 47), or null
 * @param authenticators verified SMS authenticators, never null
 * @param createdAt when the user was created
 * @param updatedAt when the user last changed
 */
public record User(
    String userId,
    String email,
    boolean emailVerified,
    String phoneNumber,
    String phoneRegion,
    boolean phoneNumberVerified,
    String username,
    String displayName,
    Map<String, Object> custom,
    String locale,
    List<SmsAuthenticator> authenticators,
    Instant createdAt,
    Instant updatedAt) {

  public User {
    custom = custom == null ? Map.of() : java.util.Collections.unmodifiableMap(custom);
    authenticators = authenticators == null ? List.of() : List.copyOf(authenticators);
  }

  static User empty(String userId, Instant now) {
    return new User(
        userId, null, false, null, null, false, null, null, Map.of(), null, List.of(), now, now);
  }

  /** A user is enrolled when they have at least one verified authenticator. */
  public boolean isEnrolled() {
    return !authenticators.isEmpty();
  }

  /** The SMS authenticator codes go to: the default one, else the oldest. */
  public Optional<SmsAuthenticator> defaultSmsAuthenticator() {
    return authenticators.stream()
        .filter(SmsAuthenticator::isDefault)
        .findFirst()
        .or(() -> authenticators.stream().findFirst());
  }

  Optional<SmsAuthenticator> authenticator(String userAuthenticatorId) {
    return authenticators.stream()
        .filter(a -> a.userAuthenticatorId().equals(userAuthenticatorId))
        .findFirst();
  }

  User withAuthenticators(List<SmsAuthenticator> next, Instant now) {
    return new User(
        userId,
        email,
        emailVerified,
        phoneNumber,
        phoneRegion,
        phoneNumberVerified,
        username,
        displayName,
        custom,
        locale,
        next,
        createdAt,
        now);
  }
}
