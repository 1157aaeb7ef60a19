package dev.signet.challenge.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.config.NewNumberProperties;
import dev.signet.testsupport.InMemoryMongo;
import dev.signet.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The distinct-number caps against the MongoDB-wire server with the real driver: exact under
 * parallel requests, a number already counted passes again, a new window starts empty.
 */
class NewNumbersIT {

  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
  private static ReactiveMongoTemplate mongo;

  @BeforeAll
  static void connect() {
    mongo = new ReactiveMongoTemplate(MONGO.client(), "new-numbers-it");
  }

  private static NewNumbers caps(MutableClock clock) {
    return new NewNumbers(mongo, new NewNumberProperties(null, null, null), clock);
  }

  @Test
  void parallelRequestsForTwentyNumbersAdmitExactlyTheCap() {
    NewNumbers caps = caps(new MutableClock(LimitsIT.START));
    String action = UUID.randomUUID().toString();

    List<Optional<NewNumbers.Refused>> answers =
        Flux.range(0, 20)
            .parallel(20)
            .runOn(Schedulers.boundedElastic())
            .flatMap(
                i ->
                    caps.admit(NewNumbers.Scope.ACTION, action, "+4477009" + (10000 + i))
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty()))
            .sequential()
            .collectList()
            .block();

    assertThat(answers).filteredOn(Optional::isEmpty).hasSize(NewNumberProperties.PER_ACTION);
    assertThat(answers)
        .filteredOn(Optional::isPresent)
        .hasSize(20 - NewNumberProperties.PER_ACTION);
    NewNumbers.Refused refused = answers.stream().flatMap(Optional::stream).findFirst().get();
    assertThat(refused.scope()).isEqualTo(NewNumbers.Scope.ACTION);
    assertThat(refused.max()).isEqualTo(3);
    assertThat(refused.window()).isEqualTo(Duration.ofHours(1));
    assertThat(refused.retryAfterSeconds()).isBetween(1L, 3600L);
  }

  @Test
  void aCountedNumberPassesAgainAndTheSameNumberInParallelCountsOnce() {
    NewNumbers caps = caps(new MutableClock(LimitsIT.START));
    String user = "user-" + UUID.randomUUID();

    List<Boolean> admitted =
        Flux.range(0, 10)
            .parallel(10)
            .runOn(Schedulers.boundedElastic())
            .flatMap(
                i ->
                    caps.admit(NewNumbers.Scope.USER, user, "+447700900001")
                        .map(r -> false)
                        .defaultIfEmpty(true))
            .sequential()
            .collectList()
            .block();
    assertThat(admitted).containsOnly(true);

    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900002").blockOptional()).isEmpty();
    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900003").blockOptional()).isEmpty();
    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900004").blockOptional())
        .isPresent();
    // Counted numbers pass again at the cap; the refused one was not counted.
    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900001").blockOptional()).isEmpty();
    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900004").blockOptional())
        .isPresent();
    // Another subject, or the other scope of the same id, has a cap of its own.
    assertThat(caps.admit(NewNumbers.Scope.ACTION, user, "+447700900004").blockOptional())
        .isEmpty();
    assertThat(caps.admit(NewNumbers.Scope.USER, user + "x", "+447700900004").blockOptional())
        .isEmpty();
  }

  @Test
  void theNextWindowStartsEmptyAndSpentWindowsArePurged() {
    MutableClock clock = new MutableClock(LimitsIT.START);
    NewNumbers caps = caps(clock);
    String user = "user-" + UUID.randomUUID();
    IntStream.range(0, 3)
        .forEach(i -> caps.admit(NewNumbers.Scope.USER, user, "+44770090010" + i).block());
    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900109").blockOptional())
        .isPresent();

    clock.advance(Duration.ofMinutes(61));
    assertThat(caps.admit(NewNumbers.Scope.USER, user, "+447700900109").blockOptional()).isEmpty();
    assertThat(caps.purgeExpired().block()).isPositive();
  }

  @Test
  void aCapOfZeroIsOff() {
    NewNumbers caps =
        new NewNumbers(
            mongo, new NewNumberProperties(0, 0, null), new MutableClock(LimitsIT.START));
    for (int i = 0; i < 10; i++) {
      assertThat(caps.admit(NewNumbers.Scope.USER, "u", "+44770090020" + i).blockOptional())
          .isEmpty();
    }
  }
}
