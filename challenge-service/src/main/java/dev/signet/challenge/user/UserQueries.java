package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.platform.outbox.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lookups of users for {@code GET /v1/users} (by phone number, username or email, in pages ordered
 * by id), with the indexes they and the outbox relay's scan use.
 */
@Component
class UserQueries {

  private final ReactiveMongoTemplate mongo;

  UserQueries(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
    // Start-up only, before the outbox relay and the first request touch the collection: the
    // embedded MongoDB-wire server fails a query that runs while an index of its collection is
    // being created. The lookups of GET /v1/users, and the outbox relay's scan.
    var ops = mongo.indexOps(UserDocuments.COLLECTION);
    Flux.just(
            UserDocuments.PHONE_NUMBER,
            UserDocuments.AUTHENTICATORS + "." + UserDocuments.PHONE_NUMBER,
            UserDocuments.EMAIL,
            UserDocuments.USERNAME,
            Outbox.FIELD + ".createdAt")
        .concatMap(field -> ops.createIndex(new Index().on(field, Sort.Direction.ASC)))
        .then()
        .block(Duration.ofSeconds(30));
  }

  Mono<UserStore.Page> query(
      PhoneNumber phone, String username, String email, int limit, String after) {
    List<Criteria> criteria = new ArrayList<>();
    criteria.add(Criteria.where(UserDocuments.DELETED).ne(true));
    if (phone != null) {
      criteria.add(
          new Criteria()
              .orOperator(
                  Criteria.where(UserDocuments.PHONE_NUMBER).is(phone.e164()),
                  Criteria.where(UserDocuments.AUTHENTICATORS + "." + UserDocuments.PHONE_NUMBER)
                      .is(phone.e164())));
    }
    if (username != null) {
      criteria.add(Criteria.where(UserDocuments.USERNAME).is(username));
    }
    if (email != null) {
      criteria.add(Criteria.where(UserDocuments.EMAIL).is(email));
    }
    if (after != null) {
      criteria.add(Criteria.where(UserDocuments.ID).gt(after));
    }
    Query query =
        Query.query(new Criteria().andOperator(criteria))
            .with(Sort.by(Sort.Direction.ASC, UserDocuments.ID))
            .limit(limit + 1);
    query.fields().exclude(Outbox.FIELD);
    return mongo
        .find(query, Document.class, UserDocuments.COLLECTION)
        .map(UserDocuments::toUser)
        .collectList()
        .map(
            users ->
                users.size() > limit
                    ? new UserStore.Page(users.subList(0, limit), users.get(limit - 1).userId())
                    : new UserStore.Page(users, null));
  }
}
