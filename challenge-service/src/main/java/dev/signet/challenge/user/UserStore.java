package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.user.UserDocuments.Stored;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Users and their authenticators: each change is decided by {@link UserOperations} and written by
 * {@link UserWrites}'s versioned write loop, with its events, so concurrent updates never overwrite
 * each other and a state change is never committed without its events.
 *
 * <p>Public so that the challenge and action features can look up and enrol authenticators.
 */
@Component
public class UserStore {

  private final UserWrites writes;
  private final SecureRandom random;

  UserStore(UserWrites writes, SecureRandom random) {
    this.writes = writes;
    this.random = random;
  }

  /** A page of users ordered by id; {@code lastEvaluatedUserId} is set when more may follow. */
  public record Page(List<User> users, String lastEvaluatedUserId) {}

  /** The user, or empty when unknown or deleted. */
  public Mono<Optional<User>> find(String userId) {
    return writes.load(userId).map(Stored::user);
  }

  /** The SMS authenticator codes for this user go to (the default one), if the user has any. */
  public Mono<Optional<SmsAuthenticator>> smsAuthenticator(String userId) {
    return find(userId).map(user -> user.flatMap(User::defaultSmsAuthenticator));
  }

  /**
   * Enrols a verified SMS authenticator after the client API verified a code sent to {@code e164};
   * returns the existing authenticator when the user already has this number. Creates the user if
   * unknown.
   */
  public Mono<SmsAuthenticator> enrolVerified(String userId, String e164) {
    return enrolVerified(userId, e164, null, UUID.randomUUID().toString());
  }

  /** As {@link #enrolVerified(String, String)}, naming the challenge and the correlation id. */
  public Mono<SmsAuthenticator> enrolVerified(
      String userId, String e164, String challengeId, String correlationId) {
    // Parsing can refuse the number; deferred so the refusal is an error signal, not a throw.
    return Mono.defer(
        () ->
            enrol(
                userId,
                PhoneNumbers.parse(e164),
                false,
                ChangeSource.CLIENT_API,
                challengeId,
                correlationId));
  }

  /**
   * As {@link #enrolVerified(String, String, String, String)}, with the authenticator id the client
   * API announced when it sent the code, so the id the browser saw is the one stored.
   */
  public Mono<SmsAuthenticator> enrolVerified(
      String userId,
      String e164,
      String userAuthenticatorId,
      String challengeId,
      String correlationId) {
    return Mono.defer(
        () -> {
          PhoneNumber phone = PhoneNumbers.parse(e164);
          return writes.mutate(
              userId,
              correlationId,
              (current, now) ->
                  UserOperations.enrol(
                      current,
                      userId,
                      phone,
                      false,
                      ChangeSource.CLIENT_API,
                      challengeId,
                      now,
                      () -> userAuthenticatorId));
        });
  }

  /**
   * Moves the authenticator to {@code e164} after a code sent there was verified (client API number
   * change); emits an authenticator updated event with the previous number.
   */
  public Mono<SmsAuthenticator> changeNumber(
      String userId,
      String userAuthenticatorId,
      String e164,
      String challengeId,
      String correlationId) {
    return Mono.defer(
        () -> {
          PhoneNumber phone = PhoneNumbers.parse(e164);
          return writes.mutate(
              userId,
              correlationId,
              (current, now) ->
                  UserOperations.changeNumber(
                      current, userAuthenticatorId, phone, challengeId, now));
        });
  }

  /**
   * Records that a code sent to this authenticator was verified (updates {@code lastVerifiedAt} and
   * emits an authenticator updated event). Empty when the authenticator no longer exists.
   */
  public Mono<Optional<SmsAuthenticator>> recordVerification(
      String userId, String userAuthenticatorId, String challengeId, String correlationId) {
    return writes.mutate(
        userId,
        correlationId,
        (current, now) -> UserOperations.verified(current, userAuthenticatorId, challengeId, now));
  }

  /** Applies a partial update, creating the user if unknown; returns the user after the write. */
  public Mono<User> update(String userId, UserPatch patch, String correlationId) {
    return writes.mutate(
        userId,
        correlationId,
        (current, now) -> UserOperations.update(current, userId, patch, now));
  }

  Mono<SmsAuthenticator> enrol(
      String userId,
      PhoneNumber phone,
      boolean makeDefault,
      ChangeSource source,
      String challengeId,
      String correlationId) {
    return writes.mutate(
        userId,
        correlationId,
        (current, now) ->
            UserOperations.enrol(
                current, userId, phone, makeDefault, source, challengeId, now, this::newId));
  }

  Mono<SmsAuthenticator> removeAuthenticator(
      String userId, String userAuthenticatorId, String correlationId) {
    return writes.mutate(
        userId,
        correlationId,
        (current, now) -> UserOperations.removeAuthenticator(current, userAuthenticatorId, now));
  }

  Mono<Boolean> delete(String userId, String correlationId) {
    return writes.mutate(userId, correlationId, (current, now) -> UserOperations.delete(current));
  }

  /** A random (version 4) UUID drawn from the injected SecureRandom. */
  private String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (bytes[i] & 0xff);
      lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }
}
