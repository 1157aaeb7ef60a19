package dev.signet.challenge.action;

import static dev.signet.challenge.action.ActionDocuments.*;

import dev.signet.platform.outbox.OutboxEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The actions collection in MongoDB: one document per action ({@link ActionDocuments}), each
 * conditional write one {@code findAndModify} or insert, with the event pushed to the document's
 * outbox array in the same write.
 */
@Component
class MongoActionStore implements ActionStore {

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  MongoActionStore(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
    // Start-up only, before the outbox relay and the first request (see UserQueries): a user's
    // action list, and the outbox relay's scan.
    var ops = mongo.indexOps(COLLECTION);
    ops.createIndex(new Index().on(USER_ID, Sort.Direction.ASC).on(CREATED_AT, Sort.Direction.DESC))
        .then(ops.createIndex(new Index().on(OUTBOX + ".createdAt", Sort.Direction.ASC)))
        .block(Duration.ofSeconds(30));
  }

  @Override
  public Mono<Boolean> insertDeciding(Action deciding, OutboxEvent request) {
    return insert(ActionDocuments.deciding(deciding, request));
  }

  @Override
  public Mono<Action> find(String id) {
    return mongo.findOne(byId(id), Document.class, COLLECTION).map(ActionDocuments::read);
  }

  @Override
  public Mono<Action> replace(Action next, ActionState expected, OutboxEvent event) {
    Query query = Query.query(Criteria.where(ID).is(next.id()).and(STATE).is(stateName(expected)));
    query.fields().exclude(OUTBOX);
    Update update =
        new Update()
            .set(STATE, next.state().name())
            .set(STATE_UPDATED_AT, Date.from(next.stateUpdatedAt()))
            .set(UPDATED_AT, Date.from(next.updatedAt()))
            .push(OUTBOX, event.toDocument());
    if (next.verificationMethod() != null) {
      update.set(VERIFICATION_METHOD, next.verificationMethod());
    }
    if (!next.rules().isEmpty()) {
      update.set(RULES, rules(next.rules()));
    }
    if (next.output() != null) {
      update.set(OUTPUT, output(next.output()));
    }
    if (next.verifiedByAuthenticatorId() != null) {
      update.set(VERIFIED_BY_AUTHENTICATOR_ID, next.verifiedByAuthenticatorId());
    }
    return mongo
        .findAndModify(
            query,
            update,
            FindAndModifyOptions.options().returnNew(true),
            Document.class,
            COLLECTION)
        .map(ActionDocuments::read);
  }

  @Override
  public Mono<Boolean> markHostedPageOpened(String id, Instant at) {
    String openedAt = UI + "." + UI_OPENED_AT;
    return mongo
        .updateFirst(
            Query.query(Criteria.where(ID).is(id).and(openedAt).exists(false)),
            new Update().set(openedAt, Date.from(at)),
            COLLECTION)
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Mono<Void> recordLateDecision(String id, Decision decision, Instant receivedAt) {
    Document record =
        new Document("decision", decision.outcome().name())
            .append("ruleIds", decision.rules().stream().map(ActionRule::ruleId).toList())
            .append("receivedAt", Date.from(receivedAt));
    return mongo
        .updateFirst(
            Query.query(Criteria.where(ID).is(id)),
            new Update().set(LATE_DECISION, record),
            COLLECTION)
        .then();
  }

  @Override
  public Flux<Action> list(
      String userId, Instant from, List<String> codes, ActionState state, int limit) {
    Criteria criteria = Criteria.where(USER_ID).is(userId);
    if (from != null) {
      criteria.and(CREATED_AT).gte(from);
    }
    if (!codes.isEmpty()) {
      criteria.and(ACTION_CODE).in(codes);
    }
    if (state != null) {
      criteria.and(STATE).in(state.name(), DECIDING);
    }
    Query query = Query.query(criteria).with(Sort.by(Sort.Direction.DESC, CREATED_AT)).limit(limit);
    query.fields().exclude(OUTBOX);
    return mongo.find(query, Document.class, COLLECTION).map(ActionDocuments::read);
  }

  @Override
  public Mono<Boolean> insertClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod) {
    Date now = Date.from(clock.instant());
    Document action =
        new Document(ID, ActionStore.id(userId, actionCode, idempotencyKey))
            .append(USER_ID, userId)
            .append(ACTION_CODE, actionCode)
            .append(IDEMPOTENCY_KEY, idempotencyKey)
            .append(STATE, state.name())
            .append(STATE_UPDATED_AT, now)
            .append(UPDATED_AT, now)
            .append(VERIFICATION_METHOD, verificationMethod)
            .append(CREATED_AT, now)
            .append(OUTPUT, new Document("state", state.name()).append("decidedBy", "CLAIM"));
    return insert(action);
  }

  @Override
  public Mono<Void> recordClaimedChallenge(
      String userId,
      String actionCode,
      String idempotencyKey,
      ActionState state,
      String verificationMethod) {
    Date now = Date.from(clock.instant());
    Update update =
        new Update()
            .set(USER_ID, userId)
            .set(ACTION_CODE, actionCode)
            .set(IDEMPOTENCY_KEY, idempotencyKey)
            .set(STATE, state.name())
            .set(STATE_UPDATED_AT, now)
            .set(UPDATED_AT, now)
            .set(VERIFICATION_METHOD, verificationMethod)
            .setOnInsert(CREATED_AT, now);
    return mongo
        .findAndModify(
            Query.query(Criteria.where(ID).is(ActionStore.id(userId, actionCode, idempotencyKey))),
            update,
            FindAndModifyOptions.options().upsert(true),
            Document.class,
            COLLECTION)
        .then();
  }

  private Mono<Boolean> insert(Document document) {
    return mongo
        .insert(document, COLLECTION)
        .thenReturn(true)
        .onErrorResume(DuplicateKeyException.class, e -> Mono.just(false));
  }

  private static Query byId(String id) {
    Query query = Query.query(Criteria.where(ID).is(id));
    query.fields().exclude(OUTBOX);
    return query;
  }
}
