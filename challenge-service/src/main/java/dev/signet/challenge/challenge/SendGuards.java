package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.limits.IpKey;
import dev.signet.challenge.limits.NewNumbers;
import dev.signet.challenge.limits.RateLimiter;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.policy.SendPolicies;
import dev.signet.challenge.testnumber.TestNumbers;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.UserStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The checks before a send, in order: the send policy (allowlist, blocked prefixes and countries),
 * sends per end-user IP (an IPv6 address by its /64), distinct numbers per tracked action attempt,
 * distinct new numbers per user. Test numbers are never sent, so never refused. The IP is the end
 * user's address as the customer's back end reported it ({@code ipAddress} of the challenge, or of
 * the tracked action for the client API), never one read from a header a browser could set. Every
 * refusal is recorded for audit with its reason ({@link SendRefusals}). The per-phone limit is the
 * last check, held by the store's send slots.
 */
@Component
class SendGuards {

  private final TestNumbers testNumbers;
  private final SendPolicies sendPolicy;
  private final RateLimiter limiter;
  private final RateLimiter.Limit sendsPerIp;
  private final NewNumbers newNumbers;
  private final UserStore users;
  private final SendRefusals refusals;
  private final ChallengeProperties.Limits limits;

  SendGuards(
      TestNumbers testNumbers,
      SendPolicies sendPolicy,
      RateLimiter limiter,
      NewNumbers newNumbers,
      UserStore users,
      SendRefusals refusals,
      ChallengeProperties properties) {
    this.testNumbers = testNumbers;
    this.sendPolicy = sendPolicy;
    this.limiter = limiter;
    this.newNumbers = newNumbers;
    this.users = users;
    this.refusals = refusals;
    this.limits = properties.limits();
    this.sendsPerIp =
        limits.sendsPerIp() > 0 && !limits.sendsPerIpWindow().isZero()
            ? new RateLimiter.Limit(
                "sends-per-ip",
                limits.sendsPerIp(),
                limits.sendsPerIpWindow(),
                "Too many codes requested from this IP address; try again later.")
            : null;
  }

  /** The send being checked: send {@code attempt} of {@code c} ({@code challengeId} null: new). */
  static SendRefusals.Send send(
      Challenge c, int attempt, String challengeId, String correlationId) {
    return new SendRefusals.Send(
        challengeId,
        attempt,
        c.userId(),
        c.action(),
        c.purpose(),
        c.phoneNumber(),
        c.countryCode(),
        IpKey.of(c.context().ipAddress()),
        correlationId);
  }

  /** Completes empty when every guard admits {@code send}, else fails with the recorded refusal. */
  Mono<Void> admit(SendRefusals.Send send, String actionAttemptId) {
    if (testNumbers.contains(send.phoneNumber())) {
      return Mono.empty();
    }
    var policy = sendPolicy.refusal(send.phoneNumber(), send.countryCode());
    if (policy.isPresent()) {
      return refusals.refuse(
          send,
          new SendRefusals.Refusal(
              policy.get().reason(),
              policy.get().refusal(),
              null,
              null,
              policy.get().policyVersion()));
    }
    return perIp(send)
        .then(Mono.defer(() -> perAction(send, actionAttemptId)))
        .then(Mono.defer(() -> perUser(send)));
  }

  private Mono<Void> perIp(SendRefusals.Send send) {
    if (sendsPerIp == null || send.ipKey() == null) {
      return Mono.empty();
    }
    return limiter
        .hit(sendsPerIp, send.ipKey())
        .flatMap(
            refused ->
                refusals.refuse(
                    send,
                    new SendRefusals.Refusal(
                        "IP_VELOCITY",
                        refused,
                        (long) sendsPerIp.max(),
                        sendsPerIp.window(),
                        null)));
  }

  private Mono<Void> perAction(SendRefusals.Send send, String actionAttemptId) {
    if (actionAttemptId == null) {
      return Mono.empty();
    }
    return newNumbers
        .admit(NewNumbers.Scope.ACTION, actionAttemptId, send.phoneNumber())
        .flatMap(
            refused ->
                refusals.refuse(
                    send,
                    newNumbersRefusal(
                        "ACTION_NEW_NUMBERS",
                        refused,
                        "Codes were requested for too many phone numbers in this action;"
                            + " try again later.")));
  }

  private Mono<Void> perUser(SendRefusals.Send send) {
    return newNumberForUser(send)
        .flatMap(
            isNew ->
                isNew
                    ? newNumbers.admit(NewNumbers.Scope.USER, send.userId(), send.phoneNumber())
                    : Mono.empty())
        .flatMap(
            refused ->
                refusals.refuse(
                    send,
                    newNumbersRefusal(
                        "USER_NEW_NUMBERS",
                        refused,
                        "Codes were sent to too many new phone numbers for this user;"
                            + " try again later.")));
  }

  private static SendRefusals.Refusal newNumbersRefusal(
      String reason, NewNumbers.Refused refused, String description) {
    return new SendRefusals.Refusal(
        reason,
        new Refusal.TooManyRequests(description, refused.retryAfterSeconds()),
        (long) refused.max(),
        refused.window(),
        null);
  }

  /**
   * Whether a send counts towards the user's new numbers: an enrolment or a number change always
   * does; a code for a tracked action goes to the user's enrolled number and never does; a server
   * API challenge that names the user does unless the number is one of the user's SMS
   * authenticators.
   */
  private Mono<Boolean> newNumberForUser(SendRefusals.Send send) {
    if (send.userId() == null || newNumbers.max(NewNumbers.Scope.USER) <= 0) {
      return Mono.just(false);
    }
    if ("ENROLMENT".equals(send.purpose()) || "NUMBER_CHANGE".equals(send.purpose())) {
      return Mono.just(true);
    }
    if (!"SIGN_IN".equals(send.purpose())) {
      return Mono.just(false);
    }
    return users
        .find(send.userId())
        .map(
            user ->
                user.map(
                        u ->
                            u.authenticators().stream()
                                .map(SmsAuthenticator::phoneNumber)
                                .noneMatch(send.phoneNumber()::equals))
                    .orElse(true));
  }

  /** Records the per-phone limit's refusal of {@code send} and fails with it. */
  <T> Mono<T> refusePerPhone(SendRefusals.Send send, Refusal refusal) {
    return refusals.refuse(
        send,
        new SendRefusals.Refusal(
            "NUMBER_VELOCITY", refusal, (long) limits.sendsPerPhone(), limits.sendsWindow(), null));
  }
}
