package dev.signet.audit.view;

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityTypes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies a batch of activities to the views with a few bulk writes, so that the result does not
 * depend on duplicates or order:
 *
 * <ul>
 *   <li>activities are inserted once ({@code $setOnInsert} keyed by the derived activity id);
 *   <li>the per-challenge and per-action documents grow only by commutative operators ({@link
 *       ChallengeViewUpdates}, {@link ActionViewUpdates});
 *   <li>a challenge's state and delivery are stored only as ranks ({@link ChallengeRanks}) and
 *       named when read; an action's current state (last writer by event time, a string key under
 *       {@code $max}) is named by a second, conditional write ({@code {_id, stateKey: k}}) that
 *       only the winner's writer can match, so concurrent instances cannot leave a stale name.
 * </ul>
 *
 * A blocking store: it runs on the Kafka listener thread and returns once MongoDB has acknowledged,
 * so the batch's offsets are committed only afterwards.
 */
@Component
public class ViewWriter {

  private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private static final int REQUEST_HOURS_CACHED = 100_000;

  private final MongoTemplate mongo;
  private final Clock clock;

  /**
   * The request hour of recently requested challenges, so that a batch of their later events does
   * not read it back from MongoDB (a miss, e.g. a request applied by another instance, does).
   */
  private final Map<String, Instant> requestHours =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
              return size() > REQUEST_HOURS_CACHED;
            }
          });

  ViewWriter(MongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /**
   * What a batch changed.
   *
   * @param inserted activities that were new (the rest were duplicates)
   * @param bucketHours the hours (by challenge request time) whose aggregates must be recomputed
   */
  public record Applied(int inserted, Set<Instant> bucketHours) {}

  /** The writes of one batch, per collection, and what they touch. */
  private static final class Writes {
    final List<WriteModel<Document>> activities = new ArrayList<>();
    final List<WriteModel<Document>> challenges = new ArrayList<>();
    final List<WriteModel<Document>> actions = new ArrayList<>();
    final Set<String> challengeIds = new HashSet<>();
    final Map<String, String> stateKeys = new HashMap<>();
    final Set<Instant> hours = new HashSet<>();
  }

  public Applied apply(List<Activity> batch) {
    if (batch.isEmpty()) {
      return new Applied(0, Set.of());
    }
    Date now = Date.from(clock.instant());
    Writes w = new Writes();
    for (Activity a : batch) {
      add(w, a, now);
    }
    // The three collections are independent; unordered bulk writes, one per collection.
    BulkWriteResult inserted = bulk(ViewCollections.ACTIVITIES, w.activities);
    bulk(ViewCollections.CHALLENGES, w.challenges);
    bulk(ViewCollections.ACTIONS, w.actions);
    // Only when needed: the winning action states, and the request time of challenges whose
    // request this instance has not just applied.
    bulk(ViewCollections.ACTIONS, stateNames(w.stateKeys));
    Set<String> unknown = new HashSet<>();
    for (String challengeId : w.challengeIds) {
      Instant hour = requestHours.get(challengeId);
      if (hour != null) {
        w.hours.add(hour);
      } else {
        unknown.add(challengeId);
      }
    }
    if (!unknown.isEmpty()) {
      w.hours.addAll(requestHours(unknown));
    }
    return new Applied(inserted == null ? 0 : inserted.getUpserts().size(), w.hours);
  }

  private void add(Writes w, Activity a, Date now) {
    w.activities.add(
        new UpdateOneModel<>(
            Filters.eq("_id", a.activityId()),
            new Document("$setOnInsert", ViewDocuments.activityDocument(a, now)),
            UPSERT));
    if (a.challengeId() != null
        && (a.category() == ActivityCategory.CHALLENGE || a.category() == ActivityCategory.SMS)) {
      w.challenges.add(
          new UpdateOneModel<>(
              Filters.eq("_id", a.challengeId()), ChallengeViewUpdates.update(a), UPSERT));
      w.challengeIds.add(a.challengeId());
      if (ChallengeViewUpdates.isFirstRequest(a)) {
        Instant hour = a.occurredAt().truncatedTo(ChronoUnit.HOURS);
        w.hours.add(hour);
        requestHours.put(a.challengeId(), hour);
      }
    }
    if (a.category() == ActivityCategory.ACTION
        && a.userId() != null
        && a.actionCode() != null
        && a.idempotencyKey() != null) {
      String id = ActionViewUpdates.actionId(a.userId(), a.actionCode(), a.idempotencyKey());
      w.actions.add(
          new UpdateOneModel<>(Filters.eq("_id", id), ActionViewUpdates.update(a), UPSERT));
      if (ActivityTypes.ACTION_STATE_CHANGED.equals(a.type()) && a.attribute("state") != null) {
        w.stateKeys.merge(id, ActionViewUpdates.stateKey(a), (x, y) -> x.compareTo(y) >= 0 ? x : y);
      }
    }
  }

  private static List<WriteModel<Document>> stateNames(Map<String, String> stateKeys) {
    List<WriteModel<Document>> writes = new ArrayList<>();
    stateKeys.forEach(
        (id, key) ->
            writes.add(
                new UpdateOneModel<>(
                    Filters.and(Filters.eq("_id", id), Filters.eq("stateKey", key)),
                    new Document(
                        "$set",
                        new Document("state", key.substring(key.lastIndexOf('|') + 1))
                            .append("stateAt", new Date(Long.parseLong(key.substring(0, 15))))))));
    return writes;
  }

  private BulkWriteResult bulk(String collection, List<WriteModel<Document>> writes) {
    if (writes.isEmpty()) {
      return null;
    }
    return mongo.getCollection(collection).bulkWrite(writes, UNORDERED);
  }

  /** Reads the request time of challenges whose request this instance has not applied recently. */
  private Set<Instant> requestHours(Set<String> challengeIds) {
    Set<Instant> hours = new HashSet<>();
    for (Document d :
        mongo
            .getCollection(ViewCollections.CHALLENGES)
            .find(Filters.in("_id", challengeIds))
            .projection(Projections.include("requestedAt"))) {
      Date at = d.getDate("requestedAt");
      if (at != null) {
        Instant hour = at.toInstant().truncatedTo(ChronoUnit.HOURS);
        requestHours.put(d.getString("_id"), hour);
        hours.add(hour);
      }
    }
    return hours;
  }
}
