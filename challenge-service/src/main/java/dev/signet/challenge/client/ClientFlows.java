package dev.signet.challenge.client;

import dev.signet.challenge.action.Action;
import dev.signet.challenge.action.CompletedVia;
import dev.signet.challenge.challenge.ChallengeIssuer;
import dev.signet.challenge.challenge.ChallengeVerifier;
import dev.signet.challenge.challenge.IssueChallengeCommand;
import dev.signet.challenge.challenge.IssuedChallenge;
import dev.signet.challenge.challenge.domain.VerificationResult;
import dev.signet.challenge.client.ClientSession.Purpose;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.outcome.Refused;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.User;
import dev.signet.challenge.user.UserStore;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

/**
 * The client API flows (docs/api.md, client API): a second-factor challenge for the token's action,
 * enrolment of an SMS authenticator, a number change, and the verify that completes any of them.
 * Codes are issued and checked by the same {@link ChallengeIssuer} and {@link ChallengeVerifier} as
 * the server API, so limits, cooldowns, attempt caps and single use are the same.
 *
 * <p>Who may do what is decided from the verified token only: the user and the action come from it,
 * never from the request, and each code is remembered per action attempt ({@link ClientSessions}),
 * so a token of another action or user cannot check it.
 */
@Component
class ClientFlows {

  private static final Logger log = LoggerFactory.getLogger(ClientFlows.class);

  /** Action states in which the action's second factor may be asked for and checked. */
  static final String CHALLENGE_REQUIRED = "CHALLENGE_REQUIRED";

  /** The rules' final "no challenge needed" state. */
  static final String ALLOW = "ALLOW";

  /**
   * Action states after which an already enrolled user may add or change an authenticator: the
   * rules allowed the action, or the user just proved possession of an existing authenticator.
   */
  static final Set<String> PROVEN = Set.of("ALLOW", "CHALLENGE_SUCCEEDED");

  private final ChallengeIssuer issuer;
  private final ChallengeVerifier verifier;
  private final UserStore users;
  private final ClientSessions sessions;
  private final ClientActions actions;
  private final TokenService tokens;
  private final int codeLength;
  private final Clock clock;

  ClientFlows(
      ChallengeIssuer issuer,
      ChallengeVerifier verifier,
      UserStore users,
      ClientSessions sessions,
      ClientActions actions,
      TokenService tokens,
      ChallengeProperties properties,
      Clock clock) {
    this.issuer = issuer;
    this.verifier = verifier;
    this.users = users;
    this.sessions = sessions;
    this.actions = actions;
    this.tokens = tokens;
    this.codeLength = properties.codeLength();
    this.clock = clock;
  }

  /** A code was sent; {@code userAuthenticatorId} is set for enrolment and number changes. */
  record Sent(String challengeId, String userId, String userAuthenticatorId) {}

  /** The outcome of a verify, as the client API answers it. */
  record Verified(
      boolean isVerified,
      String accessToken,
      String failureReason,
      SmsAuthenticator userAuthenticator) {}

  /**
   * Sends a code to the user's SMS authenticator for the token's action, or a new code for the same
   * challenge (resend, with the cooldown and send caps of the server API).
   */
  Mono<Sent> challenge(ClientToken token, String method, String channel, String correlationId) {
    return actions
        .action(token)
        .flatMap(
            action -> {
              String state = action.state().name();
              if (!CHALLENGE_REQUIRED.equals(state)) {
                return Mono.error(
                    ApiException.invalid(
                        "The action of this token is "
                            + state
                            + ", not CHALLENGE_REQUIRED: there is nothing to challenge."));
              }
              return users.find(token.userId()).map(user -> Tuples.of(action, user));
            })
        .flatMap(
            found -> {
              Optional<User> user = found.getT2();
              Optional<SmsAuthenticator> authenticator =
                  user.flatMap(User::defaultSmsAuthenticator);
              if (authenticator.isEmpty()) {
                return Mono.error(
                    ApiException.invalid(
                        "The user has no SMS authenticator to challenge; enrol one first."));
              }
              SmsAuthenticator sms = authenticator.get();
              // An authenticator enrolled through the server API may hold a number that is only
              // possible; the strict check is made here, where a code is about to be sent.
              PhoneNumbers.sendable(sms.phoneNumber(), "The user's SMS authenticator");
              return send(
                  token,
                  Purpose.ACTION,
                  method,
                  channel,
                  sms.phoneNumber(),
                  sms.countryCode(),
                  sms.userAuthenticatorId(),
                  origin(found.getT1(), user),
                  correlationId);
            });
  }

