package dev.signet.audit.view;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies a batch of activities to the views with a few bulk writes, so that the result does not
 * depend on duplicates or order:
 *
 * <ul>
 *   <li>activities are inserted once ({@code $setOnInsert} keyed by the derived activity id);
 *   <li>the per-challenge and per-action documents grow only by commutative operators: {@code
 *       $addToSet} of entries derived from the event alone, {@code $min}/{@code $max} of times and
 *       of ranks ({@link ChallengeRanks}), {@code $set} of facts that every event of the challenge
 *       agrees on;
 *   <li>a challenge's state and delivery are stored only as ranks ({@link ChallengeRanks}) and
 *       named when read; an action's current state (last writer by event time, a string key under
 *       {@code $max}) is named by a second, conditional write ({@code {_id, stateKey: k}}) that
 *       only the winner's writer can match, so concurrent instances cannot leave a stale name.
 * </ul>
 *
 * Runs on the Kafka listener thread and blocks until MongoDB has acknowledged: the batch's offsets
 * are committed only afterwards.
 */
@Component
public class ViewWriter {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private static final int REQUEST_HOURS_CACHED = 100_000;

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  /**
   * The request hour of recently requested challenges, so that a batch of their later events does
   * not read it back from MongoDB (a miss, e.g. a request applied by another instance, does).
   */
  private final Map<String, Instant> requestHours =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
              return size() > REQUEST_HOURS_CACHED;
            }
          });

  ViewWriter(ReactiveMongoTemplate mongo, Clock clock) {
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

  public Applied apply(List<Activity> batch) {
    if (batch.isEmpty()) {
      return new Applied(0, Set.of());
    }
    Date now = Date.from(clock.instant());
    List<WriteModel<Document>> activityWrites = new ArrayList<>(batch.size());
    List<WriteModel<Document>> challengeWrites = new ArrayList<>();
    List<WriteModel<Document>> actionWrites = new ArrayList<>();
    Set<String> challenges = new HashSet<>();
    Map<String, String> stateKeys = new HashMap<>();
    Set<Instant> hours = new HashSet<>();
    for (Activity a : batch) {
      activityWrites.add(
          new UpdateOneModel<>(
              Filters.eq("_id", a.activityId()),
              new Document("$setOnInsert", activityDocument(a, now)),
              UPSERT));
      if (a.challengeId() != null
          && (a.category() == ActivityCategory.CHALLENGE || a.category() == ActivityCategory.SMS)) {
        ChallengeUpdate update = challengeUpdate(a);
        challengeWrites.add(
            new UpdateOneModel<>(Filters.eq("_id", a.challengeId()), update.document(), UPSERT));
        challenges.add(a.challengeId());
        if (isFirstRequest(a)) {
          Instant hour = a.occurredAt().truncatedTo(ChronoUnit.HOURS);
          hours.add(hour);
          requestHours.put(a.challengeId(), hour);
        }
      }
      if (a.category() == ActivityCategory.ACTION
          && a.userId() != null
          && a.actionCode() != null
          && a.idempotencyKey() != null) {
        String id = actionId(a.userId(), a.actionCode(), a.idempotencyKey());
        actionWrites.add(new UpdateOneModel<>(Filters.eq("_id", id), actionUpdate(a), UPSERT));
        if (ActivityTypes.ACTION_STATE_CHANGED.equals(a.type()) && a.attribute("state") != null) {
          stateKeys.merge(id, stateKey(a), (x, y) -> x.compareTo(y) >= 0 ? x : y);
        }
      }
    }
    // The three collections are independent: one round trip for all of them.
    com.mongodb.bulk.BulkWriteResult[] result = new com.mongodb.bulk.BulkWriteResult[1];
    Mono.when(
            bulk(ViewCollections.ACTIVITIES, activityWrites).doOnNext(r -> result[0] = r),
            bulk(ViewCollections.CHALLENGES, challengeWrites),
            bulk(ViewCollections.ACTIONS, actionWrites))
        .block(TIMEOUT);
    List<WriteModel<Document>> actionStates = new ArrayList<>();
    stateKeys.forEach(
        (id, key) ->
            actionStates.add(
                new UpdateOneModel<>(
                    Filters.and(Filters.eq("_id", id), Filters.eq("stateKey", key)),
                    new Document(
                        "$set",
                        new Document("state", key.substring(key.lastIndexOf('|') + 1))
                            .append("stateAt", new Date(Long.parseLong(key.substring(0, 15))))))));
    Set<String> unknown = new HashSet<>();
    for (String challengeId : challenges) {
      Instant hour = requestHours.get(challengeId);
      if (hour != null) {
        hours.add(hour);
      } else {
        unknown.add(challengeId);
      }
    }
    // Second round trip, only when needed: the winning action states, and the request time of
    // challenges whose request this instance has not just applied; both at once.
    Mono.when(
            bulk(ViewCollections.ACTIONS, actionStates),
            unknown.isEmpty() ? Mono.empty() : requestHours(unknown).doOnNext(hours::addAll))
        .block(TIMEOUT);
    int inserted = result[0] == null ? 0 : result[0].getUpserts().size();
    return new Applied(inserted, hours);
  }

  /** The id of the per-action document: a digest, as the three parts are caller-chosen strings. */
  public static String actionId(String userId, String actionCode, String idempotencyKey) {
    String joined =
        userId.length()
            + ":"
            + userId
            + "|"
            + actionCode.length()
            + ":"
            + actionCode
            + "|"
            + idempotencyKey;
    try {
      return HexFormat.of()
          .formatHex(
              Arrays.copyOf(
                  MessageDigest.getInstance("SHA-256")
                      .digest(joined.getBytes(StandardCharsets.UTF_8)),
                  20));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Mono<com.mongodb.bulk.BulkWriteResult> bulk(
      String collection, List<WriteModel<Document>> writes) {
    if (writes.isEmpty()) {
      return Mono.empty();
    }
    return mongo.getCollection(collection).flatMap(c -> Mono.from(c.bulkWrite(writes, UNORDERED)));
  }

  /** Reads the request time of challenges whose request this instance has not applied recently. */
  private Mono<Set<Instant>> requestHours(Set<String> challengeIds) {
    return mongo
        .getCollection(ViewCollections.CHALLENGES)
        .flatMapMany(
            (MongoCollection<Document> c) ->
                Flux.from(
                    c.find(Filters.in("_id", challengeIds))
                        .projection(Projections.include("requestedAt"))))
        .<Instant>handle(
            (d, sink) -> {
              Date at = d.getDate("requestedAt");
              if (at != null) {
                Instant hour = at.toInstant().truncatedTo(ChronoUnit.HOURS);
                requestHours.put(d.getString("_id"), hour);
                sink.next(hour);
              }
            })
        .collect(HashSet::new, Set::add);
  }

  static Document activityDocument(Activity a, Date recordedAt) {
    Document d = new Document("_id", a.activityId());
    d.append("type", a.type());
    d.append("category", a.category().name());
    d.append("outcome", a.outcome().name());
    d.append("severity", a.severity().name());
    d.append("summary", a.summary());
    d.append("occurredAt", Date.from(a.occurredAt()));
    d.append("recordedAt", recordedAt);
    putIfPresent(d, "correlationId", a.correlationId());
    putIfPresent(d, "userId", a.userId());
    putIfPresent(d, "challengeId", a.challengeId());
    putIfPresent(d, "actionCode", a.actionCode());
    putIfPresent(d, "idempotencyKey", a.idempotencyKey());
    putIfPresent(d, "userAuthenticatorId", a.userAuthenticatorId());
    putIfPresent(d, "phoneNumberMasked", a.phoneNumberMasked());
    putIfPresent(d, "phoneHash", a.phoneHash());
    putIfPresent(d, "countryCode", a.countryCode());
    putIfPresent(d, "ipAddress", a.ipAddress());
    d.append("testTraffic", a.testTraffic());
    d.append("sourceTopic", a.sourceTopic());
    d.append("sourceEventId", a.sourceEventId());
    d.append("attributes", new Document(new LinkedHashMap<>(a.attributes())));
    // The audit topic's outbox flag: present (and indexed, sparse) only until published.
    d.append("pending", true);
    return d;
  }

  /** A timeline entry of a challenge or action document; built from the event alone. */
  static Document step(Activity a) {
    return new Document("type", a.type())
        .append("at", Date.from(a.occurredAt()))
        .append("outcome", a.outcome().name())
        .append("summary", a.summary())
        .append("activityId", a.activityId())
        .append("attributes", new Document(new LinkedHashMap<>(a.attributes())));
  }

  private record ChallengeUpdate(Document document, int outcomeRank, int deliveryRank) {}

  private static boolean isFirstRequest(Activity a) {
    return ActivityTypes.CHALLENGE_REQUESTED.equals(a.type()) && a.longAttribute("attempt", 1) == 1;
  }

  private static ChallengeUpdate challengeUpdate(Activity a) {
    Date at = Date.from(a.occurredAt());
    int attempt = (int) a.longAttribute("attempt", 1);
    Document min = new Document("createdAt", at);
    Document max = new Document("updatedAt", at);
    Document addToSet = new Document("steps", step(a));
    if (ActivityTypes.SMS_DISPATCH_FAILED.equals(a.type())
        && "true".equals(a.attribute("tampered"))) {
      // A forged or altered request for this challenge: it only marks the challenge. Its user,
      // number and action are the forger's claims and must not overwrite the challenge's own, and
      // nothing was sent, so the delivery does not move.
      addToSet.append(
          "tamperedRequests",
          new Document("attempt", attempt)
              .append("phoneNumberMasked", a.phoneNumberMasked())
              .append("activityId", a.activityId()));
      max.append("outcomeRank", ChallengeRanks.outcome("PENDING"))
          .append("deliveryRank", ChallengeRanks.delivery("NONE"));
      Document update =
          new Document("$min", min)
              .append("$max", max)
              .append("$addToSet", addToSet)
              .append("$set", new Document("tampered", true));
      return new ChallengeUpdate(
          update, ChallengeRanks.outcome("PENDING"), ChallengeRanks.delivery("NONE"));
    }
    Document set = new Document();
    putIfPresent(set, "userId", a.userId());
    putIfPresent(set, "action", a.actionCode());
    putIfPresent(set, "idempotencyKey", a.idempotencyKey());
    putIfPresent(set, "countryCode", a.countryCode());
    putIfPresent(set, "phoneNumberMasked", a.phoneNumberMasked());
    putIfPresent(set, "phoneHash", a.phoneHash());
    putIfPresent(set, "userAuthenticatorId", a.userAuthenticatorId());
    putIfPresent(set, "purpose", a.attribute("purpose"));
    if (a.testTraffic()) {
      set.append("testTraffic", true);
    }
    int outcome = ChallengeRanks.outcome("PENDING");
    int delivery = ChallengeRanks.delivery("NONE");
    switch (a.type()) {
      case ActivityTypes.CHALLENGE_REQUESTED -> {
        addToSet.append("requestedAttempts", attempt);
        if (attempt == 1) {
          set.append("requestedAt", at);
        }
        long expires = a.longAttribute("expiresAt", -1);
        if (expires >= 0) {
          max.append("expiresAt", new Date(expires));
        }
        putIfPresent(set, "channel", a.attribute("channel"));
      }
      case ActivityTypes.SMS_DISPATCHED -> {
        addToSet.append("sentAttempts", attempt);
        min.append("firstSentAt", at);
        delivery = ChallengeRanks.delivery("SENT");
      }
      case ActivityTypes.SMS_DISPATCH_FAILED -> {
        addToSet.append(
            "dispatchFailures",
            new Document("attempt", attempt).append("reason", a.attribute("reason")));
        delivery = ChallengeRanks.delivery("FAILED");
      }
      case ActivityTypes.SMS_DELIVERY_REPORTED -> {
        String status = a.attribute("status");
        if ("DELIVERED".equals(status)) {
          long ms = a.longAttribute("sendToReceiptMillis", -1);
          Document delivered = new Document("attempt", attempt);
          if (ms >= 0) {
            delivered.append("millis", ms);
            min.append("timeToDeliveryMillis", ms);
          }
          addToSet.append("deliveredAttempts", delivered);
          min.append("deliveredAt", at);
          delivery = ChallengeRanks.delivery("DELIVERED");
        } else if ("true".equals(a.attribute("finalStatus"))) {
          addToSet.append(
              "undeliveredAttempts", new Document("attempt", attempt).append("status", status));
          delivery = ChallengeRanks.delivery("FAILED");
        } else {
          delivery = ChallengeRanks.delivery("SENT");
        }
      }
      case ActivityTypes.SMS_BLOCKED -> {
        Document block = new Document("attempt", attempt).append("reason", a.attribute("reason"));
        if ("true".equals(a.attribute("shadow"))) {
          addToSet.append("shadowBlocks", block);
        } else {
          addToSet.append("blocks", block);
          delivery = ChallengeRanks.delivery("BLOCKED");
        }
      }
      case ActivityTypes.CHALLENGE_VERIFIED -> {
        min.append("verifiedAt", at);
        outcome = ChallengeRanks.outcome("VERIFIED");
      }
      case ActivityTypes.CHALLENGE_VERIFICATION_FAILED -> {
        addToSet.append("failedVerifications", a.activityId());
        if ("true".equals(a.attribute("terminal"))) {
          outcome = ChallengeRanks.outcome("FAILED");
        }
      }
      case ActivityTypes.CHALLENGE_CLAIMED -> {
        min.append("claimedAt", at);
        outcome = ChallengeRanks.outcome("CLAIMED");
      }
      case ActivityTypes.CHALLENGE_EXPIRED -> {
        min.append("expiredAt", at);
        outcome = ChallengeRanks.outcome("EXPIRED");
      }
      default -> {
        // other types only add their step
      }
    }
    max.append("outcomeRank", outcome).append("deliveryRank", delivery);
    Document update = new Document("$min", min).append("$max", max).append("$addToSet", addToSet);
    if (!set.isEmpty()) {
      update.append("$set", set);
    }
    return new ChallengeUpdate(update, outcome, delivery);
  }

  private static Document actionUpdate(Activity a) {
    Date at = Date.from(a.occurredAt());
    Document set =
        new Document("userId", a.userId())
            .append("actionCode", a.actionCode())
            .append("idempotencyKey", a.idempotencyKey());
    Document min = new Document("createdAt", at);
    Document max = new Document("updatedAt", at);
    Document addToSet = new Document("steps", step(a));
    switch (a.type()) {
      case ActivityTypes.ACTION_TRACKED -> {
        min.append("trackedAt", at);
        putIfPresent(set, "ipAddress", a.ipAddress());
        putIfPresent(set, "userAgent", a.attribute("userAgent"));
        putIfPresent(set, "deviceId", a.attribute("deviceId"));
      }
      case ActivityTypes.ACTION_DECIDED -> {
        min.append("decidedAt", at);
        putIfPresent(set, "decision", a.attribute("decision"));
        set.append("ruleIds", splitList(a.attribute("ruleIds")));
        putIfPresent(set, "defaultOutcome", a.attribute("defaultOutcome"));
      }
      case ActivityTypes.ACTION_STATE_CHANGED -> {
        if (a.attribute("state") != null) {
          max.append("stateKey", stateKey(a));
        }
        if (a.challengeId() != null) {
          addToSet.append("challengeIds", a.challengeId());
        }
        putIfPresent(set, "completedVia", a.attribute("via"));
        if ("MANUAL".equals(a.attribute("cause"))) {
          addToSet.append(
              "manualChanges",
              new Document("state", a.attribute("state"))
                  .append("previousState", a.attribute("previousState"))
                  .append("credentialKind", a.attribute("credentialKind"))
                  .append("at", at));
        } else if (a.attribute("reviewedBy") != null) {
          addToSet.append(
              "reviews",
              new Document("reviewedBy", a.attribute("reviewedBy"))
                  .append("state", a.attribute("state"))
                  .append("at", at));
        }
      }
      default -> {
        // only the step
      }
    }
    return new Document("$set", set)
        .append("$min", min)
        .append("$max", max)
        .append("$addToSet", addToSet);
  }

  /**
   * Last writer by occurredAt wins the action's current state; at the same millisecond, the more
   * final state wins (a result over a requirement). Fixed-width, so it orders as a string.
   */
  static String stateKey(Activity a) {
    String state = a.attribute("state");
    int rank =
        switch (state) {
          case "CHALLENGE_SUCCEEDED", "CHALLENGE_FAILED", "REVIEW_SUCCEEDED", "REVIEW_FAILED" -> 2;
          case "UNKNOWN" -> 0;
          default -> 1;
        };
    return String.format("%015d|%d|%s", Math.max(0, a.occurredAt().toEpochMilli()), rank, state);
  }

  private static List<String> splitList(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  private static void putIfPresent(Document d, String key, Object value) {
    if (value != null) {
      d.append(key, value);
    }
  }
}
