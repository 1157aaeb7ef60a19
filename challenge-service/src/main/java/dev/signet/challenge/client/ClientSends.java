package dev.signet.challenge.client;

import dev.signet.challenge.action.Action;
import dev.signet.challenge.challenge.ChallengeIssuer;
import dev.signet.challenge.challenge.IssueChallengeCommand;
import dev.signet.challenge.challenge.IssuedChallenge;
import dev.signet.challenge.client.ClientSession.Purpose;
import dev.signet.challenge.outcome.Refused;
import dev.signet.challenge.user.User;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Sends the code of a client challenge through the server API's {@link ChallengeIssuer} (so limits,
 * cooldowns and send caps are the same) and remembers the challenge per action attempt in {@link
 * ClientSessions}. The same request again is a resend of the same challenge; a dead challenge is
 * started over.
 */
@Component
class ClientSends {

  private final ChallengeIssuer issuer;
  private final ClientSessions sessions;
  private final Clock clock;

  ClientSends(ChallengeIssuer issuer, ClientSessions sessions, Clock clock) {
    this.issuer = issuer;
    this.sessions = sessions;
    this.clock = clock;
  }

  /** A code was sent; {@code userAuthenticatorId} is set for enrolment and number changes. */
  record Sent(String challengeId, String userId, String userAuthenticatorId) {}

  /**
   * What the challenge carries about where it came from: the client IP the back end reported when
   * it tracked the action (the browser's own address reaches Signet only through proxies it cannot
   * trust), and the user's locale for the SMS template.
   */
  record Origin(String ipAddress, String locale) {

    static Origin of(Action action, Optional<User> user) {
      return new Origin(action.ipAddress(), user.map(User::locale).orElse(null));
    }
  }

  /**
   * A code to send for the token's action attempt.
   *
   * @param userAuthenticatorId the authenticator it is for (challenge, number change), or null for
   *     an enrolment, whose id is drawn here
   */
  record SendRequest(
      ClientToken token,
      Purpose purpose,
      String method,
      String channel,
      String e164,
      String region,
      String userAuthenticatorId,
      Origin origin,
      String correlationId) {

    /** Whether {@code session} holds an earlier challenge of this very request. */
    boolean sameAs(ClientSession session) {
      return session.userId().equals(token.userId())
          && session.sameRequest(purpose, method, channel, e164)
          && (purpose == Purpose.ENROLMENT
              || session.userAuthenticatorId().equals(userAuthenticatorId));
    }
  }

  Mono<Sent> send(SendRequest request) {
    ClientToken token = request.token();
    return sessions
        .find(token.actionId())
        .flatMap(
            previous -> {
              Optional<ClientSession> same = previous.filter(request::sameAs);
              // Racing first calls (a double click) derive the same key, so the issuer lets one
              // of them send and answers the other with the same challenge.
              String key =
                  idempotencyKey(
                      token,
                      request.purpose(),
                      request.method(),
                      request.channel(),
                      request.e164(),
                      previous.map(ClientSession::challengeId).orElse(""));
              String authenticatorId = authenticatorId(request, same, key);
              return issue(request, same, authenticatorId, key)
                  .flatMap(challenge -> remember(request, challenge, authenticatorId));
            });
  }

  /**
   * Enrolment keeps the id announced by the first call, so the browser's id holds; a new
   * enrolment's id follows from the key, so racing calls announce the same one.
   */
  private static String authenticatorId(
      SendRequest request, Optional<ClientSession> same, String key) {
    if (request.purpose() != Purpose.ENROLMENT) {
      return request.userAuthenticatorId();
    }
    return same.map(ClientSession::userAuthenticatorId)
        .orElseGet(
            () ->
                UUID.nameUUIDFromBytes(("enrolment:" + key).getBytes(StandardCharsets.UTF_8))
                    .toString());
  }

  private Mono<IssuedChallenge> issue(
      SendRequest request, Optional<ClientSession> same, String authenticatorId, String key) {
    Mono<IssuedChallenge> fresh =
        Mono.defer(() -> issuer.issue(command(request, authenticatorId, null, key)));
    if (same.isEmpty()) {
      return fresh;
    }
    return issuer
        .issue(command(request, authenticatorId, same.get().challengeId(), null))
        // The earlier code is dead (expired or used up): start over.
        .onErrorResume(
            e ->
                Refused.isInvalidRequest(e)
                    || e instanceof ApiException api && api.error() == ApiError.INVALID_REQUEST,
            e -> fresh);
  }

  private Mono<Sent> remember(
      SendRequest request, IssuedChallenge challenge, String authenticatorId) {
    ClientToken token = request.token();
    return sessions
        .save(
            new ClientSession(
                token.actionId(),
                token.userId(),
                request.purpose(),
                challenge.challengeId(),
                request.method(),
                request.channel(),
                request.e164(),
                authenticatorId,
                clock.instant()))
        .thenReturn(new Sent(challenge.challengeId(), token.userId(), authenticatorId));
  }

  private static IssueChallengeCommand command(
      SendRequest request, String userAuthenticatorId, String challengeId, String key) {
    ClientToken token = request.token();
    return new IssueChallengeCommand(
        request.method(),
        request.channel(),
        token.claims().actionCode(),
        request.e164(),
        request.region(),
        challengeId,
        key,
        token.userId(),
        request.origin().locale(),
        request.purpose().name(),
        userAuthenticatorId,
        request.origin().ipAddress(),
        request.correlationId(),
        token.actionId());
  }

  /**
   * The idempotency key of a new client challenge: the same for the same request of the same action
   * attempt after the same earlier challenge, so concurrent first calls start one challenge, while
   * a new code after an expired challenge gets a new key. Hashed, so it reveals nothing and stays a
   * URL-safe 50 characters.
   */
  static String idempotencyKey(
      ClientToken token,
      Purpose purpose,
      String method,
      String channel,
      String e164,
      String previousChallengeId) {
    String material =
        String.join(
            "\n", token.actionId(), purpose.name(), method, channel, e164, previousChallengeId);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return "client-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