  /**
   * Sends a code to a number the user wants as an SMS authenticator. A user without authenticator
   * needs no scope; otherwise {@code add:authenticators} adds one and {@code update:authenticators}
   * moves the existing one, and only once the action was allowed or its challenge succeeded.
   */
  Mono<Sent> enrol(ClientToken token, PhoneNumber phone, String channel, String correlationId) {
    return Mono.zip(actions.action(token), users.find(token.userId()))
        .flatMap(
            both -> {
              String state = both.getT1().state().name();
              Optional<User> user = both.getT2();
              boolean enrolled = user.map(User::isEnrolled).orElse(false);
              Purpose purpose;
              String userAuthenticatorId;
              if (!enrolled) {
                if (!PROVEN.contains(state) && !CHALLENGE_REQUIRED.equals(state)) {
                  return Mono.error(refusedIn(state));
                }
                purpose = Purpose.ENROLMENT;
                userAuthenticatorId = null;
              } else {
                boolean add = token.allows(ClientScopes.ADD_AUTHENTICATORS);
                boolean update = token.allows(ClientScopes.UPDATE_AUTHENTICATORS);
                if (!add && !update) {
                  return Mono.error(
                      new ApiException(
                          ApiError.UNAUTHORIZED,
                          "The user already has an authenticator: the token needs the scope "
                              + ClientScopes.ADD_AUTHENTICATORS
                              + " (add one) or "
                              + ClientScopes.UPDATE_AUTHENTICATORS
                              + " (change its number)."));
                }
                if (!PROVEN.contains(state)) {
                  return Mono.error(
                      CHALLENGE_REQUIRED.equals(state)
                          ? new ApiException(
                              ApiError.UNAUTHORIZED,
                              "The user already has an authenticator: complete the challenge of"
                                  + " this action first, then enrol with the accessToken of the"
                                  + " verify.")
                          : refusedIn(state));
                }
                User existing = user.get();
                if (add) {
                  if (existing.authenticators().stream()
                      .anyMatch(a -> a.phoneNumber().equals(phone.e164()))) {
                    return Mono.error(
                        ApiException.invalid(
                            "This number is already an authenticator of the user."));
                  }
                  purpose = Purpose.ENROLMENT;
                  userAuthenticatorId = null;
                } else {
                  SmsAuthenticator current = existing.defaultSmsAuthenticator().orElseThrow();
                  if (existing.authenticators().stream()
                      .anyMatch(a -> a.phoneNumber().equals(phone.e164()))) {
                    return Mono.error(
                        ApiException.invalid(
                            "This number is already an authenticator of the user."));
                  }
                  purpose = Purpose.NUMBER_CHANGE;
                  userAuthenticatorId = current.userAuthenticatorId();
                }
              }
              String method = "SMS";
              return send(
                  token,
                  purpose,
                  method,
                  channel,
                  phone.e164(),
                  phone.region(),
                  userAuthenticatorId,
                  origin(both.getT1(), user),
                  correlationId);
            });
  }

  /** Checks a code sent by the last challenge or enrolment call of the token's action. */
  Mono<Verified> verify(ClientToken token, String method, String code, String correlationId) {
    return verify(token, method, code, correlationId, CompletedVia.CLIENT_API);
  }

