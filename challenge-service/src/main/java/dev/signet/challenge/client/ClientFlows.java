package dev.signet.challenge.client;

import dev.signet.challenge.action.Action;
import dev.signet.challenge.action.ActionState;
import dev.signet.challenge.client.ClientSends.Origin;
import dev.signet.challenge.client.ClientSends.SendRequest;
import dev.signet.challenge.client.ClientSends.Sent;
import dev.signet.challenge.client.ClientSession.Purpose;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.User;
import dev.signet.challenge.user.UserStore;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The client API's sending flows (docs/api.md, client API): a second-factor challenge for the
 * token's action, enrolment of an SMS authenticator and a number change; {@link ClientSends} sends
 * the code and {@link ClientVerifications} checks it. Who may do what is decided from the verified
 * token only: the user and the action come from it, never from the request, and each code is
 * remembered per action attempt ({@link ClientSessions}), so a token of another action or user
 * cannot check it.
 */
@Component
class ClientFlows {

  /**
   * Action states after which an already enrolled user may add or change an authenticator: the
   * rules allowed the action, or the user just proved possession of an existing authenticator.
   */
  static final Set<ActionState> PROVEN = Set.of(ActionState.ALLOW, ActionState.CHALLENGE_SUCCEEDED);

  private final UserStore users;
  private final ClientActions actions;
  private final ClientSends sends;

  ClientFlows(UserStore users, ClientActions actions, ClientSends sends) {
    this.users = users;
    this.actions = actions;
    this.sends = sends;
  }

  /**
   * Sends a code to the user's SMS authenticator for the token's action, or a new code for the same
   * challenge (resend, with the cooldown and send caps of the server API).
   */
  Mono<Sent> challenge(ClientToken token, String method, String channel, String correlationId) {
    return actions
        .action(token)
        .flatMap(
            action -> {
              if (action.state() != ActionState.CHALLENGE_REQUIRED) {
                return Mono.error(
                    ApiException.invalid(
                        "The action of this token is "
                            + action.state()
                            + ", not CHALLENGE_REQUIRED: there is nothing to challenge."));
              }
              return users
                  .find(token.userId())
                  .flatMap(user -> challenge(token, action, user, method, channel, correlationId));
            });
  }

  private Mono<Sent> challenge(
      ClientToken token,
      Action action,
      Optional<User> user,
      String method,
      String channel,
      String correlationId) {
    Optional<SmsAuthenticator> authenticator = user.flatMap(User::defaultSmsAuthenticator);
    if (authenticator.isEmpty()) {
      return Mono.error(
          ApiException.invalid("The user has no SMS authenticator to challenge; enrol one first."));
    }
    SmsAuthenticator sms = authenticator.get();
    // An authenticator enrolled through the server API may hold a number that is only possible;
    // the strict check is made here, where a code is about to be sent.
    PhoneNumbers.sendable(sms.phoneNumber(), "The user's SMS authenticator");
    return sends.send(
        new SendRequest(
            token,
            Purpose.ACTION,
            method,
            channel,
            sms.phoneNumber(),
            sms.countryCode(),
            sms.userAuthenticatorId(),
            Origin.of(action, user),
            correlationId));
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
              Optional<User> user = both.getT2();
              return change(token, both.getT1().state(), user, phone)
                  .flatMap(
                      change ->
                          sends.send(
                              new SendRequest(
                                  token,
                                  change.purpose(),
                                  "SMS",
                                  channel,
                                  phone.e164(),
                                  phone.region(),
                                  change.userAuthenticatorId(),
                                  Origin.of(both.getT1(), user),
                                  correlationId)));
            });
  }

  /** What an enrolment call changes: a new authenticator, or the number of the existing one. */
  private record Change(Purpose purpose, String userAuthenticatorId) {}

  private static Mono<Change> change(
      ClientToken token, ActionState state, Optional<User> user, PhoneNumber phone) {
    if (user.map(User::isEnrolled).orElse(false)) {
      return changeOfEnrolled(token, state, user.get(), phone);
    }
    if (!PROVEN.contains(state) && state != ActionState.CHALLENGE_REQUIRED) {
      return Mono.error(refusedIn(state));
    }
    return Mono.just(new Change(Purpose.ENROLMENT, null));
  }

  private static Mono<Change> changeOfEnrolled(
      ClientToken token, ActionState state, User existing, PhoneNumber phone) {
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
          state == ActionState.CHALLENGE_REQUIRED
              ? new ApiException(
                  ApiError.UNAUTHORIZED,
                  "The user already has an authenticator: complete the challenge of this action"
                      + " first, then enrol with the accessToken of the verify.")
              : refusedIn(state));
    }
    if (existing.authenticators().stream().anyMatch(a -> a.phoneNumber().equals(phone.e164()))) {
      return Mono.error(
          ApiException.invalid("This number is already an authenticator of the user."));
    }
    return Mono.just(
        add
            ? new Change(Purpose.ENROLMENT, null)
            : new Change(
                Purpose.NUMBER_CHANGE,
                existing.defaultSmsAuthenticator().orElseThrow().userAuthenticatorId()));
  }

  private static ApiException refusedIn(ActionState state) {
    return ApiException.invalid(
        "The action of this token is " + state + ": authenticators cannot be changed with it.");
  }
}
