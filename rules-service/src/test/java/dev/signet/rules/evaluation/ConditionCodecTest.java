package dev.signet.rules.evaluation;

import static dev.signet.rules.evaluation.RuleEvaluatorTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionCodecTest {

  @Test
  void everyConditionTypeSurvivesARoundTrip() {
    Map<String, Object> tree =
        json(
            "type",
            "any",
            "conditions",
            List.of(
                json("type", "ipAddress", "in", List.of("10.0.0.0/8", "2001:db8::/32")),
                json("type", "userAgent", "operator", "matches", "value", "curl/.*"),
                json("type", "newDevice"),
                json("type", "enrolled", "value", false),
                json("type", "custom", "key", "amount", "operator", "gte", "value", 10L),
                json(
                    "type",
                    "custom",
                    "key",
                    "currency",
                    "operator",
                    "in",
                    "values",
                    List.of("EUR", 3L, true)),
                json("type", "custom", "key", "vip", "operator", "exists"),
                json("type", "velocity", "window", "PT1H", "operator", "gt", "value", 5L),
                json(
                    "type",
                    "failedVerifications",
                    "window",
                    "PT10M",
                    "operator",
                    "gte",
                    "value",
                    3L),
                json("type", "failedDeliveries", "window", "PT24H", "operator", "gte", "value", 2L),
                json("type", "phoneCountry", "in", List.of("GB")),
                json("type", "timeOfDay", "from", "22:00", "to", "06:00", "zone", "Europe/Berlin"),
                json(
                    "type",
                    "not",
                    "condition",
                    json("type", "all", "conditions", List.of(json("type", "newDevice"))))));

    Map<String, Object> written = ConditionCodec.write(ConditionCodec.read(tree));

    assertThat(written).isEqualTo(tree);
    assertThat(ConditionCodec.write(ConditionCodec.read(written))).isEqualTo(written);
  }

  static Stream<Arguments> invalidConditions() {
    List<Object> tooMany = new ArrayList<>(Collections.nCopies(101, json("type", "newDevice")));
    Object deep = json("type", "newDevice");
    for (int i = 0; i < 8; i++) {
      deep = json("type", "not", "condition", deep);
    }
    return Stream.of(
        Arguments.of("not an object", "x", "condition must be an object"),
        Arguments.of("no type", json("in", List.of()), "condition.type is required"),
        Arguments.of("unknown type", json("type", "geo"), "unknown condition type 'geo'"),
        Arguments.of(
            "unknown field",
            json("type", "newDevice", "value", true),
            "condition.value is not a field"),
        Arguments.of(
            "empty all",
            json("type", "all", "conditions", List.of()),
            "condition.conditions must not be empty"),
        Arguments.of("any not a list", json("type", "any", "conditions", "x"), "must be an array"),
        Arguments.of(
            "not without condition", json("type", "not"), "condition.condition is required"),
        Arguments.of(
            "bad cidr",
            json("type", "ipAddress", "in", List.of("10.0.0.0/33")),
            "condition.in[0] is not an IP"),
        Arguments.of(
            "host name", json("type", "ipAddress", "in", List.of("example.com")), "is not an IP"),
        Arguments.of(
            "bad regex",
            json("type", "userAgent", "operator", "matches", "value", "(("),
            "not a valid regular"),
        Arguments.of(
            "bad ua operator",
            json("type", "userAgent", "operator", "like", "value", "x"),
            "must be one of equals"),
        Arguments.of(
            "enrolled string", json("type", "enrolled", "value", "true"), "must be a boolean"),
        Arguments.of(
            "gt string",
            json("type", "custom", "key", "a", "operator", "gt", "value", "5"),
            "must be a number"),
        Arguments.of(
            "in scalar",
            json("type", "custom", "key", "a", "operator", "in", "value", 5),
            "value is not used"),
        Arguments.of(
            "nested custom value",
            json("type", "custom", "key", "a", "operator", "eq", "value", Map.of("x", 1)),
            "must be a string, a number or a boolean"),
        Arguments.of(
            "bad key",
            json("type", "custom", "key", "a b", "operator", "exists"),
            "key must match"),
        Arguments.of(
            "bad window",
            json("type", "velocity", "window", "1h", "operator", "gt", "value", 1),
            "ISO-8601 duration"),
        Arguments.of(
            "window too long",
            json("type", "velocity", "window", "P365D", "operator", "gt", "value", 1),
            "between PT1S and P30D"),
        Arguments.of(
            "negative count",
            json("type", "failedVerifications", "window", "PT1H", "operator", "gt", "value", -1),
            "non-negative integer"),
        Arguments.of(
            "decimal count",
            json("type", "velocity", "window", "PT1H", "operator", "gt", "value", 1.5),
            "non-negative integer"),
        Arguments.of(
            "lowercase country", json("type", "phoneCountry", "in", List.of("gb")), "ISO 3166-1"),
        Arguments.of(
            "bad time", json("type", "timeOfDay", "from", "25:00", "to", "06:00"), "HH:mm"),
        Arguments.of(
            "same times", json("type", "timeOfDay", "from", "06:00", "to", "06:00"), "must differ"),
        Arguments.of(
            "bad zone",
            json("type", "timeOfDay", "from", "05:00", "to", "06:00", "zone", "Mars/Base"),
            "time zone id"),
        Arguments.of(
            "too many nodes", json("type", "any", "conditions", tooMany), "at most 100 conditions"),
        Arguments.of(
            "negative failed deliveries",
            json("type", "failedDeliveries", "window", "PT1H", "operator", "gte", "value", -1),
            "value is required and must be a non-negative integer"),
        Arguments.of(
            "failed deliveries as text",
            json("type", "failedDeliveries", "window", "PT1H", "operator", "gte", "value", "2"),
            "value is required and must be a non-negative integer"),
        Arguments.of(
            "failed deliveries over 30 days",
            json("type", "failedDeliveries", "window", "P31D", "operator", "gte", "value", 1),
            "window"),
        Arguments.of("too deep", deep, "nested deeper than 8"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConditions")
  void refusesInvalidConditionsNamingTheField(String name, Object tree, String message) {
    assertThatThrownBy(() -> ConditionCodec.read(tree))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining(message);
  }
}
