package dev.signet.sms.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testsupport.InMemoryMongo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;

/** The guard's counters against the MongoDB-wire server, through the real driver. */
class SendGuardIT {

  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  private static SendGuard guard(GuardProperties properties) {
    return guard(new SendPolicies(properties));
  }

  private static SendGuard guard(SendPolicies policies) {
    // A database per test: counters never leak between tests.
    return new SendGuard(
        new ReactiveMongoTemplate(MONGO.client(), "guard-" + UUID.randomUUID()), policies, CLOCK);
  }

  private static SendPolicies published(SendPolicy policy) {
    SendPolicies policies =
        new SendPolicies(new GuardProperties(List.of(), false, null, null, null, 0L));
    policies.apply(policy);
    return policies;
  }

  private static SendPolicy.Velocity velocity(long max) {
    return new SendPolicy.Velocity(max, Duration.ofMinutes(10));
  }

  private static GuardProperties.Limit limit(long max) {
    return new GuardProperties.Limit(max, Duration.ofMinutes(10));
  }

  @Test
  void onlyAllowlistedRegionsPass() {
    SendGuard guard = guard(new GuardProperties(List.of("gb", "DE"), false, null, null, null, 0L));

    assertThat(guard.check("+447700900001", "GB").block()).isInstanceOf(SendGuard.Allowed.class);
    assertThat(guard.check("+4915112345678", "de").block()).isInstanceOf(SendGuard.Allowed.class);
    assertThat(guard.check("+8801712345678", "BD").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            blocked -> {
              assertThat(blocked.reason()).isEqualTo(SendGuard.Reason.COUNTRY_NOT_ALLOWED);
              assertThat(blocked.detail()).contains("BD").doesNotContain("1712345678");
            });
    assertThat(guard.check("+999", "").block()).isInstanceOf(SendGuard.Blocked.class);
  }

  @Test
  void theSendOverThePerNumberLimitIsBlockedWithTheCounts() {
    SendGuard guard =
        guard(new GuardProperties(List.of(), false, limit(3), limit(100), limit(100), 0L));

    for (int i = 0; i < 3; i++) {
      assertThat(guard.check("+447700900001", "GB").block()).isInstanceOf(SendGuard.Allowed.class);
    }
    SendGuard.Verdict fourth = guard.check("+447700900001", "GB").block();
    SendGuard.Verdict otherNumber = guard.check("+447700900002", "GB").block();

    assertThat(fourth)
        .isEqualTo(
            new SendGuard.Blocked(
                SendGuard.Reason.NUMBER_VELOCITY,
                3L,
                4L,
                600,
                "number_velocity: 4 sends in 600 s, limit 3",
                false,
                null));
    assertThat(otherNumber).isInstanceOf(SendGuard.Allowed.class);
  }

