package dev.signet.rules.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.ConditionCodec;
import dev.signet.rules.evaluation.Outcome;
import dev.signet.rules.evaluation.Rule;
import dev.signet.testsupport.InMemoryMongo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * The MongoDB adapters against the MongoDB-wire server, without a Spring context: the risk signals
 * the evaluator reads (first sighting of a device, counts that exclude the current event, windows,
 * idempotent recording) and the round trip of rules and defaults.
 */
class SignalStoreIT {

  static final Instant NOW = Instant.parse("2026-11-25T18:30:00Z");
  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
  static SignalStore signals;
  static RuleStore rules;
  static RuleReader reader;

  @BeforeAll
  static void connect() {
    ReactiveMongoTemplate mongo = new ReactiveMongoTemplate(MONGO.client(), "signal-store-it");
    MongoTemplate blocking = new MongoTemplate(MONGO.blockingClient(), "signal-store-it");
    signals = new SignalStore(blocking);
    rules = new RuleStore(mongo, Clock.fixed(NOW, ZoneOffset.UTC));
    reader = new RuleReader(blocking);
  }

  static String user() {
    return "usr-" + UUID.randomUUID();
  }

  @Test
  void aDeviceIsSeenBeforeOnlyForLaterEventsOfTheSameUser() {
    String user = user();
    assertThat(signals.deviceSeenBefore(user, "dev-1", "e1")).isFalse();

    signals.recordAction("e1", user, "signIn", "dev-1", NOW);
    signals.recordAction("e1", user, "signIn", "dev-1", NOW); // redelivery

    // The event that introduced the device did not see it before; any later one does.
    assertThat(signals.deviceSeenBefore(user, "dev-1", "e1")).isFalse();
    assertThat(signals.deviceSeenBefore(user, "dev-1", "e2")).isTrue();
    assertThat(signals.deviceSeenBefore(user(), "dev-1", "e2")).isFalse();
    assertThat(signals.deviceSeenBefore(user, "dev-2", "e2")).isFalse();
  }

  @Test
  void actionCountsUseTheWindowTheCodeAndExcludeTheCurrentEvent() {
    String user = user();
    signals.recordAction("a1", user, "transfer", null, NOW.minus(Duration.ofMinutes(10)));
    signals.recordAction("a1", user, "transfer", null, NOW.minus(Duration.ofMinutes(10)));
    signals.recordAction("a2", user, "transfer", null, NOW.minus(Duration.ofHours(2)));
    signals.recordAction("a3", user, "signIn", null, NOW.minus(Duration.ofMinutes(1)));
    signals.recordAction("a4", user, "transfer", null, NOW);

    Instant hourAgo = NOW.minus(Duration.ofHours(1));
    assertThat(signals.actionsSince(user, "transfer", hourAgo, "other")).isEqualTo(2);
    assertThat(signals.actionsSince(user, "transfer", hourAgo, "a4")).isEqualTo(1);
    assertThat(signals.actionsSince(user, "transfer", NOW.minus(Duration.ofDays(1)), "a4"))
        .isEqualTo(2);
    assertThat(signals.actionsSince(user, "signIn", hourAgo, "x")).isEqualTo(1);
  }

  @Test
  void failedVerificationsAreCountedOncePerEventAndVerifiedOnesAreNot() {
    String user = user();
    signals.recordChallenge("f1", user, SignalStore.ChallengeOutcome.FAILED, NOW.minusSeconds(60));
    signals.recordChallenge("f1", user, SignalStore.ChallengeOutcome.FAILED, NOW.minusSeconds(60));
    signals.recordChallenge(
        "f2", user, SignalStore.ChallengeOutcome.FAILED, NOW.minusSeconds(7200));
    signals.recordChallenge(
        "v1", user, SignalStore.ChallengeOutcome.VERIFIED, NOW.minusSeconds(30));

    assertThat(signals.failedVerificationsSince(user, NOW.minus(Duration.ofHours(1)))).isEqualTo(1);
    assertThat(signals.failedVerificationsSince(user, NOW.minus(Duration.ofHours(3)))).isEqualTo(2);
  }

  @Test
  void rulesAndDefaultsRoundTripInPriorityOrder() {
    String action = "rt" + UUID.randomUUID().toString().substring(0, 8);
    Rule late = rule("rul_b", action, 20);
    Rule early = rule("rul_a", action, 10);
    rules.insert(late).block();
    rules.insert(early).block();

    assertThat(rules.rules(action).block()).containsExactly(early, late);
    assertThat(reader.rules(action)).containsExactly(early, late);
    assertThat(rules.defaults(action).block()).isEqualTo(ActionDefaults.builtIn(action));
    assertThat(reader.defaults(action)).isEqualTo(ActionDefaults.builtIn(action));

    rules.saveDefaults(new ActionDefaults(action, Outcome.REVIEW, Outcome.BLOCK)).block();
    assertThat(rules.defaults(action).block())
        .isEqualTo(new ActionDefaults(action, Outcome.REVIEW, Outcome.BLOCK));
    assertThat(reader.defaults(action))
        .isEqualTo(new ActionDefaults(action, Outcome.REVIEW, Outcome.BLOCK));
    assertThat(rules.actionCodes().collectList().block()).contains(action);
    assertThat(rules.delete(action, "rul_a").block()).isTrue();
    assertThat(rules.delete(action, "rul_a").block()).isFalse();
    assertThat(rules.rules(action).block()).containsExactly(late);
    assertThat(reader.rules(action)).containsExactly(late);
  }

  private static Rule rule(String id, String action, int priority) {
    return new Rule(
        id,
        action,
        "n" + id,
        "d",
        priority,
        true,
        Outcome.CHALLENGE,
        ConditionCodec.read(
            Map.of(
                "type",
                "all",
                "conditions",
                List.of(
                    Map.of("type", "custom", "key", "amount", "operator", "gt", "value", 10.5),
                    Map.of("type", "velocity", "window", "PT1H", "operator", "gte", "value", 3)))));
  }
}
