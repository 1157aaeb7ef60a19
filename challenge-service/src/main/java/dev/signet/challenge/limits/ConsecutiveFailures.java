package dev.signet.challenge.limits;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wrong codes in a row per account, across challenges (NIST SP 800-63B 3.1.3.2). An account is a
 * phone number, a user, or a client API action attempt ({@link Subject}). The count never expires
 * and a fresh challenge or a resend never resets it: only a successful verification of that
 * account, or an operator reset, does.
 *
 * <p>Each comparison is reserved before the code is compared, with one conditional {@code $inc}
 * that succeeds only while the count is under the cap and the account is not locked, so parallel
 * requests can never compare more codes than the schedule allows. Every {@code lockEvery} failures
 * in a row lock the account for {@code firstLock}, doubling at each step (5, 10, 20 ... minutes by
 * default); at {@code cap} (100) the account is locked until an operator resets it, so no account
 * ever gets more than {@code cap} wrong codes compared, however long the attacker waits.
 */
@Component
public class ConsecutiveFailures {

  static final String COLLECTION = "consecutiveFailures";
  static final String COUNT = "count";
  static final String LAST_RESERVED_AT = "lastReservedAt";

  /** Retry-After of an account locked until an operator resets it. */
  static final long PERMANENT_LOCK_RETRY_AFTER = 3600;

  private static final int RACE_RETRIES = 8;

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;
  private final int cap;
  private final int lockEvery;
  private final Duration firstLock;

  ConsecutiveFailures(ReactiveMongoTemplate mongo, Clock clock, ChallengeProperties properties) {
    this.mongo = mongo;
    this.clock = clock;
    this.cap = properties.limits().consecutiveFailures();
    this.lockEvery = properties.limits().failureLockEvery();
    this.firstLock = properties.limits().failureLockout();
  }

  /** An account whose failures count; {@link #key()} is its id in the collection. */
  public record Subject(Kind kind, String id) {

    public enum Kind {
      PHONE,
      USER,
      ACTION
    }

    public static Subject phone(String e164) {
      return new Subject(Kind.PHONE, e164);
    }

    public static Subject user(String userId) {
      return new Subject(Kind.USER, userId);
    }

    public static Subject action(String actionId) {
      return new Subject(Kind.ACTION, actionId);
    }

    /** Phone numbers keep their bare E.164 key (it starts with '+', so no other key collides). */
    String key() {
      return switch (kind) {
        case PHONE -> id;
        case USER -> "user:" + id;
        case ACTION -> "action:" + id;
      };
    }
  }

  /** How long the lock after {@code count} failures in a row lasts; empty when none starts. */
  Optional<Duration> lockAfter(int count) {
    if (count <= 0 || count % lockEvery != 0 || count >= cap) {
      return Optional.empty();
    }
    int step = count / lockEvery;
    return Optional.of(firstLock.multipliedBy(1L << Math.min(step - 1, 30)));
  }

  /**
   * Reserves one comparison for {@code subject} and returns the count including it; fails with a
   * {@link Refused} too_many_requests while the account is locked or at the cap. A reservation
   * stays counted as a failure unless a success resets the account or {@link #release} gives it
   * back.
   */
  public Mono<Integer> reserve(Subject subject) {
    return reserve(subject, 0);
  }

