package dev.signet.challenge.action;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
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

  /**
   * The hosted page's part of an action document: {@code redirectUrl} (checked at track) and {@code
   * openedAt} (set once, when the page was first opened for the action attempt).
   */
  public static final String UI = "ui";

  public static final String UI_REDIRECT_URL = "redirectUrl";
  public static final String UI_OPENED_AT = "openedAt";

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
   * Inserts the action of a claimed challenge with its state, and only if no action with this user,
   * action code and idempotency key exists: a claim never changes an existing action (a tracked
   * action that was blocked or sent to review keeps that state). Emits whether it inserted.
   */
  public Mono<Boolean> insertClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      String state,
      String verificationMethod) {
    Date now = Date.from(clock.instant());
    Document action =
        new Document("_id", id(userId, actionCode, idempotencyKey))
            .append("userId", userId)
            .append("actionCode", actionCode)
            .append("idempotencyKey", idempotencyKey)
            .append("state", state)
            .append("stateUpdatedAt", now)
            .append("updatedAt", now)
            .append("verificationMethod", verificationMethod)
            .append("createdAt", now)
            .append(
                ActionDocuments.OUTPUT, new Document("state", state).append("decidedBy", "CLAIM"));
    return mongo
        .insert(action, COLLECTION)
        .thenReturn(true)
        .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
  }

  /**
   * Sets an action's state whatever it was (test fixtures arrange states with it); the claim path
   * uses {@link #insertClaimedChallenge}, which never overwrites.
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
