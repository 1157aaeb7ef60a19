package dev.signet.challenge.client;

import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@link ClientSession}s in the {@code clientChallenges} collection, one document per action
 * attempt. The code itself never lives here (only in the challenge, as its HMAC); a document is
 * useless without a token of its action, and MongoDB drops it a day after its last use.
 */
@Component
class ClientSessions {

  static final String COLLECTION = "clientChallenges";
  private static final Duration KEEP = Duration.ofDays(1);

  private final ReactiveMongoTemplate mongo;

  ClientSessions(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
    // Start-up only, before the first request (see UserQueries). Expires sessions long after any
    // token of theirs (real MongoDB; the embedded one keeps them).
    mongo
        .indexOps(COLLECTION)
        .createIndex(new Index().on("updatedAt", Sort.Direction.ASC).expire(KEEP))
        .block(Duration.ofSeconds(30));
  }

  Mono<Optional<ClientSession>> find(String actionId) {
    return mongo
        .findById(actionId, Document.class, COLLECTION)
        .map(ClientSessions::read)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty());
  }

  /** Makes {@code session} the current code of its action (replacing an earlier one). */
  Mono<Void> save(ClientSession session) {
    Document document =
        new Document("_id", session.actionId())
            .append("userId", session.userId())
            .append("purpose", session.purpose().name())
            .append("challengeId", session.challengeId())
            .append("verificationMethod", session.verificationMethod())
            .append("channel", session.channel())
            .append("phoneNumber", session.phoneNumber())
            .append("userAuthenticatorId", session.userAuthenticatorId())
            .append("updatedAt", Date.from(session.updatedAt()));
    return mongo
        .findAndReplace(
            Query.query(Criteria.where("_id").is(session.actionId())),
            document,
            org.springframework.data.mongodb.core.FindAndReplaceOptions.options().upsert(),
            Document.class,
            COLLECTION)
        .then();
  }

  private static ClientSession read(Document d) {
    return new ClientSession(
        d.getString("_id"),
        d.getString("userId"),
        ClientSession.Purpose.valueOf(d.getString("purpose")),
        d.getString("challengeId"),
        d.getString("verificationMethod"),
        d.getString("channel"),
        d.getString("phoneNumber"),
        d.getString("userAuthenticatorId"),
        d.getDate("updatedAt").toInstant());
  }
}
