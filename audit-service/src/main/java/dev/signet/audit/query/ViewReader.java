package dev.signet.audit.query;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.signet.audit.view.ViewCollections;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the views for the query API: newest first by a time field, then by id descending, which is
 * also what the cursor holds, so pages neither skip nor repeat items while new ones arrive.
 */
@Component
class ViewReader {

  /** At most this many challenges of one phone number are joined into an activity search. */
  static final int PHONE_CHALLENGES = 1000;

  private final ReactiveMongoTemplate mongo;

  ViewReader(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** One page: the items and whether more follow. */
  record Page(List<Document> items, boolean more) {}

  Mono<Page> page(
      String collection, List<Bson> filters, String timeField, Cursor after, int limit) {
    List<Bson> all = new ArrayList<>(filters);
    if (after != null) {
      Date at = Date.from(after.at());
      all.add(
          Filters.or(
              Filters.lt(timeField, at),
              Filters.and(Filters.eq(timeField, at), Filters.lt("_id", after.id()))));
    }
    Bson filter = all.isEmpty() ? new Document() : Filters.and(all);
    return mongo
        .getCollection(collection)
        .flatMapMany(
            c ->
                Flux.from(
                    c.find(filter)
                        .sort(Sorts.orderBy(Sorts.descending(timeField), Sorts.descending("_id")))
                        .limit(limit + 1)))
        .collectList()
        .map(
            docs ->
                docs.size() > limit
                    ? new Page(docs.subList(0, limit), true)
                    : new Page(docs, false));
  }

  Mono<Document> byId(String collection, String id) {
    return mongo
        .getCollection(collection)
        .flatMap(c -> Mono.from(c.find(Filters.eq("_id", id)).first()));
  }

  Mono<Document> one(String collection, Bson filter) {
    return mongo.getCollection(collection).flatMap(c -> Mono.from(c.find(filter).first()));
  }

  /** The ids of the most recent challenges sent to the number with this hash. */
  Mono<List<String>> challengeIdsByPhone(String phoneHash) {
    return mongo
        .getCollection(ViewCollections.CHALLENGES)
        .flatMapMany(
            c ->
                Flux.from(
                    c.find(Filters.eq("phoneHash", phoneHash))
                        .projection(Projections.include("_id"))
                        .sort(Sorts.descending("createdAt"))
                        .limit(PHONE_CHALLENGES)))
        .map(d -> d.getString("_id"))
        .collectList();
  }

  Mono<List<Document>> aggregates(
      String granularity,
      Instant from,
      Instant to,
      Bson countryFilter,
      Bson actionFilter,
      int max) {
    Bson filter =
        Filters.and(
            Filters.eq("granularity", granularity),
            Filters.gte("bucketStart", Date.from(from)),
            Filters.lt("bucketStart", Date.from(to)),
            countryFilter,
            actionFilter);
    return mongo
        .getCollection(ViewCollections.AGGREGATES)
        .flatMapMany(
            c ->
                Flux.from(
                    c.find(filter)
                        .sort(
                            Sorts.orderBy(
                                Sorts.ascending("bucketStart"),
                                Sorts.ascending("countryCode"),
                                Sorts.ascending("action")))
                        .limit(max + 1)))
        .collectList();
  }

  Mono<Long> pendingPublications() {
    return mongo
        .getCollection(ViewCollections.ACTIVITIES)
        .flatMap(c -> Mono.from(c.countDocuments(Filters.eq("pending", true))));
  }
}
