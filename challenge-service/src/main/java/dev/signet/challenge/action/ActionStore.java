package dev.signet.challenge.action;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Actions by user, action code and idempotency key: the state a token refers to and {@code
 * /v1/validate} reports. A claimed sign-in challenge (scenario S1) records its action here; tracked
 * actions (issue 6) share the collection.
 */
@Component
public class ActionStore {

  public static final String COLLECTION = "actions";

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  ActionStore(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  public static String id(String userId, String actionCode, String idempotencyKey) {
    return userId + ":" + actionCode + ":" + idempotencyKey;
  }

  /**
   * Records the action of a claimed challenge with its state; idempotent, and the creation time of
   * an existing record is kept.
   */
  public Mono<Void> recordClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      String verificationMethod) {
    Instant now = clock.instant();
    Query query = Query.query(Criteria.where("_id").is(id(userId, actionCode, idempotencyKey)));
    Update update =
        new Update()
            .set("userId", userId)
            .set("actionCode", actionCode)
            .set("idempotencyKey", idempotencyKey)
            .set("state", state)
            .set("stateUpdatedAt", Date.from(now))
            .set("updatedAt", Date.from(now))
            .set("verificationMethod", verificationMethod)
            .setOnInsert("createdAt", Date.from(now));
    return mongo
        .findAndModify(
            query, update, FindAndModifyOptions.options().upsert(true), Document.class, COLLECTION)
        .then();
  }
}
