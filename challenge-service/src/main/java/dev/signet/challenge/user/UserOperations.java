package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.user.UserChange.AuthenticatorField;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pure state transitions of a user: each takes the current state (absent for an unknown or
 * deleted user) and returns the next state, the facts to announce and the caller's result. No I/O,
 * so the store can retry a transition after losing a race and the rules are unit-testable.
 */
final class UserOperations {

  /** At most this many authenticators per user; bounds the document and the fan-out of events. */
  static final int MAX_AUTHENTICATORS = 10;

  private UserOperations() {}

  /**
   * Result of a transition.
   *
   * @param next the state to store; empty means delete the user
   * @param write whether anything changed (no write and no event otherwise)
   * @param changes the facts to announce, in order
   * @param result what the caller gets
   */
  record Outcome<R>(Optional<User> next, boolean write, List<UserChange> changes, R result) {

    static <R> Outcome<R> unchanged(Optional<User> current, R result) {
      return new Outcome<>(current, false, List.of(), result);
    }
  }

  /** Applies a {@code PATCH} of the user's attributes (creating an unknown user). */
  static Outcome<User> update(Optional<User> current, String userId, UserPatch patch, Instant now) {
    return UserUpdate.apply(current, userId, patch, now);
  }

  /**
   * Adds a verified SMS authenticator, or returns the user's existing one for the same number
   * (enrolment is idempotent per number). The first authenticator is always the default.
   */
  static Outcome<SmsAuthenticator> enrol(
      Optional<User> current,
      String userId,
      PhoneNumber phone,
      boolean makeDefault,
      ChangeSource source,
      String challengeId,
      Instant now,
      Supplier<String> newId) {
    User before = current.orElseGet(() -> User.empty(userId, now));
    Optional<SmsAuthenticator> existing =
        before.authenticators().stream()
            .filter(a -> a.phoneNumber().equals(phone.e164()))
            .findFirst();
    if (existing.isPresent()) {
      return Outcome.unchanged(current, existing.get());
    }
    if (before.authenticators().size() >= MAX_AUTHENTICATORS) {
      throw ApiException.invalid(
          "A user can have at most " + MAX_AUTHENTICATORS + " authenticators.");
    }
    boolean isDefault = makeDefault || before.authenticators().isEmpty();
    List<UserChange> facts = new ArrayList<>();
    List<SmsAuthenticator> next = new ArrayList<>();
    for (SmsAuthenticator a : before.authenticators()) {
      if (isDefault && a.isDefault()) {
        SmsAuthenticator demoted = a.withDefault(false);
        next.add(demoted);
        facts.add(
            new UserChange.AuthenticatorUpdated(
                demoted, EnumSet.of(AuthenticatorField.DEFAULT), null, null, source, challengeId));
      } else {
        next.add(a);
      }
    }
    SmsAuthenticator added =
        new SmsAuthenticator(
            newId.get(), userId, phone.e164(), phone.region(), now, now, now, isDefault, null);
    next.add(added);
    facts.add(0, new UserChange.AuthenticatorEnrolled(added, source, challengeId));
    User after = before.withAuthenticators(next, now);
    if (current.isEmpty()) {
      facts.add(0, new UserChange.UserWritten(after, true, List.of()));
    }
    return new Outcome<>(Optional.of(after), true, facts, added);
  }

