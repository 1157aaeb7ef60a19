package dev.signet.audit.config;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.signet.audit.view.ViewCollections;
import java.util.List;
import java.util.Map;

/** The indexes of the views, per collection: what the query API filters and sorts on. */
final class ViewIndexes {

  static final Map<String, List<IndexModel>> ALL =
      Map.of(
          ViewCollections.ACTIVITIES,
          List.of(
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.ascending("userId"),
                      Indexes.descending("occurredAt"),
                      Indexes.descending("_id"))),
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.descending("occurredAt"), Indexes.descending("_id"))),
              new IndexModel(Indexes.ascending("challengeId")),
              new IndexModel(Indexes.ascending("phoneHash"), new IndexOptions().sparse(true)),
              new IndexModel(Indexes.ascending("pending"), new IndexOptions().sparse(true))),
          ViewCollections.CHALLENGES,
          List.of(
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.ascending("userId"),
                      Indexes.descending("createdAt"),
                      Indexes.descending("_id"))),
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.descending("createdAt"), Indexes.descending("_id"))),
              new IndexModel(Indexes.ascending("phoneHash"), new IndexOptions().sparse(true)),
              new IndexModel(Indexes.ascending("requestedAt")),
              new IndexModel(Indexes.ascending("updatedAt"))),
          ViewCollections.ACTIONS,
          List.of(
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.ascending("userId"),
                      Indexes.descending("createdAt"),
                      Indexes.descending("_id"))),
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.ascending("state"),
                      Indexes.descending("createdAt"),
                      Indexes.descending("_id"))),
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.descending("createdAt"), Indexes.descending("_id"))),
              new IndexModel(Indexes.ascending("updatedAt"))),
          ViewCollections.AGGREGATES,
          List.of(
              new IndexModel(
                  Indexes.compoundIndex(
                      Indexes.ascending("granularity"), Indexes.ascending("bucketStart"))),
              new IndexModel(Indexes.ascending("bucketStart"))));

  private ViewIndexes() {}
}
