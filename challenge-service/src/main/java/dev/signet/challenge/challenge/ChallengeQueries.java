package dev.signet.challenge.challenge;

import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.phone.PhoneNumbers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Read side of challenges: the lookup of {@code /v1/challenges}. */
@Component
class ChallengeQueries {

  private final ChallengeStore store;

  ChallengeQueries(ChallengeStore store) {
    this.store = store;
  }

  /** The challenge as the API shows it: the number masked unless the challenge was verified. */
  Mono<Map<String, Object>> describe(String challengeId) {
    return store
        .find(challengeId)
        .switchIfEmpty(
            Mono.error(() -> new Refusal.NotFound("The challenge was not found.").asError()))
        .map(
            c -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("challengeId", c.id());
              body.put("expiresAt", c.expiresAt().getEpochSecond());
              body.put("verificationMethod", c.verificationMethod());
              body.put("smsChannel", c.recipient().channel().name());
              body.put(
                  "phoneNumber", c.proven() ? c.phoneNumber() : PhoneNumbers.mask(c.phoneNumber()));
              body.put("action", c.action());
              return body;
            });
  }
}
