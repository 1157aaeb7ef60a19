package dev.signet.challenge.challenge;

import dev.signet.challenge.phone.PhoneNumbers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Read side of challenges: the lookup of {@code /v1/challenges}. */
@Component
class ChallengeQueries {

  private final ReactiveMongoTemplate mongo;

  ChallengeQueries(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** The challenge as the API shows it: the number masked unless the challenge was verified. */
  Mono<Map<String, Object>> describe(String challengeId) {
    return mongo
        .findById(challengeId, ChallengeDocument.class, ChallengeIssuer.COLLECTION)
        .switchIfEmpty(Mono.error(ChallengeController.notFound()))
        .map(
            c -> {
              boolean verified =
                  c.state() == ChallengeState.VERIFIED || c.state() == ChallengeState.CLAIMED;
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("challengeId", c.id());
              body.put("expiresAt", c.expiresAt().getEpochSecond());
              body.put("verificationMethod", c.verificationMethod());
              body.put("smsChannel", c.channel());
              body.put(
                  "phoneNumber", verified ? c.phoneNumber() : PhoneNumbers.mask(c.phoneNumber()));
              body.put("action", c.action());
              return body;
            });
  }
}
