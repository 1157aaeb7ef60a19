package dev.signet.challenge.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import dev.signet.testsupport.InMemoryMongo;
import dev.signet.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The limit counters against the MongoDB-wire server with the real driver: atomic under parallel
 * hits, window by window, and the consecutive-failure cap with its lockout.
 */
class LimitsIT {

  static final Instant START = Instant.parse("2026-11-25T18:00:00Z");
  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
  private static ReactiveMongoTemplate mongo;

  @BeforeAll
  static void connect() {
    mongo = new ReactiveMongoTemplate(MONGO.client(), "limits-it");
  }

  @Test
  void parallelHitsNeverLetMoreThanTheLimitThrough() {
    RateLimiter limiter = new RateLimiter(mongo, new MutableClock(START));
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-sends", 6, Duration.ofMinutes(10), "limited");

    List<Boolean> allowed =
        Flux.range(0, 40)
            .flatMap(
                i -> limiter.hit(limit, "+447700900001").map(refused -> false).defaultIfEmpty(true),
                40)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(allowed).hasSize(40);
    assertThat(allowed.stream().filter(Boolean::booleanValue)).hasSize(6);
  }

  @Test
  void aRefusedHitSaysWhenTheWindowEndsAndTheNextWindowOpens() {
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = new RateLimiter(mongo, clock);
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-window", 2, Duration.ofMinutes(5), "limited");
    assertThat(limiter.hit(limit, "a").blockOptional()).isEmpty();
    assertThat(limiter.hit(limit, "a").blockOptional()).isEmpty();

    assertThat(limiter.hit(limit, "a").blockOptional())
        .hasValueSatisfying(refused -> assertThat(refused.retryAfterSeconds()).isBetween(1L, 300L));
    // Another subject has its own counter.
    assertThat(limiter.hit(limit, "b").blockOptional()).isEmpty();

    clock.advance(Duration.ofMinutes(5));
    assertThat(limiter.hit(limit, "a").blockOptional()).isEmpty();
  }

  @Test
  void parallelTakesGetExactlyTheLimitAndRefusalsCountNothing() {
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = new RateLimiter(mongo, clock);
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-take", 10, Duration.ofMinutes(5), "limited");

    List<Boolean> taken =
        Flux.range(0, 40)
            .flatMap(
                i ->
                    limiter.take(limit, "+447700900003").map(refused -> false).defaultIfEmpty(true),
                40)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(taken.stream().filter(Boolean::booleanValue)).hasSize(10);
    assertThat(
            mongo
                .findAll(org.bson.Document.class, RateLimiter.COLLECTION)
                .filter(d -> d.getString("_id").startsWith("it-take:+447700900003:"))
                .map(d -> d.getInteger("count"))
                .blockFirst())
        .isEqualTo(10);
    clock.advance(Duration.ofMinutes(5));
    assertThat(limiter.take(limit, "+447700900003").blockOptional()).isEmpty();
  }

  /**
   * A take that read the clock just before its window ended meets the purge that runs just after:
   * the purge may delete the window's counter between the take's steps. A first take of a window
   * must still be admitted, or a user is refused on their first verification of the window.
   */
  @Test
  void takesAtTheEndOfTheirWindowAreAdmittedWhilePurgesRun() throws InterruptedException {
    Instant windowEnd = START.plus(Duration.ofMinutes(5));
    MutableClock clock = new MutableClock(windowEnd.minusMillis(1));
    RateLimiter limiter = new RateLimiter(mongo, clock);
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-edge", 10, Duration.ofMinutes(5), "limited");
    // Each take reads the clock when it is made: all of them belong to the window that ends now.
    List<Mono<Boolean>> takes =
        IntStream.range(0, 400)
            .mapToObj(
                i ->
                    limiter
                        .take(limit, "+44770090" + (1000 + i))
                        .map(refused -> false)
                        .defaultIfEmpty(true))
            .toList();
    clock.set(windowEnd.plusSeconds(1));

    AtomicBoolean done = new AtomicBoolean();
    Thread purger =
        new Thread(
            () -> {
              while (!done.get()) {
                limiter.purgeExpired().block();
              }
            });
    purger.start();
    List<Boolean> taken;
    try {
      taken = Flux.fromIterable(takes).flatMap(take -> take, 16).collectList().block();
    } finally {
      done.set(true);
      purger.join();
    }

    assertThat(taken).hasSize(400).containsOnly(true);
  }

  @Test
  void expiredCountersArePurged() {
    MutableClock clock = new MutableClock(START);
    RateLimiter limiter = new RateLimiter(mongo, clock);
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-purge", 5, Duration.ofMinutes(1), "limited");
    limiter.hit(limit, "p").block();

    clock.advance(Duration.ofMinutes(2));

    assertThat(limiter.purgeExpired().block()).isGreaterThanOrEqualTo(1L);
  }