  @Test
  void manyNumbersBehindOnePrefixTripThePrefixLimitButNotOtherPrefixes() {
    SendGuard guard =
        guard(new GuardProperties(List.of(), false, limit(5), limit(4), limit(100), 0L));

    for (int i = 0; i < 4; i++) {
      assertThat(guard.check("+44770090000" + i, "GB").block())
          .isInstanceOf(SendGuard.Allowed.class);
    }
    SendGuard.Verdict fifth = guard.check("+447700900009", "GB").block();

    assertThat(fifth)
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> assertThat(b.reason()).isEqualTo(SendGuard.Reason.PREFIX_VELOCITY));
    assertThat(guard.check("+447700911111", "GB").block()).isInstanceOf(SendGuard.Allowed.class);
  }

  @Test
  void countryVelocityAndTheDailyBudgetHoldAcrossNumbers() {
    SendGuard perCountry =
        guard(new GuardProperties(List.of(), false, limit(5), limit(5), limit(2), 0L));
    perCountry.check("+447700900001", "GB").block();
    perCountry.check("+447700911112", "GB").block();
    assertThat(perCountry.check("+447700922223", "GB").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> assertThat(b.reason()).isEqualTo(SendGuard.Reason.COUNTRY_VELOCITY));
    assertThat(perCountry.check("+4915112345678", "DE").block())
        .isInstanceOf(SendGuard.Allowed.class);

    SendGuard budget =
        guard(new GuardProperties(List.of(), false, limit(5), limit(5), limit(5), 2L));
    budget.check("+447700900001", "GB").block();
    budget.check("+4915112345678", "DE").block();
    assertThat(budget.check("+33612345678", "FR").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.DAILY_BUDGET_EXCEEDED);
              assertThat(b.windowSeconds()).isEqualTo(86_400);
            });
  }

  @Test
  void everyCounterCountsASendThatAnotherCounterBlocks() {
    SendGuard guard =
        guard(new GuardProperties(List.of(), false, limit(1), limit(100), limit(100), 0L));
    guard.check("+447700900001", "GB").block();

    assertThat(guard.check("+447700900001", "GB").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> assertThat(b.reason()).isEqualTo(SendGuard.Reason.NUMBER_VELOCITY));
    // The blocked send counted against the prefix too: two of its three sends are in.
    SendGuard prefixOfTwo =
        guard(new GuardProperties(List.of(), false, limit(1), limit(2), limit(100), 0L));
    prefixOfTwo.check("+447700955551", "GB").block();
    prefixOfTwo.check("+447700955551", "GB").block();
    assertThat(prefixOfTwo.check("+447700955552", "GB").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.PREFIX_VELOCITY);
              assertThat(b.observed()).isEqualTo(3L);
            });
  }

  @Test
  void aCounterAtItsLimitStaysThereAndCountsTheSendsItRefuses() {
    ReactiveMongoTemplate mongo =
        new ReactiveMongoTemplate(MONGO.client(), "guard-" + UUID.randomUUID());
    SendGuard guard =
        new SendGuard(
            mongo,
            new SendPolicies(
                new GuardProperties(List.of(), false, limit(2), limit(1000), limit(1000), 0L)),
            CLOCK);

    List<SendGuard.Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      verdicts.add(guard.check("+447700900123", "GB").block());
    }

    assertThat(verdicts.subList(0, 2)).allMatch(SendGuard.Allowed.class::isInstance);
    assertThat(verdicts.subList(2, 5))
        .extracting(v -> ((SendGuard.Blocked) v).observed())
        .containsExactly(3L, 4L, 5L);
    Document number =
        mongo
            .findOne(
                Query.query(Criteria.where("_id").regex("^number:")),
                Document.class,
                SendGuard.COLLECTION)
            .block();
    assertThat(number).containsEntry("count", 2L).containsEntry("refused", 3L);
    // The prefix counter let all five through: it counts the sends the number counter refused.
    Document prefix =
        mongo
            .findOne(
                Query.query(Criteria.where("_id").regex("^prefix:")),
                Document.class,
                SendGuard.COLLECTION)
            .block();
    assertThat(prefix).containsEntry("count", 5L).doesNotContainKey("refused");
  }

  @Test
  void concurrentSendsToOneNumberPassTheLimitExactlyOnceEach() {
    SendGuard guard =
        guard(new GuardProperties(List.of(), false, limit(5), limit(1000), limit(1000), 0L));

    List<SendGuard.Verdict> verdicts =
        Flux.range(0, 40)
            .flatMap(i -> guard.check("+447700977777", "GB"), 40)
            .collectList()
            .block();

    assertThat(verdicts).hasSize(40);
    assertThat(verdicts.stream().filter(SendGuard.Allowed.class::isInstance)).hasSize(5);
    assertThat(verdicts.stream().filter(SendGuard.Blocked.class::isInstance))
        .hasSize(35)
        .allSatisfy(
            v ->
                assertThat(((SendGuard.Blocked) v).reason())
                    .isEqualTo(SendGuard.Reason.NUMBER_VELOCITY));
  }

  @Test
  void countersHoldNoPhoneNumberInClear() {
    String database = "guard-" + UUID.randomUUID();
    ReactiveMongoTemplate mongo = new ReactiveMongoTemplate(MONGO.client(), database);
    SendGuard guard =
        new SendGuard(
            mongo,
            new SendPolicies(
                new GuardProperties(List.of(), false, limit(5), limit(5), limit(5), 10L)),
            CLOCK);

    guard.check("+447700900123", "GB").block();

    List<Document> counters =
        mongo.findAll(Document.class, SendGuard.COLLECTION).collectList().block();
    assertThat(counters).hasSize(4);
    assertThat(counters.toString()).doesNotContain("447700900123");
  }

  @Test
  void aPublishedPolicyReplacesTheConfiguredOneAndCarriesItsVersion() {
    SendPolicies policies =
        new SendPolicies(new GuardProperties(List.of("GB"), false, limit(1), null, null, 0L));
    SendGuard guard = guard(policies);
    assertThat(guard.check("+4915112345678", "DE").block()).isInstanceOf(SendGuard.Blocked.class);

    policies.apply(
        new SendPolicy(7L, List.of("de"), false, velocity(2), null, null, 0, null, null));

    assertThat(guard.check("+4915112345678", "DE").block()).isInstanceOf(SendGuard.Allowed.class);
    assertThat(guard.check("+4915112345678", "DE").block()).isInstanceOf(SendGuard.Allowed.class);
    assertThat(guard.check("+4915112345678", "DE").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.NUMBER_VELOCITY);
              assertThat(b.limit()).isEqualTo(2L);
              assertThat(b.policyVersion()).isEqualTo(7L);
            });
    assertThat(guard.check("+447700900001", "GB").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.COUNTRY_NOT_ALLOWED);
              assertThat(b.policyVersion()).isEqualTo(7L);
            });
  }

  @Test
  void anOlderVersionNeverReplacesANewerOneAndADeletedPolicyRestoresTheConfiguredOne() {
    SendPolicies policies =
        new SendPolicies(new GuardProperties(List.of(), false, null, null, null, 0L));
    assertThat(
            policies.apply(
                new SendPolicy(5L, List.of("GB"), false, null, null, null, 0, null, null)))
        .isTrue();
    assertThat(
            policies.apply(
                new SendPolicy(4L, List.of("FR"), false, null, null, null, 0, null, null)))
        .isFalse();
    assertThat(policies.current().version()).isEqualTo(5L);
    assertThat(policies.current().allowedRegions()).containsExactly("GB");

    policies.revertToConfigured();

    assertThat(policies.current().version()).isNull();
    assertThat(policies.current().allowedRegions()).isNull();
  }

  @Test
  void aPublishedPolicyWithAnEmptyAllowlistAllowsNoRegion() {
    SendGuard guard =
        guard(published(new SendPolicy(1L, List.of(), false, null, null, null, 0, null, null)));

    assertThat(guard.check("+447700900001", "GB").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> assertThat(b.reason()).isEqualTo(SendGuard.Reason.COUNTRY_NOT_ALLOWED));
  }

  @Test
  void blockedPrefixesAndCountriesHoldUntilTheirBlockLifts() {
    Instant later = CLOCK.instant().plus(Duration.ofHours(1));
    Instant earlier = CLOCK.instant().minus(Duration.ofMinutes(1));
    SendGuard guard =
        guard(
            published(
                new SendPolicy(
                    3L,
                    List.of("GB", "FR", "DE"),
                    false,
                    null,
                    null,
                    null,
                    0,
                    List.of(
                        new SendPolicy.BlockedDestination("+44770090", "prefix_velocity", later),
                        new SendPolicy.BlockedDestination("+44770091", "prefix_velocity", earlier)),
                    List.of(
                        new SendPolicy.BlockedDestination("FR", "conversion_low", null),
                        new SendPolicy.BlockedDestination("DE", "operator", earlier)))));

    assertThat(guard.check("+447700900001", "GB").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.PREFIX_BLOCKED);
              assertThat(b.detail()).contains("+44770090").contains(later.toString());
              assertThat(b.policyVersion()).isEqualTo(3L);
            });
    assertThat(guard.check("+447700910001", "GB").block()).isInstanceOf(SendGuard.Allowed.class);
    assertThat(guard.check("+33612345678", "FR").block())
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.COUNTRY_CONVERSION_LOW);
              assertThat(b.detail()).contains("until lifted");
            });
    assertThat(guard.check("+4915112345678", "DE").block()).isInstanceOf(SendGuard.Allowed.class);
  }

  @Test
  void perPrefixPerCountryVelocityAndTheDailyBudgetComeFromThePolicy() {
    SendGuard guard =
        guard(
            published(
                new SendPolicy(
                    9L,
                    List.of("GB", "DE", "FR"),
                    true,
                    velocity(10),
                    velocity(2),
                    velocity(2),
                    2,
                    null,
                    null)));

    guard.check("+447700900001", "GB").block();
    guard.check("+447700900002", "GB").block();
    SendGuard.Verdict prefix = guard.check("+447700900003", "GB").block();
    SendGuard.Verdict country = guard.check("+447700911111", "GB").block();
    SendGuard.Verdict budget = guard.check("+4915112345678", "DE").block();

    assertThat(prefix)
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.PREFIX_VELOCITY);
              assertThat(b.shadow()).isTrue();
            });
    assertThat(country)
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> assertThat(b.reason()).isEqualTo(SendGuard.Reason.COUNTRY_VELOCITY));
    assertThat(budget)
        .isInstanceOfSatisfying(
            SendGuard.Blocked.class,
            b -> {
              assertThat(b.reason()).isEqualTo(SendGuard.Reason.DAILY_BUDGET_EXCEEDED);
              // Every checked send counts against the budget, the blocked ones too.
              assertThat(b.observed()).isEqualTo(5L);
            });
  }
}
