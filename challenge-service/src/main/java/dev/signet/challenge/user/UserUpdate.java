package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.user.UserChange.AuthenticatorField;
import dev.signet.challenge.user.UserOperations.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pure transition of a {@code PATCH} of a user's attributes: only the fields the patch names
 * change, a new phone number is not verified because the old one was, and a number the caller
 * verified becomes the default SMS authenticator's. No change means no write and no event.
 */
final class UserUpdate {

  private UserUpdate() {}

  static Outcome<User> apply(Optional<User> current, String userId, UserPatch patch, Instant now) {
    User before = current.orElseGet(() -> User.empty(userId, now));
    List<String> changed = new ArrayList<>();
    String email = pick(patch, UserPatch.EMAIL, before.email(), changed);
    boolean emailVerified = pick(patch, UserPatch.EMAIL_VERIFIED, before.emailVerified(), changed);
    String phoneNumber = pick(patch, UserPatch.PHONE_NUMBER, before.phoneNumber(), changed);
    String phoneRegion =
        !patch.has(UserPatch.PHONE_NUMBER)
            ? before.phoneRegion()
            : patch.phone() == null ? null : patch.phone().region();
    boolean phoneVerified = phoneVerified(before, patch, phoneNumber, changed);
    String username = pick(patch, UserPatch.USERNAME, before.username(), changed);
    String displayName = pick(patch, UserPatch.DISPLAY_NAME, before.displayName(), changed);
    Map<String, Object> custom = pick(patch, UserPatch.CUSTOM, before.custom(), changed);
    String locale = pick(patch, UserPatch.LOCALE, before.locale(), changed);
    List<UserChange> facts = new ArrayList<>();
    List<SmsAuthenticator> authenticators = authenticators(before, patch, now, facts);
    boolean created = current.isEmpty();
    User next =
        new User(
            userId,
            email,
            emailVerified,
            phoneNumber,
            phoneRegion,
            phoneVerified,
            username,
            displayName,
            custom,
            locale,
            authenticators,
            before.createdAt(),
            now);
    if (!created && changed.isEmpty() && facts.isEmpty()) {
      return Outcome.unchanged(current, before);
    }
    facts.add(0, new UserChange.UserWritten(next, created, List.copyOf(changed)));
    return new Outcome<>(Optional.of(next), true, facts, next);
  }

  private static boolean phoneVerified(
      User before, UserPatch patch, String phoneNumber, List<String> changed) {
    if (patch.has(UserPatch.PHONE_NUMBER_VERIFIED)) {
      return pick(patch, UserPatch.PHONE_NUMBER_VERIFIED, before.phoneNumberVerified(), changed);
    }
    if (!Objects.equals(phoneNumber, before.phoneNumber())) {
      // A new number is not verified just because the old one was.
      if (before.phoneNumberVerified()) {
        changed.add(UserPatch.PHONE_NUMBER_VERIFIED);
      }
      return false;
    }
    return before.phoneNumberVerified();
  }

  /**
   * The caller verified a new number itself: the user's SMS codes go there from now on, so the
   * default SMS authenticator moves to it (announced in {@code facts}).
   */
  private static List<SmsAuthenticator> authenticators(
      User before, UserPatch patch, Instant now, List<UserChange> facts) {
    List<SmsAuthenticator> authenticators = before.authenticators();
    PhoneNumber phone = patch.phone();
    boolean verifiedNumberGiven =
        phone != null && Boolean.TRUE.equals(patch.get(UserPatch.PHONE_NUMBER_VERIFIED));
    if (!verifiedNumberGiven
        || authenticators.stream().anyMatch(a -> a.phoneNumber().equals(phone.e164()))) {
      return authenticators;
    }
    Optional<SmsAuthenticator> moving = before.defaultSmsAuthenticator();
    if (moving.isEmpty()) {
      return authenticators;
    }
    SmsAuthenticator old = moving.get();
    SmsAuthenticator moved = old.movedTo(phone.e164(), phone.region(), now);
    facts.add(
        new UserChange.AuthenticatorUpdated(
            moved,
            EnumSet.of(AuthenticatorField.PHONE_NUMBER, AuthenticatorField.VERIFIED),
            old.phoneNumber(),
            old.countryCode(),
            ChangeSource.USER_UPDATE,
            null));
    return authenticators.stream()
        .map(a -> a.userAuthenticatorId().equals(old.userAuthenticatorId()) ? moved : a)
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static <T> T pick(UserPatch patch, String field, T before, List<String> changed) {
    if (!patch.has(field)) {
      return before;
    }
    T value = (T) patch.get(field);
    if (value == null && UserPatch.CUSTOM.equals(field)) {
      value = (T) Map.of();
    }
    if (!Objects.equals(value, before)) {
      changed.add(field);
    }
    return value;
  }
}
