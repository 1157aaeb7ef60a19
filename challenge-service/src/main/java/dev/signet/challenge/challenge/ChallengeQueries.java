package dev.signet.challenge.challenge;

import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.phone.PhoneNumbers;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Read side of challenges: the lookup of {@code /v1/challenges}. */
@Component
class ChallengeQueries {

  private final ChallengeStore store;

  ChallengeQueries(ChallengeStore store) {
    this.store = store;
  }

  /** A challenge as {@code /v1/challenges} shows it. */
  record ChallengeView(
      String challengeId,
      long expiresAt,
      String verificationMethod,
      String smsChannel,
      String phoneNumber,
      String action) {}

  /** The challenge as the API shows it: the number masked unless the challenge was verified. */
  Mono<ChallengeView> describe(String challengeId) {
    return store
        .find(challengeId)
        .switchIfEmpty(
            Mono.error(() -> new Refusal.NotFound("The challenge was not found.").asError()))
        .map(
            c ->
                new ChallengeView(
                    c.id(),
                    c.expiresAt().getEpochSecond(),
                    c.verificationMethod(),
                    c.recipient().channel().name(),
                    c.proven() ? c.phoneNumber() : PhoneNumbers.mask(c.phoneNumber()),
                    c.action()));
  }
}