  /**
   * Moves an authenticator to a new number after a code sent to that number was verified (client
   * API, {@code update:authenticators}). Moving to the number it already has changes nothing; a
   * number another authenticator of the user holds is refused, so one number never backs two.
   */
  static Outcome<SmsAuthenticator> changeNumber(
      Optional<User> current,
      String userAuthenticatorId,
      PhoneNumber phone,
      String challengeId,
      Instant now) {
    SmsAuthenticator old =
        current
            .flatMap(u -> u.authenticator(userAuthenticatorId))
            .orElseThrow(
                () -> new ApiException(ApiError.NOT_FOUND, "The authenticator was not found."));
    if (old.phoneNumber().equals(phone.e164())) {
      return Outcome.unchanged(current, old);
    }
    User before = current.get();
    if (before.authenticators().stream().anyMatch(a -> a.phoneNumber().equals(phone.e164()))) {
      throw ApiException.invalid("Another authenticator of the user already has this number.");
    }
    SmsAuthenticator moved = old.movedTo(phone.e164(), phone.region(), now);
    List<SmsAuthenticator> next =
        before.authenticators().stream()
            .map(a -> a.userAuthenticatorId().equals(userAuthenticatorId) ? moved : a)
            .toList();
    return new Outcome<>(
        Optional.of(before.withAuthenticators(next, now)),
        true,
        List.of(
            new UserChange.AuthenticatorUpdated(
                moved,
                EnumSet.of(AuthenticatorField.PHONE_NUMBER, AuthenticatorField.VERIFIED),
                old.phoneNumber(),
                old.countryCode(),
                ChangeSource.CLIENT_API,
                challengeId)),
        moved);
  }

  /** Removes one authenticator; the oldest remaining one becomes the default if needed. */
  static Outcome<SmsAuthenticator> removeAuthenticator(
      Optional<User> current, String userAuthenticatorId, Instant now) {
    SmsAuthenticator removed =
        current
            .flatMap(u -> u.authenticator(userAuthenticatorId))
            .orElseThrow(
                () -> new ApiException(ApiError.NOT_FOUND, "The authenticator was not found."));
    User before = current.get();
    List<SmsAuthenticator> remaining = new ArrayList<>();
    List<UserChange> facts = new ArrayList<>();
    for (SmsAuthenticator a : before.authenticators()) {
      if (!a.userAuthenticatorId().equals(userAuthenticatorId)) {
        remaining.add(a);
      }
    }
    facts.add(
        new UserChange.AuthenticatorRemoved(removed, ChangeSource.SERVER_API, remaining.size()));
    if (removed.isDefault() && !remaining.isEmpty()) {
      SmsAuthenticator promoted = remaining.get(0).withDefault(true);
      remaining.set(0, promoted);
      facts.add(
          new UserChange.AuthenticatorUpdated(
              promoted,
              EnumSet.of(AuthenticatorField.DEFAULT),
              null,
              null,
              ChangeSource.SERVER_API,
              null));
    }
    return new Outcome<>(
        Optional.of(before.withAuthenticators(remaining, now)), true, facts, removed);
  }

  /** Records a successful verification against an authenticator (its lastVerifiedAt). */
  static Outcome<Optional<SmsAuthenticator>> verified(
      Optional<User> current, String userAuthenticatorId, String challengeId, Instant now) {
    Optional<SmsAuthenticator> found = current.flatMap(u -> u.authenticator(userAuthenticatorId));
    if (found.isEmpty()) {
      return Outcome.unchanged(current, Optional.empty());
    }
    SmsAuthenticator after = found.get().verifiedAgain(now);
    User user = current.get();
    List<SmsAuthenticator> next =
        user.authenticators().stream()
            .map(a -> a.userAuthenticatorId().equals(userAuthenticatorId) ? after : a)
            .toList();
    return new Outcome<>(
        Optional.of(user.withAuthenticators(next, now)),
        true,
        List.of(
            new UserChange.AuthenticatorUpdated(
                after,
                EnumSet.of(AuthenticatorField.VERIFIED),
                null,
                null,
                ChangeSource.CLIENT_API,
                challengeId)),
        Optional.of(after));
  }

  /** Deletes the user and every authenticator; deleting an unknown user changes nothing. */
  static Outcome<Boolean> delete(Optional<User> current) {
    if (current.isEmpty()) {
      return Outcome.unchanged(current, Boolean.TRUE);
    }
    User user = current.get();
    List<UserChange> facts = new ArrayList<>();
    for (SmsAuthenticator a : user.authenticators()) {
      facts.add(new UserChange.AuthenticatorRemoved(a, ChangeSource.USER_DELETED, 0));
    }
    facts.add(
        new UserChange.UserDeleted(
            user.userId(),
            user.authenticators().stream().map(SmsAuthenticator::userAuthenticatorId).toList()));
    return new Outcome<>(Optional.empty(), true, facts, Boolean.TRUE);
  }
}
