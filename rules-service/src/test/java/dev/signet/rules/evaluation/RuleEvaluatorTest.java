package dev.signet.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleEvaluatorTest {

  static final Instant NOW = Instant.parse("2026-11-25T18:30:00Z");
  final RuleEvaluator evaluator = new RuleEvaluator(Clock.fixed(NOW, ZoneOffset.UTC));
  final FakeSignals signals = new FakeSignals();

  static ActionAttributes action() {
    return action(b -> {});
  }

  interface Tweak {
    void apply(Map<String, Object> a);
  }

  static ActionAttributes action(Tweak tweak) {
    Map<String, Object> a = new HashMap<>();
    a.put("ip", "203.0.113.7");
    a.put("ua", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0");
    a.put("device", "dev-1");
    a.put("custom", Map.<String, Object>of("amount", 2500L, "currency", "EUR", "vip", true));
    a.put("enrolled", true);
    a.put("country", "DE");
    tweak.apply(a);
    @SuppressWarnings("unchecked")
    Map<String, Object> custom = (Map<String, Object>) a.get("custom");
    return new ActionAttributes(
        "evt-now",
        "usr_1",
        "transfer",
        (String) a.get("ip"),
        (String) a.get("ua"),
        (String) a.get("device"),
        custom,
        (Boolean) a.get("enrolled"),
        (String) a.get("country"));
  }

  static Rule rule(String id, int priority, Outcome outcome, Object condition) {
    return new Rule(
        id,
        "transfer",
        "Rule " + id,
        null,
        priority,
        true,
        outcome,
        ConditionCodec.read(condition));
  }

  static Map<String, Object> json(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  boolean matches(Object condition, ActionAttributes action) {
    Decision d =
        evaluator.decide(
            List.of(rule("r", 1, Outcome.BLOCK, condition)),
            ActionDefaults.builtIn("transfer"),
            action,
            signals);
    return d.outcome() == Outcome.BLOCK;
  }

  @Test
  void noRulesChallengesAnEnrolledUserAndAllowsAnUnenrolledOne() {
    Decision enrolled =
        evaluator.decide(List.of(), ActionDefaults.builtIn("transfer"), action(), signals);
    Decision unenrolled =
        evaluator.decide(
            List.of(),
            ActionDefaults.builtIn("transfer"),
            action(a -> a.put("enrolled", false)),
            signals);

    assertThat(enrolled.outcome()).isEqualTo(Outcome.CHALLENGE);
    assertThat(enrolled.defaultOutcome()).isTrue();
    assertThat(enrolled.ruleIds()).isEmpty();
    assertThat(unenrolled.outcome()).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void configuredDefaultsApplyWhenNoRuleMatches() {
    ActionDefaults defaults = new ActionDefaults("transfer", Outcome.REVIEW, Outcome.BLOCK);
    Rule never = rule("r", 1, Outcome.ALLOW, json("type", "enrolled", "value", false));

    assertThat(evaluator.decide(List.of(never), defaults, action(), signals).outcome())
        .isEqualTo(Outcome.REVIEW);
    assertThat(
            evaluator
                .decide(List.of(), defaults, action(a -> a.put("enrolled", false)), signals)
                .outcome())
        .isEqualTo(Outcome.BLOCK);
  }

  @Test
  void firstMatchingRuleByPriorityWinsAndIsNamed() {
    Object always = json("type", "enrolled", "value", true);
    List<Rule> rules =
        List.of(
            rule("rul_late", 30, Outcome.BLOCK, always),
            rule("rul_first", 10, Outcome.ALLOW, json("type", "enrolled", "value", false)),
            rule("rul_second", 20, Outcome.REVIEW, always));

    Decision d = evaluator.decide(rules, ActionDefaults.builtIn("transfer"), action(), signals);

    assertThat(d.outcome()).isEqualTo(Outcome.REVIEW);
    assertThat(d.ruleIds()).containsExactly("rul_second");
    assertThat(d.defaultOutcome()).isFalse();
    // The decision path stops at the winner: the later rule is not evaluated.
    assertThat(d.traces())
        .extracting(t -> t.rule().id())
        .containsExactly("rul_first", "rul_second");
  }

  @Test
  void equalPrioritiesAreOrderedByIdSoTheOrderIsStable() {
    Object always = json("type", "enrolled", "value", true);
    List<Rule> rules =
        List.of(rule("rul_b", 10, Outcome.BLOCK, always), rule("rul_a", 10, Outcome.ALLOW, always));

    assertThat(evaluator.decide(rules, ActionDefaults.builtIn("t"), action(), signals).ruleIds())
        .containsExactly("rul_a");
  }

  @Test
  void disabledRulesAreSkipped() {
    Rule disabled =
        new Rule(
            "rul_off",
            "transfer",
            "off",
            null,
            1,
            false,
            Outcome.BLOCK,
            ConditionCodec.read(json("type", "enrolled", "value", true)));

    Decision d =
        evaluator.explain(List.of(disabled), ActionDefaults.builtIn("t"), action(), signals);

    assertThat(d.outcome()).isEqualTo(Outcome.CHALLENGE);
    assertThat(d.traces().get(0).evaluated()).isFalse();
  }

  @Test
  void explainEvaluatesEveryRuleButTheFirstMatchStillWins() {
    Object always = json("type", "enrolled", "value", true);
    List<Rule> rules =
        List.of(rule("rul_1", 1, Outcome.ALLOW, always), rule("rul_2", 2, Outcome.BLOCK, always));

    Decision d = evaluator.explain(rules, ActionDefaults.builtIn("t"), action(), signals);

    assertThat(d.ruleIds()).containsExactly("rul_1");
    assertThat(d.traces()).allSatisfy(t -> assertThat(t.matched()).isTrue());
  }

  @Test
  void ipAddressMatchesSingleAddressesAndCidrRangesOfBothFamilies() {
    Object ranges =
        json("type", "ipAddress", "in", List.of("10.0.0.0/8", "203.0.113.7", "2001:db8::/32"));

    assertThat(matches(ranges, action())).isTrue();
    assertThat(matches(ranges, action(a -> a.put("ip", "10.200.3.4")))).isTrue();
    assertThat(matches(ranges, action(a -> a.put("ip", "2001:db8:1::5")))).isTrue();
    assertThat(matches(ranges, action(a -> a.put("ip", "11.0.0.1")))).isFalse();
    assertThat(matches(ranges, action(a -> a.put("ip", "2001:db9::1")))).isFalse();
    assertThat(matches(ranges, action(a -> a.put("ip", null)))).isFalse();
    assertThat(matches(ranges, action(a -> a.put("ip", "not-an-ip")))).isFalse();
  }

  @Test
  void userAgentOperatorsIgnoreCaseAndRegexFinds() {
    assertThat(
            matches(
                json("type", "userAgent", "operator", "contains", "value", "firefox"), action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "userAgent", "operator", "startsWith", "value", "curl/"), action()))
        .isFalse();
    assertThat(
            matches(
                json("type", "userAgent", "operator", "equals", "value", "curl/8.5.0"),
                action(a -> a.put("ua", "CURL/8.5.0"))))
        .isTrue();
    assertThat(
            matches(
                json("type", "userAgent", "operator", "matches", "value", "Firefox/1[0-9]{2}"),
                action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "userAgent", "operator", "contains", "value", "x"),
                action(a -> a.put("ua", null))))
        .isFalse();
  }

  @Test
  void newDeviceLooksAtTheUsersHistoryAndTreatsAMissingDeviceAsNew() {
    Object newDevice = json("type", "newDevice");

    assertThat(matches(newDevice, action())).isTrue();
    signals.device("usr_1", "dev-1");
    assertThat(matches(newDevice, action())).isFalse();
    assertThat(matches(newDevice, action(a -> a.put("device", "dev-2")))).isTrue();
    assertThat(matches(newDevice, action(a -> a.put("device", null)))).isTrue();
  }

  @Test
  void enrolledComparesTheUsersEnrolment() {
    assertThat(matches(json("type", "enrolled", "value", true), action())).isTrue();
    assertThat(
            matches(json("type", "enrolled", "value", true), action(a -> a.put("enrolled", false))))
        .isFalse();
  }

  @Test
  void customDataComparesNumbersStringsBooleansAndLists() {
    assertThat(
            matches(
                json("type", "custom", "key", "amount", "operator", "gt", "value", 1000), action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "custom", "key", "amount", "operator", "lte", "value", 2499.5),
                action()))
        .isFalse();
    assertThat(
            matches(
                json("type", "custom", "key", "amount", "operator", "eq", "value", 2500.0),
                action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "custom", "key", "currency", "operator", "eq", "value", "EUR"),
                action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "custom", "key", "currency", "operator", "ne", "value", "EUR"),
                action()))
        .isFalse();
    assertThat(
            matches(
                json("type", "custom", "key", "vip", "operator", "eq", "value", true), action()))
        .isTrue();
    assertThat(
            matches(
                json(
                    "type",
                    "custom",
                    "key",
                    "currency",
                    "operator",
                    "in",
                    "values",
                    List.of("USD", "EUR")),
                action()))
        .isTrue();
    assertThat(
            matches(
                json(
                    "type",
                    "custom",
                    "key",
                    "currency",
                    "operator",
                    "notIn",
                    "values",
                    List.of("USD", "EUR")),
                action()))
        .isFalse();
    assertThat(
            matches(
                json("type", "custom", "key", "currency", "operator", "startsWith", "value", "EU"),
                action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "custom", "key", "currency", "operator", "contains", "value", "X"),
                action()))
        .isFalse();
    // A string is never greater than a number, and a missing key never matches.
    assertThat(
            matches(
                json("type", "custom", "key", "currency", "operator", "gt", "value", 1), action()))
        .isFalse();
    assertThat(matches(json("type", "custom", "key", "missing", "operator", "exists"), action()))
        .isFalse();
    assertThat(matches(json("type", "custom", "key", "amount", "operator", "exists"), action()))
        .isTrue();
  }

  @Test
  void velocityCountsTheUsersActionsOfThisCodeInTheWindowIncludingThisOne() {
    signals
        .action("usr_1", "transfer", NOW.minus(Duration.ofMinutes(5)))
        .action("usr_1", "transfer", NOW.minus(Duration.ofMinutes(50)))
        .action("usr_1", "transfer", NOW.minus(Duration.ofHours(3)))
        .action("usr_1", "signIn", NOW.minus(Duration.ofMinutes(1)))
        .action("usr_2", "transfer", NOW.minus(Duration.ofMinutes(1)));
    Object threeInAnHour =
        json("type", "velocity", "window", "PT1H", "operator", "gte", "value", 3);
    Object fourInAnHour = json("type", "velocity", "window", "PT1H", "operator", "gte", "value", 4);

    assertThat(matches(threeInAnHour, action())).isTrue();
    assertThat(matches(fourInAnHour, action())).isFalse();
    Decision d =
        evaluator.decide(
            List.of(rule("r", 1, Outcome.BLOCK, threeInAnHour)),
            ActionDefaults.builtIn("t"),
            action(),
            signals);
    assertThat(d.signals()).containsEntry("actions.PT1H", "3");
  }

  @Test
  void failedVerificationsCountRecentFailuresOnly() {
    signals.failure(NOW.minus(Duration.ofMinutes(2))).failure(NOW.minus(Duration.ofMinutes(20)));
    signals.failure(NOW.minus(Duration.ofDays(2)));

    assertThat(
            matches(
                json(
                    "type", "failedVerifications", "window", "PT1H", "operator", "gte", "value", 2),
                action()))
        .isTrue();
    assertThat(
            matches(
                json(
                    "type",
                    "failedVerifications",
                    "window",
                    "PT10M",
                    "operator",
                    "gte",
                    "value",
                    2),
                action()))
        .isFalse();
  }

  @Test
  void failedDeliveriesCountRecentUndeliveredSmsOnly() {
    signals
        .failedDelivery(NOW.minus(Duration.ofMinutes(5)))
        .failedDelivery(NOW.minus(Duration.ofHours(3)))
        .failedDelivery(NOW.minus(Duration.ofDays(3)));

    Map<String, Object> twoInADay =
        json("type", "failedDeliveries", "window", "P1D", "operator", "gte", "value", 2);
    Map<String, Object> twoInAnHour =
        json("type", "failedDeliveries", "window", "PT1H", "operator", "gte", "value", 2);
    assertThat(matches(twoInADay, action())).isTrue();
    assertThat(matches(twoInAnHour, action())).isFalse();
    Decision d =
        evaluator.decide(
            List.of(rule("r", 1, Outcome.REVIEW, twoInADay)),
            ActionDefaults.builtIn("transfer"),
            action(),
            signals);
    assertThat(d.outcome()).isEqualTo(Outcome.REVIEW);
    assertThat(d.signals()).containsEntry("failedDeliveries.PT24H", "2");
  }

  @Test
  void thePlanForeseesEverySignalTheRulesReadSoOnePrefetchAnswersTheDecision() {
    signals.device("usr_1", "dev-1").action("usr_1", "transfer", NOW.minusSeconds(60));
    signals.failure(NOW.minusSeconds(30)).failedDelivery(NOW.minusSeconds(30));
    List<Rule> rules =
        List.of(
            rule(
                "a",
                10,
                Outcome.BLOCK,
                json(
                    "type",
                    "all",
                    "conditions",
                    List.of(
                        json("type", "newDevice"),
                        json(
                            "type", "not", "condition", json("type", "enrolled", "value", true))))),
            rule(
                "b",
                20,
                Outcome.REVIEW,
                json(
                    "type",
                    "any",
                    "conditions",
                    List.of(
                        json("type", "velocity", "window", "PT1H", "operator", "gte", "value", 2),
                        json(
                            "type",
                            "failedVerifications",
                            "window",
                            "PT1H",
                            "operator",
                            "gte",
                            "value",
                            1)))),
            rule(
                "c",
                30,
                Outcome.CHALLENGE,
                json("type", "failedDeliveries", "window", "PT1H", "operator", "gte", "value", 1)));

    SignalPlan plan = evaluator.plan(rules, ActionDefaults.builtIn("transfer"), action());
    assertThat(plan.queries()).hasSize(4);
    java.util.Map<SignalPlan.Query, Object> answers = new HashMap<>();
    for (SignalPlan.Query q : plan.queries()) {
      Object answer;
      if (q instanceof SignalPlan.DeviceSeen d) {
        answer = signals.deviceSeenBefore(d.userId(), d.deviceId(), d.currentEventId());
      } else if (q instanceof SignalPlan.ActionsSince a) {
        answer = signals.actionsSince(a.userId(), a.actionCode(), a.since(), a.currentEventId());
      } else if (q instanceof SignalPlan.FailuresSince f) {
        answer = signals.failedVerificationsSince(f.userId(), f.since());
      } else {
        SignalPlan.DeliveriesSince d = (SignalPlan.DeliveriesSince) q;
        answer = signals.failedDeliveriesSince(d.userId(), d.since());
      }
      answers.put(q, answer);
    }
    int readsBefore = signals.reads;
    Decision prefetched =
        evaluator.decide(
            rules,
            ActionDefaults.builtIn("transfer"),
            action(),
            SignalPlan.answered(answers, signals));
    assertThat(signals.reads).isEqualTo(readsBefore); // nothing asked of the store again
    Decision live = evaluator.decide(rules, ActionDefaults.builtIn("transfer"), action(), signals);
    assertThat(prefetched.outcome()).isEqualTo(live.outcome()).isEqualTo(Outcome.REVIEW);
    assertThat(prefetched.ruleIds()).isEqualTo(live.ruleIds()).containsExactly("b");
    assertThat(prefetched.signals()).isEqualTo(live.signals());
  }

  @Test
  void phoneCountryMatchesTheAuthenticatorsRegion() {
    Object eu = json("type", "phoneCountry", "in", List.of("DE", "FR"));

    assertThat(matches(eu, action())).isTrue();
    assertThat(matches(eu, action(a -> a.put("country", "GB")))).isFalse();
    assertThat(matches(eu, action(a -> a.put("country", null)))).isFalse();
  }

  @Test
  void timeOfDayUsesTheZoneAndSpansMidnight() {
    // NOW is 18:30 UTC = 19:30 in Berlin.
    assertThat(matches(json("type", "timeOfDay", "from", "18:00", "to", "19:00"), action()))
        .isTrue();
    assertThat(
            matches(
                json("type", "timeOfDay", "from", "18:00", "to", "19:00", "zone", "Europe/Berlin"),
                action()))
        .isFalse();
    assertThat(matches(json("type", "timeOfDay", "from", "18:30", "to", "18:31"), action()))
        .isTrue();
    assertThat(matches(json("type", "timeOfDay", "from", "18:31", "to", "18:30"), action()))
        .isFalse();
    assertThat(matches(json("type", "timeOfDay", "from", "22:00", "to", "06:00"), action()))
        .isFalse();
    RuleEvaluator night =
        new RuleEvaluator(Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneOffset.UTC));
    Decision d =
        night.decide(
            List.of(
                rule(
                    "r",
                    1,
                    Outcome.BLOCK,
                    json("type", "timeOfDay", "from", "22:00", "to", "06:00"))),
            ActionDefaults.builtIn("t"),
            action(),
            signals);
    assertThat(d.outcome()).isEqualTo(Outcome.BLOCK);
  }

  @Test
  void allAnyAndNotCombine() {
    Object highAmount = json("type", "custom", "key", "amount", "operator", "gt", "value", 1000);
    Object gb = json("type", "phoneCountry", "in", List.of("GB"));
    Object office = json("type", "ipAddress", "in", List.of("10.0.0.0/8"));

    assertThat(matches(json("type", "all", "conditions", List.of(highAmount, gb)), action()))
        .isFalse();
    assertThat(matches(json("type", "any", "conditions", List.of(highAmount, gb)), action()))
        .isTrue();
    assertThat(
            matches(
                json(
                    "type",
                    "all",
                    "conditions",
                    List.of(highAmount, json("type", "not", "condition", office))),
                action()))
        .isTrue();
    assertThat(matches(json("type", "not", "condition", highAmount), action())).isFalse();
  }

  @Test
  void eachSignalIsReadOncePerEvaluationAndReported() {
    Object velocity = json("type", "velocity", "window", "PT1H", "operator", "gte", "value", 100);
    Object twice =
        json(
            "type",
            "all",
            "conditions",
            List.of(json("type", "newDevice"), json("type", "newDevice"), velocity, velocity));
    List<Rule> rules = new ArrayList<>();
    rules.add(rule("r1", 1, Outcome.BLOCK, twice));
    rules.add(rule("r2", 2, Outcome.BLOCK, twice));

    Decision d = evaluator.decide(rules, ActionDefaults.builtIn("t"), action(), signals);

    assertThat(signals.reads).isEqualTo(2);
    assertThat(d.signals()).containsEntry("newDevice", "true").containsEntry("actions.PT1H", "1");
  }

  @Test
  void theTraceExplainsWhichConditionsMatched() {
    Object condition =
        json(
            "type",
            "all",
            "conditions",
            List.of(
                json("type", "enrolled", "value", true),
                json("type", "phoneCountry", "in", List.of("GB"))));

    Decision d =
        evaluator.explain(
            List.of(rule("r", 1, Outcome.BLOCK, condition)),
            ActionDefaults.builtIn("t"),
            action(),
            signals);

    Trace trace = d.traces().get(0).trace();
    assertThat(trace.matched()).isFalse();
    assertThat(trace.children()).extracting(Trace::matched).containsExactly(true, false);
    assertThat(trace.children().get(1).detail()).contains("DE");
  }
}