  private Mono<Integer> reserve(Subject subject, int races) {
    Instant now = clock.instant();
    String key = subject.key();
    Update update = new Update().inc(COUNT, 1).set(LAST_RESERVED_AT, Date.from(now));
    return ensureExists(key)
        .then(
            mongo.findAndModify(
                Query.query(reservable(key, now)),
                update,
                FindAndModifyOptions.options().returnNew(true),
                Document.class,
                COLLECTION))
        .map(doc -> doc.getInteger(COUNT, 0))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    mongo
                        .findById(key, Document.class, COLLECTION)
                        .map(java.util.Optional::of)
                        .defaultIfEmpty(java.util.Optional.empty())
                        .flatMap(
                            found -> {
                              if (found.isPresent() && !open(found.get(), now)) {
                                return Mono.<Integer>error(refusal(found.get(), now));
                              }
                              // A success or a reset removed the counter between our writes (and
                              // perhaps another request created it again): try again.
                              return races < RACE_RETRIES
                                  ? reserve(subject, races + 1)
                                  : Mono.error(
                                      new IllegalStateException(
                                          "failure counter kept changing under reservation"));
                            })));
  }

  /** Whether the counter as read would take a reservation now (the query's rule in Java). */
  private boolean open(Document doc, Instant now) {
    int count = doc.getInteger(COUNT, 0);
    if (count >= cap) {
      return false;
    }
    Date last = doc.getDate(LAST_RESERVED_AT);
    return lockAfter(count)
        .map(lock -> last == null || !last.toInstant().plus(lock).isAfter(now))
        .orElse(true);
  }

  /** The counter document of {@code key}, present so that the reservation can be conditional. */
  private Mono<Void> ensureExists(String key) {
    return mongo
        .upsert(
            Query.query(Criteria.where("_id").is(key)),
            new Update().setOnInsert(COUNT, 0),
            COLLECTION)
        // Two first reservations racing on the insert: the other one created it.
        .onErrorResume(DuplicateKeyException.class, e -> Mono.empty())
        .then();
  }

  /** Under the cap, and not at a lock step whose lock still runs. */
  private Criteria reservable(String key, Instant now) {
    List<Integer> steps = new ArrayList<>();
    List<Criteria> open = new ArrayList<>();
    for (int count = lockEvery; count < cap; count += lockEvery) {
      Duration lock = lockAfter(count).orElseThrow();
      steps.add(count);
      open.add(
          Criteria.where(COUNT).is(count).and(LAST_RESERVED_AT).lte(Date.from(now.minus(lock))));
    }
    open.add(Criteria.where(COUNT).nin(steps));
    // A counter written before lock times were kept: its step's lock counts as over.
    open.add(Criteria.where(COUNT).in(steps).and(LAST_RESERVED_AT).exists(false));
    return new Criteria()
        .andOperator(
            Criteria.where("_id").is(key),
            Criteria.where(COUNT).lt(cap),
            new Criteria().orOperator(open));
  }

  private Refused refusal(Document doc, Instant now) {
    int count = doc.getInteger(COUNT, 0);
    if (count >= cap) {
      return new Refusal.TooManyRequests(
              "Too many failed verifications: verification is locked until an operator resets it.",
              PERMANENT_LOCK_RETRY_AFTER)
          .asError();
    }
    Date last = doc.getDate(LAST_RESERVED_AT);
    Instant ends = (last == null ? now : last.toInstant()).plus(lockAfter(count).orElse(firstLock));
    return new Refusal.TooManyRequests(
            "Too many failed verifications; try again later.",
            Math.max(1, Duration.between(now, ends).toSeconds()))
        .asError();
  }

  /**
   * Reserves a comparison for every subject, in order; when one refuses, the ones already reserved
   * are given back and the refusal is the answer. Returns the counts in order.
   */
  public Mono<List<Integer>> reserveAll(List<Subject> subjects) {
    return reserveFrom(subjects, 0, new ArrayList<>());
  }

  private Mono<List<Integer>> reserveFrom(List<Subject> subjects, int index, List<Integer> counts) {
    if (index == subjects.size()) {
      return Mono.just(counts);
    }
    return reserve(subjects.get(index))
        .onErrorResume(e -> releaseAll(subjects.subList(0, index)).then(Mono.<Integer>error(e)))
        .flatMap(
            count -> {
              counts.add(count);
              return reserveFrom(subjects, index + 1, counts);
            });
  }

  /** Gives back one reservation that compared no code (never below zero). */
  public Mono<Void> release(Subject subject) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(subject.key()).and(COUNT).gt(0)),
            new Update().inc(COUNT, -1),
            COLLECTION)
        .then();
  }

  public Mono<Void> releaseAll(List<Subject> subjects) {
    return Flux.fromIterable(subjects).concatMap(this::release).then();
  }

  /** A success earned it: the account starts counting from zero. */
  public Mono<Void> reset(Subject subject) {
    return mongo.remove(Query.query(Criteria.where("_id").is(subject.key())), COLLECTION).then();
  }

  public Mono<Void> resetAll(List<Subject> subjects) {
    return Flux.fromIterable(subjects).concatMap(this::reset).then();
  }

  /** The account's failures in a row and, while one runs, when its lock ends. */
  public record State(int count, boolean locked, boolean permanent, Instant lockEnds) {}

  public Mono<State> state(Subject subject) {
    Instant now = clock.instant();
    return mongo
        .findById(subject.key(), Document.class, COLLECTION)
        .map(
            doc -> {
              int count = doc.getInteger(COUNT, 0);
              if (count >= cap) {
                return new State(count, true, true, null);
              }
              Date last = doc.getDate(LAST_RESERVED_AT);
              Optional<Instant> ends =
                  lockAfter(count)
                      .map(lock -> (last == null ? now : last.toInstant()).plus(lock))
                      .filter(end -> end.isAfter(now));
              return new State(count, ends.isPresent(), false, ends.orElse(null));
            })
        .defaultIfEmpty(new State(0, false, false, null));
  }
}
