package dev.signet.challenge.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.signet.challenge.config.ChallengeProperties;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The limit counters against the MongoDB-wire server with the real driver: atomic under parallel
 * hits, window by window, and the consecutive-failure cap with its lockout.
 */
class LimitsIT {

  private static MongoServer server;
  private static MongoClient client;
  private static ReactiveMongoTemplate mongo;

  @BeforeAll
  static void start() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
    mongo = new ReactiveMongoTemplate(client, "limits-it");
  }

  @AfterAll
  static void stop() {
    client.close();
    server.shutdownNow();
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.parse("2026-11-25T18:00:00Z"));

    void advance(Duration duration) {
      now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void parallelHitsNeverLetMoreThanTheLimitThrough() {
    RateLimiter limiter = new RateLimiter(mongo, new MovableClock());
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-sends", 6, Duration.ofMinutes(10), "limited");

    List<Boolean> allowed =
        Flux.range(0, 40)
            .flatMap(
                i ->
                    limiter
                        .hit(limit, "+447700900001")
                        .thenReturn(true)
                        .onErrorResume(
                            RateLimiter.TooManyRequestsException.class, e -> Mono.just(false)),
                40)
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(allowed).hasSize(40);
    assertThat(allowed.stream().filter(Boolean::booleanValue)).hasSize(6);
  }

  @Test
  void aRefusedHitSaysWhenTheWindowEndsAndTheNextWindowOpens() {
    MovableClock clock = new MovableClock();
    RateLimiter limiter = new RateLimiter(mongo, clock);
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-window", 2, Duration.ofMinutes(5), "limited");
    limiter.hit(limit, "a").block();
    limiter.hit(limit, "a").block();

    assertThatThrownBy(() -> limiter.hit(limit, "a").block())
        .isInstanceOfSatisfying(
            RateLimiter.TooManyRequestsException.class,
            e -> assertThat(e.retryAfterSeconds()).isBetween(1L, 300L));
    // Another subject has its own counter.
    limiter.hit(limit, "b").block();

    clock.advance(Duration.ofMinutes(5));
    limiter.hit(limit, "a").block();
  }

  @Test
  void expiredCountersArePurged() {
    MovableClock clock = new MovableClock();
    RateLimiter limiter = new RateLimiter(mongo, clock);
    RateLimiter.Limit limit =
        new RateLimiter.Limit("it-purge", 5, Duration.ofMinutes(1), "limited");
    limiter.hit(limit, "p").block();

    clock.advance(Duration.ofMinutes(2));

    assertThat(limiter.purgeExpired().block()).isGreaterThanOrEqualTo(1L);
  }

  @Test
  void consecutiveFailuresLockAtTheCapUntilTheLockoutEndsAndASuccessResets() {
    MovableClock clock = new MovableClock();
    ChallengeProperties properties =
        new ChallengeProperties(
            null,
            null,
            null,
            0,
            null,
            null,
            null,
            null,
            new ChallengeProperties.Limits(
                0, null, 0, 0, null, 0, null, 3, Duration.ofHours(1), 0, null),
            null);
    ConsecutiveFailures failures = new ConsecutiveFailures(mongo, clock, properties);
    String phone = "+447700900002";

    for (int i = 1; i <= 3; i++) {
      failures.check(phone).block();
      assertThat(failures.recordFailure(phone).block()).isEqualTo(i);
    }
    assertThatThrownBy(() -> failures.check(phone).block())
        .isInstanceOf(RateLimiter.TooManyRequestsException.class);

    clock.advance(Duration.ofMinutes(61));
    failures.check(phone).block();
    assertThat(failures.recordFailure(phone).block()).isEqualTo(1);

    failures.reset(phone).block();
    assertThat(failures.recordFailure(phone).block()).isEqualTo(1);
  }
}