  /**
   * As {@link #verify(ClientToken, String, String, String)}, recording where the user typed the
   * code ({@code via}) on the action's state change.
   */
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
                CHALLENGE_REQUIRED.equals(state)
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
      Mono<Void> failed =
          session.purpose() == Purpose.ACTION
                  && rejected.reason() == VerificationResult.FailureReason.MAX_ATTEMPTS_EXCEEDED
              ? actions
                  .challengeFailed(
                      token,
                      session.verificationMethod(),
                      session.challengeId(),
                      correlationId,
                      via)
                  // Already moved by a concurrent wrong code: the answer is the same.
                  .onErrorResume(ApiException.class, e -> Mono.empty())
              : Mono.empty();
      return failed.thenReturn(new Verified(false, null, rejected.reason().name(), null));
    }
    Mono<SmsAuthenticator> authenticator =
        switch (session.purpose()) {
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
    return kind(token, session, via)
        .flatMap(
            kind -> {
              // Either way the new token keeps the attempt's first authentication time, so no
              // chain of verifies outlives it.
              String accessToken = tokens.issue(kind, token.claims(), token.authTime());
              return authenticator
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
                ALLOW.equals(stateAndOpened.getT1()) && stateAndOpened.getT2()
                    ? TokenKind.SUCCESS
                    : TokenKind.ACCESS);
  }

  private Mono<Sent> send(
      ClientToken token,
      Purpose purpose,
      String method,
      String channel,
      String e164,
      String region,
      String userAuthenticatorId,
      Origin origin,
      String correlationId) {
    return sessions
        .find(token.actionId())
        .flatMap(
            previous -> {
              Optional<ClientSession> same =
                  previous.filter(
                      s ->
                          s.userId().equals(token.userId())
                              && s.sameRequest(purpose, method, channel, e164)
                              && (purpose == Purpose.ENROLMENT
                                  || s.userAuthenticatorId().equals(userAuthenticatorId)));
              // Racing first calls (a double click) derive the same key, so the issuer lets one
              // of them send and answers the other with the same challenge.
              String idempotencyKey =
                  idempotencyKey(
                      token,
                      purpose,
                      method,
                      channel,
                      e164,
                      previous.map(ClientSession::challengeId).orElse(""));
              // Enrolment keeps the id announced by the first call, so the browser's id holds; a
              // new enrolment's id follows from the key, so racing calls announce the same one.
              String authenticatorId =
                  purpose != Purpose.ENROLMENT
                      ? userAuthenticatorId
                      : same.map(ClientSession::userAuthenticatorId)
                          .orElseGet(
                              () ->
                                  UUID.nameUUIDFromBytes(
                                          ("enrolment:" + idempotencyKey)
                                              .getBytes(StandardCharsets.UTF_8))
                                      .toString());
              Mono<IssuedChallenge> issued =
                  same.map(
                          s ->
                              issuer
                                  .issue(
                                      command(
                                          token,
                                          purpose,
                                          method,
                                          channel,
                                          e164,
                                          region,
                                          authenticatorId,
                                          s.challengeId(),
                                          null,
                                          origin,
                                          correlationId))
                                  // The earlier code is dead (expired or used up): start over.
                                  .onErrorResume(
                                      e ->
                                          Refused.isInvalidRequest(e)
                                              || e instanceof ApiException api
                                                  && api.error() == ApiError.INVALID_REQUEST,
                                      e ->
                                          issuer.issue(
                                              command(
                                                  token,
                                                  purpose,
                                                  method,
                                                  channel,
                                                  e164,
                                                  region,
                                                  authenticatorId,
                                                  null,
                                                  idempotencyKey,
                                                  origin,
                                                  correlationId))))
                      .orElseGet(
                          () ->
                              issuer.issue(
                                  command(
                                      token,
                                      purpose,
                                      method,
                                      channel,
                                      e164,
                                      region,
                                      authenticatorId,
                                      null,
                                      idempotencyKey,
                                      origin,
                                      correlationId)));
              return issued.flatMap(
                  challenge ->
                      sessions
                          .save(
                              new ClientSession(
                                  token.actionId(),
                                  token.userId(),
                                  purpose,
                                  challenge.challengeId(),
                                  method,
                                  channel,
                                  e164,
                                  authenticatorId,
                                  clock.instant()))
                          .thenReturn(
                              new Sent(challenge.challengeId(), token.userId(), authenticatorId)));
            });
  }

  private static IssueChallengeCommand command(
      ClientToken token,
      Purpose purpose,
      String method,
      String channel,
      String e164,
      String region,
      String userAuthenticatorId,
      String challengeId,
      String idempotencyKey,
      Origin origin,
      String correlationId) {
    return new IssueChallengeCommand(
        method,
        channel,
        token.claims().actionCode(),
        e164,
        region,
        challengeId,
        idempotencyKey,
        token.userId(),
        origin.locale(),
        purpose.name(),
        userAuthenticatorId,
        origin.ipAddress(),
        correlationId,
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

  /**
   * What the challenge carries about where it came from: the client IP the back end reported when
   * it tracked the action (the browser's own address reaches Signet only through proxies it cannot
   * trust), and the user's locale for the SMS template.
   */
  record Origin(String ipAddress, String locale) {}

  private static Origin origin(Action action, Optional<User> user) {
    return new Origin(action.ipAddress(), user.map(User::locale).orElse(null));
  }

  private static ApiException refusedIn(String state) {
    return ApiException.invalid(
        "The action of this token is " + state + ": authenticators cannot be changed with it.");
  }
}
