package dev.signet.challenge.challenge;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.web.ApiException;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeClaimed;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Binds a verified challenge to a user and hands out the token the back end validates. One claim
 * per challenge: the claim is a conditional update from VERIFIED (or PENDING with {@code
 * skipVerificationCheck}) to CLAIMED, so a replayed or concurrent claim finds nothing to update. A
 * challenge started with a {@code userId} is claimed by that user only, and the claim inserts its
 * action without ever overwriting one that exists (a blocked action stays blocked).
 */
@Component
public class ChallengeClaimer {

  private static final Logger log = LoggerFactory.getLogger(ChallengeClaimer.class);

  private final ReactiveMongoTemplate mongo;
  private final Outbox outbox;
  private final ActionStore actions;
  private final TokenService tokens;
  private final ChallengeProperties properties;
  private final Clock clock;

  ChallengeClaimer(
      ReactiveMongoTemplate mongo,
      Outbox outbox,
      ActionStore actions,
      TokenService tokens,
      ChallengeProperties properties,
      Clock clock) {
    this.mongo = mongo;
    this.outbox = outbox;
    this.actions = actions;
    this.tokens = tokens;
    this.properties = properties;
    this.clock = clock;
  }

  /** A successful claim: the token and the verification method. */
  public record Claim(String token, String verificationMethod) {}

  public Mono<Claim> claim(
      String challengeId, String userId, boolean skipVerificationCheck, String correlationId) {
    return mongo
        .findById(challengeId, ChallengeDocument.class, ChallengeIssuer.COLLECTION)
        .switchIfEmpty(Mono.error(notClaimable()))
        .flatMap(challenge -> claim(challenge, userId, skipVerificationCheck, correlationId));
  }

  private Mono<Claim> claim(
      ChallengeDocument challenge,
      String userId,
      boolean skipVerificationCheck,
      String correlationId) {
    Instant now = clock.instant();
    boolean verified = challenge.state() == ChallengeState.VERIFIED;
    boolean claimable =
        verified
            || (skipVerificationCheck
                && challenge.state() == ChallengeState.PENDING
                && challenge.failedAttempts() < properties.limits().maxAttempts());
    if (!claimable || challenge.expiredAt(now)) {
      return Mono.error(notClaimable());
    }
    // A challenge started for a user binds to that user only; one without a user binds to the
    // first claim (passwordless sign-in).
    if (challenge.userId() != null && !challenge.userId().equals(userId)) {
      return Mono.error(
          ApiException.invalid("userId does not match the user the challenge was started for."));
    }
    String token =
        tokens.issue(
            TokenKind.SUCCESS,
            new TokenClaims(
                userId,
                challenge.action(),
                challenge.idempotencyKey(),
                null,
                properties.tenantId()));
    ChallengeClaimed event =
        ChallengeEvents.claimed(
            challenge, userId, skipVerificationCheck, verified, tokenId(token), correlationId, now);
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_CLAIMED.name(), challenge.id(), event);
    Query query =
        Query.query(
            Criteria.where("_id")
                .is(challenge.id())
                .and(ChallengeDocument.STATE)
                .is(challenge.state().name())
                .and(ChallengeDocument.EXPIRES_AT)
                .gt(now));
    Update update =
        new Update()
            .set(ChallengeDocument.STATE, ChallengeState.CLAIMED.name())
            .set("claimedAt", now)
            .set("claimedBy", userId)
            .push(Outbox.FIELD, wrapped);
    String actionState = verified ? "CHALLENGE_SUCCEEDED" : "CHALLENGE_REQUIRED";
    // The action is recorded first: a token only exists after the claim below succeeds, so an
    // action left behind by a lost race is never reachable through validate.
    // Insert-only: an existing action with the same user, action and key (e.g. a tracked action
    // that rules blocked or sent to review) keeps its state, and the claim is refused.
    return actions
        .insertClaimedChallenge(
            userId,
            challenge.action(),
            challenge.idempotencyKey(),
            actionState,
            challenge.verificationMethod())
        .flatMap(
            inserted ->
                inserted
                    ? mongo.findAndModify(
                        query,
                        update,
                        FindAndModifyOptions.options().returnNew(true),
                        ChallengeDocument.class,
                        ChallengeIssuer.COLLECTION)
                    : Mono.error(actionExists()))
        .switchIfEmpty(Mono.error(notClaimable()))
        .flatMap(
            claimed ->
                outbox
                    .publishInBackground(ChallengeIssuer.COLLECTION, claimed.id(), List.of(wrapped))
                    .doOnSuccess(
                        done ->
                            log.info(
                                "challenge claimed challengeId={} userId={} verified={}",
                                claimed.id(),
                                userId,
                                verified))
                    .thenReturn(new Claim(token, claimed.verificationMethod())));
  }

  private static ApiException notClaimable() {
    return ApiException.invalid(
        "The challenge cannot be claimed: it is not verified, expired, or already claimed.");
  }

  private static ApiException actionExists() {
    return ApiException.invalid(
        "The action of this challenge (userId, action, idempotencyKey) already exists; a claim"
            + " never changes an existing action.");
  }

  private static String tokenId(String token) {
    try {
      return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    } catch (ParseException e) {
      throw new IllegalStateException("issued an unparseable token", e);
    }
  }
}