  private static ConsecutiveFailures failures(MutableClock clock, int cap, int every) {
    ChallengeProperties properties =
        new ChallengeProperties(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new ChallengeProperties.Limits(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                cap,
                every,
                Duration.ofMinutes(5),
                0,
                null),
            null,
            null,
            null,
            null);
    return new ConsecutiveFailures(mongo, clock, properties);
  }

  private static ConsecutiveFailures.Subject freshPhone() {
    return ConsecutiveFailures.Subject.phone(
        "+4477009" + String.format("%05d", (int) (Math.random() * 100_000)) + System.nanoTime());
  }

  /** Reserves until refused; returns how many went through. */
  private static int reserveUntilRefused(
      ConsecutiveFailures failures, ConsecutiveFailures.Subject subject) {
    int reserved = 0;
    while (true) {
      try {
        failures.reserve(subject).block();
        reserved++;
      } catch (Refused e) {
        return reserved;
      }
    }
  }

  private static long retryAfter(Refused refused) {
    return ((Refusal.TooManyRequests) refused.refusal()).retryAfterSeconds();
  }

  @Test
  void everyTenFailuresInARowLockForADoublingTime() {
    MutableClock clock = new MutableClock(START);
    ConsecutiveFailures failures = failures(clock, 100, 10);
    ConsecutiveFailures.Subject phone = freshPhone();

    assertThat(reserveUntilRefused(failures, phone)).isEqualTo(10);
    assertThatThrownBy(() -> failures.reserve(phone).block())
        .isInstanceOfSatisfying(Refused.class, e -> assertThat(retryAfter(e)).isEqualTo(300));
    clock.advance(Duration.ofMinutes(5));
    assertThat(reserveUntilRefused(failures, phone)).isEqualTo(10);
    assertThatThrownBy(() -> failures.reserve(phone).block())
        .isInstanceOfSatisfying(Refused.class, e -> assertThat(retryAfter(e)).isEqualTo(600));
    clock.advance(Duration.ofMinutes(9));
    assertThatThrownBy(() -> failures.reserve(phone).block()).isInstanceOf(Refused.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(failures.reserve(phone).block()).isEqualTo(21);
    assertThat(failures.state(phone).block().count()).isEqualTo(21);
  }

  @Test
  void noAccountEverGetsMoreThanTheCapHoweverLongItWaits() {
    MutableClock clock = new MutableClock(START);
    ConsecutiveFailures failures = failures(clock, 100, 10);
    ConsecutiveFailures.Subject user = ConsecutiveFailures.Subject.user("u-" + System.nanoTime());

    int total = 0;
    for (int day = 0; day < 365; day++) {
      total += reserveUntilRefused(failures, user);
      clock.advance(Duration.ofDays(1));
    }

    assertThat(total).isEqualTo(100);
    assertThat(failures.state(user).block().permanent()).isTrue();
    assertThatThrownBy(() -> failures.reserve(user).block())
        .isInstanceOfSatisfying(
            Refused.class, e -> assertThat(e.getMessage()).contains("operator"));
    // Only a reset (a success, or an operator) opens it again.
    failures.reset(user).block();
    assertThat(failures.reserve(user).block()).isEqualTo(1);
  }

  @Test
  void parallelReservationsStopExactlyAtALockStep() {
    MutableClock clock = new MutableClock(START);
    ConsecutiveFailures failures = failures(clock, 100, 10);
    ConsecutiveFailures.Subject phone = freshPhone();

    List<Boolean> reserved =
        Flux.range(0, 50)
            .flatMap(
                i ->
                    failures
                        .reserve(phone)
                        .thenReturn(true)
                        .onErrorResume(Refused.class, e -> Mono.just(false)),
                50)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(reserved.stream().filter(Boolean::booleanValue)).hasSize(10);
    assertThat(failures.state(phone).block().count()).isEqualTo(10);
  }

  @Test
  void aRefusedSubjectGivesTheEarlierReservationsBackAndAReleaseNeverGoesBelowZero() {
    MutableClock clock = new MutableClock(START);
    ConsecutiveFailures failures = failures(clock, 100, 10);
    ConsecutiveFailures.Subject phone = freshPhone();
    ConsecutiveFailures.Subject user = ConsecutiveFailures.Subject.user("u-" + System.nanoTime());
    assertThat(reserveUntilRefused(failures, user)).isEqualTo(10);

    assertThatThrownBy(() -> failures.reserveAll(List.of(phone, user)).block())
        .isInstanceOf(Refused.class);

    assertThat(failures.state(phone).block().count()).isZero();
    failures.release(phone).block();
    assertThat(failures.state(phone).block().count()).isZero();
    assertThat(failures.reserveAll(List.of(phone)).block()).containsExactly(1);
  }
}
