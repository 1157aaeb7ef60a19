package dev.signet.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RulePatternTest {

  /** Within the user agent cap, so that the final character that defeats the pattern is seen. */
  private static final String ADVERSARIAL = "a".repeat(1000) + "!";

  private final RuleEvaluator evaluator =
      new RuleEvaluator(Clock.fixed(Instant.parse("2026-11-25T18:30:00Z"), ZoneOffset.UTC));

  @ParameterizedTest
  @ValueSource(
      strings = {"(a+)+$", "(.*a){12}$", "(a|aa)+$", "(x+x+)+y", "^(\\w+\\s?)*$", "(.*.*)*!x"})
  void catastrophicBacktrackingPatternsRunInLinearTime(String source) {
    RulePattern pattern = RulePattern.compile(source, "condition.value");

    boolean found =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> pattern.find(ADVERSARIAL));

    assertThat(found).isFalse();
  }

  @Test
  void aCatastrophicRuleDecidesAnAdversarialAgentQuicklyAndStillMatchesWhatItShould() {
    Rule rule =
        new Rule(
            "r",
            "transfer",
            "catastrophic",
            null,
            1,
            true,
            Outcome.BLOCK,
            ConditionCodec.read(
                Map.of("type", "userAgent", "operator", "matches", "value", "(.*a){12}$")));

    Decision adversarial =
        assertTimeoutPreemptively(
            Duration.ofSeconds(2),
            () -> evaluator.decide(List.of(rule), defaults(), action(ADVERSARIAL), noSignals()));
    Decision matching =
        evaluator.decide(List.of(rule), defaults(), action("a".repeat(12)), noSignals());

    assertThat(adversarial.ruleIds()).isEmpty();
    assertThat(matching.outcome()).isEqualTo(Outcome.BLOCK);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "(a)\\1|a backreference (\\1)",
        "(?P<x>a)\\k<x>|a named backreference",
        "(?=admin)a|lookahead ((?=)",
        "(?!bot)a|lookahead ((?!)",
        "(?<=x)a|lookbehind ((?<=)",
        "(?<!x)a|lookbehind ((?<!)",
        "(?>a+)b|an atomic group",
        "a++b|a possessive quantifier (++)",
        "a{2}+b|a possessive quantifier (}+)"
      })
  void backtrackingOnlyConstructsAreRefusedByName(String source, String named) {
    assertThatThrownBy(() -> RulePattern.compile(source, "condition.value"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageStartingWith("condition.value uses " + named)
        .hasMessageContaining("RE2 syntax");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[(?=]x", "\\(?=x", "\\Q(?=\\E", "[\\d(?=]", "a+?b", "(?i)chrome"})
  void lookalikesInClassesEscapesAndQuotesAreAccepted(String source) {
    assertThat(RulePattern.compile(source, "condition.value").source()).isEqualTo(source);
  }

  @ParameterizedTest
  @ValueSource(strings = {"((", "a{1001}", "\\Z", "[z-a]", "*a"})
  void re2SyntaxErrorsAreRefusedWithTheEnginesReason(String source) {
    assertThatThrownBy(() -> RulePattern.compile(source, "condition.value"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageStartingWith("condition.value is not a valid regular expression (RE2 syntax): ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(a{1000}){1000}",
        "((a{1000}){1000}){1000}",
        "(?:(?:(?:a{100}){10}){10})",
        "[0-9]{1000}[a-z]{1000}x",
        "(?:\\Qabcdefghij\\E){300}",
        "(?P<n>a{50}){50}"
      })
  void patternsThatExpandBeyondTheCapAreRefusedBeforeCompiling(String source) {
    assertThatThrownBy(
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(2), () -> RulePattern.compile(source, "condition.value")))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("expands to more than " + RulePattern.MAX_EXPANSION);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[0-9]{1000}x",
        "^Mozilla/5\\.0 .*Chrome/1[0-9]{2}\\.[0-9]+",
        "^([0-9]{1,3}\\.){3}[0-9]{1,3}$",
        "(?i)(bot|crawler|spider|curl|wget|python-requests)"
      })
  void realisticPatternsFitTheCap(String source) {
    assertThat(RulePattern.expansion(source)).isLessThanOrEqualTo(RulePattern.MAX_EXPANSION);
    assertThat(RulePattern.compile(source, "condition.value").source()).isEqualTo(source);
  }

  @Test
  void aPatternAtTheExpansionCapRunsQuicklyOnTheLongestInput() {
    RulePattern pattern = RulePattern.compile("(?:[a-z]x){999}!", "condition.value");
    String input = "ax".repeat(Condition.UserAgent.MAX_LENGTH / 2);

    boolean found = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> pattern.find(input));

    assertThat(found).isFalse();
  }

  @Test
  void theRegularExpressionsOfOneRuleShareOneExpansionBudget() {
    Map<String, Object> big =
        Map.of("type", "userAgent", "operator", "matches", "value", "[0-9]{1000}[a-z]{999}");
    Map<String, Object> twoBig = Map.of("type", "any", "conditions", List.of(big, big));
    Map<String, Object> threeBig = Map.of("type", "any", "conditions", List.of(big, big, big));

    assertThat(ConditionCodec.read(twoBig)).isInstanceOf(Condition.Any.class);
    assertThatThrownBy(() -> ConditionCodec.read(threeBig))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessage(
            "condition.conditions[2].value brings the rule's regular expressions to more than "
                + RulePattern.MAX_RULE_EXPANSION
                + " instructions together");
  }

  @Test
  void aPatternIsCompiledOnceAndAnswersARepeatedInputFromMemory() {
    RulePattern first = RulePattern.compile("(?i)curl/[0-9]+", "condition.value");
    RulePattern again = RulePattern.compile("(?i)curl/[0-9]+", "condition.value");

    assertThat(again).isSameAs(first);
    assertThat(first.find("CURL/8")).isTrue();
    assertThat(first.find("CURL/8")).isTrue();
    assertThat(first.find("wget/1")).isFalse();
    assertThat(first.find("curl/7")).isTrue();
  }

  @Test
  void aPatternLongerThanTheCapIsRefused() {
    String source = "a".repeat(RulePattern.MAX_LENGTH + 1);

    assertThatThrownBy(() -> RulePattern.compile(source, "condition.value"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("longer than " + RulePattern.MAX_LENGTH);
  }

  @Test
  void onlyTheFirst1024CharactersOfTheUserAgentAreMatched() {
    Condition endsInX =
        ConditionCodec.read(Map.of("type", "userAgent", "operator", "matches", "value", "x$"));
    String cut = "a".repeat(Condition.UserAgent.MAX_LENGTH);

    assertThat(endsInX.evaluate(context(cut + "x")).matched()).isFalse();
    assertThat(endsInX.evaluate(context(cut.substring(1) + "x")).matched()).isTrue();
    // The cut end counts as the end of the text.
    Condition endsInA =
        ConditionCodec.read(Map.of("type", "userAgent", "operator", "matches", "value", "a$"));
    assertThat(endsInA.evaluate(context(cut + "x")).matched()).isTrue();
  }

  @Test
  void anUnreadableStoredConditionNeverMatches() {
    Rule rule =
        new Rule(
            "old",
            "transfer",
            "old rule",
            null,
            1,
            true,
            Outcome.BLOCK,
            new Condition.Unreadable(Map.of("type", "userAgent"), "uses lookahead"));

    Decision decision = evaluator.explain(List.of(rule), defaults(), action("x"), noSignals());

    assertThat(decision.ruleIds()).isEmpty();
    assertThat(decision.defaultOutcome()).isTrue();
    assertThat(ConditionCodec.write(rule.condition())).isEqualTo(Map.of("type", "userAgent"));
  }

  private static ActionDefaults defaults() {
    return ActionDefaults.builtIn("transfer");
  }

  private static FakeSignals noSignals() {
    return new FakeSignals();
  }

  private static EvaluationContext context(String userAgent) {
    return new EvaluationContext(action(userAgent), Instant.EPOCH, new FakeSignals());
  }

  private static ActionAttributes action(String userAgent) {
    return new ActionAttributes(
        "evt", "usr_1", "transfer", null, userAgent, null, Map.of(), true, "GB");
  }
}
