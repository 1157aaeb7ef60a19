package dev.signet.challenge.challenge;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.action.ActionState;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeRules;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeClaimed;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.text.ParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Binds a verified challenge to a user and hands out the token the back end validates. One claim
 * per challenge: whether it may be claimed is {@link ChallengeRules#claim}'s decision, and the
 * claim is a conditional update from the state read to CLAIMED, so a replayed or concurrent claim
 * finds nothing to update. The claim inserts its action without ever overwriting one that exists (a
 * blocked action stays blocked).
 */
@Component
public class ChallengeClaimer {

  private static final Logger log = LoggerFactory.getLogger(ChallengeClaimer.class);

  private final ChallengeStore store;
  private final ChallengeRules rules;
  private final Outbox outbox;
  private final ActionStore actions;
  private final TokenService tokens;
  private final String tenantId;

  ChallengeClaimer(
      ChallengeStore store,
      ChallengeRules rules,
      Outbox outbox,
      ActionStore actions,
      TokenService tokens,
      ChallengeProperties properties) {
    this.store = store;
    this.rules = rules;
    this.outbox = outbox;
    this.actions = actions;
    this.tokens = tokens;
    this.tenantId = properties.tenantId();
  }

  /** A successful claim: the token and the verification method. */
  public record Claim(String token, String verificationMethod) {}

  public Mono<Claim> claim(
      String challengeId, String userId, boolean skipVerificationCheck, String correlationId) {
    return store
        .find(challengeId)
        .switchIfEmpty(Mono.error(() -> ChallengeRules.notClaimable().asError()))
        .flatMap(
            challenge -> {
              ChallengeRules.ClaimDecision decision =
                  rules.claim(challenge, userId, skipVerificationCheck);
              if (decision instanceof ChallengeRules.Unclaimable unclaimable) {
                return Mono.error(unclaimable.refusal().asError());
              }
              return claim(
                  challenge,
                  (ChallengeRules.Claimable) decision,
                  userId,
                  skipVerificationCheck,
                  correlationId);
            });
  }

  private Mono<Claim> claim(
      Challenge challenge,
      ChallengeRules.Claimable claimable,
      String userId,
      boolean skipVerificationCheck,
      String correlationId) {
    boolean verified = claimable.verified();
    String token =
        tokens.issue(
            TokenKind.SUCCESS,
            new TokenClaims(
                userId, challenge.action(), challenge.idempotencyKey(), null, tenantId));
    ChallengeClaimed event =
        ChallengeEvents.claimed(
            challenge,
            userId,
            skipVerificationCheck,
            verified,
            tokenId(token),
            correlationId,
            claimable.at());
    OutboxEvent wrapped =
        outbox.wrap(event.getEventId(), Topics.CHALLENGE_CLAIMED.name(), challenge.id(), event);
    ActionState actionState =
        verified ? ActionState.CHALLENGE_SUCCEEDED : ActionState.CHALLENGE_REQUIRED;
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
                    ? store.markClaimed(
                        challenge.id(), challenge.state(), userId, claimable.at(), wrapped)
                    : Mono.error(actionExists().asError()))
        .switchIfEmpty(Mono.error(() -> ChallengeRules.notClaimable().asError()))
        .flatMap(
            claimed ->
                outbox
                    .publishInBackground(ChallengeStore.COLLECTION, claimed.id(), List.of(wrapped))
                    .doOnSuccess(
                        done ->
                            log.info(
                                "challenge claimed challengeId={} userId={} verified={}",
                                claimed.id(),
                                userId,
                                verified))
                    .thenReturn(new Claim(token, claimed.verificationMethod())));
  }

  private static Refusal actionExists() {
    return Refusal.invalid(
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
