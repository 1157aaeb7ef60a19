package dev.signet.challenge.client;

import dev.signet.challenge.action.ActionState;
import dev.signet.challenge.action.CompletedVia;
import dev.signet.challenge.challenge.ChallengeVerifier;
import dev.signet.challenge.challenge.domain.VerificationResult;
import dev.signet.challenge.client.ClientSession.Purpose;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.UserStore;
import dev.signet.challenge.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The client API's verify: checks a code sent by the last challenge or enrolment call of the
 * token's action attempt with the server API's {@link ChallengeVerifier} (same attempt caps and
 * single use), then makes what the code proves happen: the action's challenge succeeds (or fails
 * for good), a new authenticator is enrolled, or the number changes; and mints the token the client
 * gets.
 */
@Component
class ClientVerifications {

  private static final Logger log = LoggerFactory.getLogger(ClientVerifications.class);

  private final ChallengeVerifier verifier;
  private final UserStore users;
  private final ClientSessions sessions;
  private final ClientActions actions;
  private final TokenService tokens;
  private final int codeLength;

  ClientVerifications(
      ChallengeVerifier verifier,
      UserStore users,
      ClientSessions sessions,
      ClientActions actions,
      TokenService tokens,
      ChallengeProperties properties) {
    this.verifier = verifier;
    this.users = users;
    this.sessions = sessions;
    this.actions = actions;
    this.tokens = tokens;
    this.codeLength = properties.codeLength();
  }

  /** The outcome of a verify, as the client API answers it. */
  record Verified(
      boolean isVerified,
      String accessToken,
      String failureReason,
      SmsAuthenticator userAuthenticator) {}

  /** Checks a code, recording where the user typed it ({@code via}) on the action's change. */
  Mono<Verified> verify(
      ClientToken token, String method, String code, String correlationId, CompletedVia via) {
    if (code.length() != codeLength || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Mono.error(
          ApiException.invalid("verificationCode must be a string of " + codeLength + " digits."));
    }
    return sessions
        .find(token.actionId())
        .flatMap(
            found -> {
              ClientSession session =
                  found
                      .filter(s -> s.userId().equals(token.userId()))
                      .filter(s -> s.verificationMethod().equals(method))
                      .orElse(null);
              if (session == null) {
                return Mono.error(
                    ApiException.invalid(
                        "No "
                            + method
                            + " code was sent with a token of this action: call the challenge"
                            + " (or enrolment) endpoint first."));
              }
              return checkState(token, session)
                  // A wrong code is charged to the token's user and action attempt; the number
                  // is charged only when it is the user's own authenticator (see the verifier).
                  .then(
                      verifier.verify(session.challengeId(), code, token.actionId(), correlationId))
                  .flatMap(result -> settle(token, session, result, correlationId, via));
            });
  }

  private Mono<Void> checkState(ClientToken token, ClientSession session) {
    if (session.purpose() != Purpose.ACTION) {
      return Mono.empty();
    }
    return actions
        .state(token)
        .flatMap(
            state ->
                state == ActionState.CHALLENGE_REQUIRED
                    ? Mono.<Void>empty()
                    : Mono.error(
                        ApiException.invalid(
                            "The action of this token is "
                                + state
                                + ": its challenge can no longer be verified.")));
  }

  private Mono<Verified> settle(
      ClientToken token,
      ClientSession session,
      VerificationResult result,
      String correlationId,
      CompletedVia via) {
    if (result instanceof VerificationResult.Rejected rejected) {
      return rejected(token, session, rejected, correlationId, via);
    }
    return kind(token, session, via)
        .flatMap(
            kind -> {
              // Either way the new token keeps the attempt's first authentication time, so no
              // chain of verifies outlives it.
              String accessToken = tokens.issue(kind, token.claims(), token.authTime());
              return proven(token, session, correlationId, via)
                  .map(a -> new Verified(true, accessToken, null, a))
                  .defaultIfEmpty(new Verified(true, accessToken, null, null));
            })
        .doOnSuccess(
            v ->
                log.info(
                    "client verify succeeded challengeId={} userId={} purpose={}",
                    session.challengeId(),
                    token.userId(),
                    session.purpose()));
  }

  private Mono<Verified> rejected(
      ClientToken token,
      ClientSession session,
      VerificationResult.Rejected rejected,
      String correlationId,
      CompletedVia via) {
    Mono<Void> failed =
        session.purpose() == Purpose.ACTION
                && rejected.reason() == VerificationResult.FailureReason.MAX_ATTEMPTS_EXCEEDED
            ? actions
                .challengeFailed(
                    token, session.verificationMethod(), session.challengeId(), correlationId, via)
                // Already moved by a concurrent wrong code: the answer is the same.
                .onErrorResume(ApiException.class, e -> Mono.empty())
            : Mono.empty();
    return failed.thenReturn(new Verified(false, null, rejected.reason().name(), null));
  }

  /** What a verified code proves; emits the new authenticator of an enrolment or a change. */
  private Mono<SmsAuthenticator> proven(
      ClientToken token, ClientSession session, String correlationId, CompletedVia via) {
    return switch (session.purpose()) {
      case ACTION ->
          // The action moves before the answer leaves, so a validate right after sees it.
          actions
              .challengeSucceeded(
                  token,
                  session.verificationMethod(),
                  session.challengeId(),
                  session.userAuthenticatorId(),
                  correlationId,
                  via)
              .then(
                  users.recordVerification(
                      token.userId(),
                      session.userAuthenticatorId(),
                      session.challengeId(),
                      correlationId))
              .then(Mono.<SmsAuthenticator>empty());
      case ENROLMENT ->
          users.enrolVerified(
              token.userId(),
              session.phoneNumber(),
              session.userAuthenticatorId(),
              session.challengeId(),
              correlationId);
      case NUMBER_CHANGE ->
          users.changeNumber(
              token.userId(),
              session.userAuthenticatorId(),
              session.phoneNumber(),
              session.challengeId(),
              correlationId);
    };
  }

  /**
   * The kind of token a successful verify mints. The verify that completes the action's challenge
   * mints the proof the app's back end validates; the official SDK keeps that same token for its
   * further calls, which then go on minting success tokens. Any other verify (enrolment, number
   * change under a track or access token) proves nothing about the action and mints an access
   * token, with one exception: the hosted page, which must hand the app a token that {@code POST
   * /v1/validate} accepts, gets a success token for an enrolment on an action the rules allowed
   * (only for an attempt whose page was opened: the page's header alone proves nothing). That token
   * proves nothing more than track's own answer: validate reports the action's state, {@code ALLOW}
   * (final, so it cannot turn into anything else), with {@code isValid:false}.
   */
  private Mono<TokenKind> kind(ClientToken token, ClientSession session, CompletedVia via) {
    if (session.purpose() == Purpose.ACTION || token.kind() == TokenKind.SUCCESS) {
      return Mono.just(TokenKind.SUCCESS);
    }
    if (via != CompletedVia.PREBUILT_UI) {
      return Mono.just(TokenKind.ACCESS);
    }
    // The page's header is only a claim: it counts for an attempt whose page was opened.
    return Mono.zip(actions.state(token), actions.openedInHostedPage(token))
        .map(
            stateAndOpened ->
                stateAndOpened.getT1() == ActionState.ALLOW && stateAndOpened.getT2()
                    ? TokenKind.SUCCESS
                    : TokenKind.ACCESS);
  }
}
