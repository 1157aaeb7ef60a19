package dev.signet.rules.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.events.Topics;
import dev.signet.testsupport.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every management route fed bodies that try to break it: each field of each route given the wrong
 * JSON type (number, array, object, null, boolean where a string goes, and so on), unknown fields,
 * duplicate keys, conditions nested or sized past their limits and JSON nested past the parser's
 * limit. Each answer is {@code 400 invalid_request} with its documented text to the byte, never a
 * 500 or a coerced value.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManagementBodiesIT {

  static final String SECRET = "bodies-it-secret";
  static final ObjectMapper JSON = new ObjectMapper();
  static final TestStack STACK =
      TestStack.start(
          1,
          Topics.ACTION_TRACKED.name(),
          Topics.CHALLENGE_REQUESTED.name(),
          Topics.CHALLENGE_VERIFIED.name(),
          Topics.SMS_DISPATCHED.name());
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String VALID_CONDITION = "\"condition\":{\"type\":\"newDevice\"}";
  static final String OUTCOMES = " must be one of ALLOW, BLOCK, CHALLENGE, REVIEW.";
  static final String POLICY = "/v1/management/send-policy";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STACK.register(registry, "signet-bodies-it");
    registry.add("signet.rules.management-secret", () -> SECRET);
  }

  @Test
  void ruleBodiesRefuseEveryWrongTypeWithTheFieldNamed() {
    String rules = "/v1/management/actions/bodies" + suffix() + "/rules";
    SoftAssertions soft = new SoftAssertions();
    for (String[] c :
        new String[][] {
          {"\"name\":5", "name must be a string."},
          {"\"name\":[\"x\"]", "name must be a string."},
          {"\"name\":{\"x\":1}", "name must be a string."},
          {"\"name\":true", "name must be a string."},
          {"\"name\":null", "name is required."},
          {"\"name\":\"  \"", "name must not be blank."},
          {"\"name\":\"" + "n".repeat(101) + "\"", "name is longer than 100 characters."},
          {"\"name\":\"x\",\"description\":5", "description must be a string."},
          {"\"name\":\"x\",\"description\":[]", "description must be a string."},
          {"\"name\":\"x\",\"priority\":\"1\"", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":1.5", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":[1]", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":-1", "priority must be an integer from 0 to 1000000."},
          {"\"name\":\"x\",\"priority\":1000001", "priority must be an integer from 0 to 1000000."},
          {
            "\"name\":\"x\",\"priority\":9999999999",
            "priority must be an integer from 0 to 1000000."
          },
          {"\"name\":\"x\",\"enabled\":\"true\"", "enabled must be a boolean."},
          {"\"name\":\"x\",\"enabled\":1", "enabled must be a boolean."},
          {"\"name\":\"x\",\"enabled\":{}", "enabled must be a boolean."},
        }) {
      expect(
          soft,
          "POST",
          rules,
          "{" + c[0] + ",\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}",
          c[1]);
    }
    for (String[] c :
        new String[][] {
          {"\"outcome\":5", "outcome" + OUTCOMES},
          {"\"outcome\":\"allow\"", "outcome" + OUTCOMES},
          {"\"outcome\":[\"ALLOW\"]", "outcome" + OUTCOMES},
          {"\"outcome\":null", "outcome is required."},
        }) {
      expect(soft, "POST", rules, "{\"name\":\"x\"," + c[0] + "," + VALID_CONDITION + "}", c[1]);
    }
    String named = "{\"name\":\"x\",\"outcome\":\"BLOCK\"";
    expect(soft, "POST", rules, named + "}", "condition is required.");
    expect(soft, "POST", rules, named + ",\"condition\":null}", "condition must be an object");
    expect(soft, "POST", rules, named + ",\"condition\":\"x\"}", "condition must be an object");
    expect(soft, "POST", rules, named + ",\"condition\":[]}", "condition must be an object");
    expect(
        soft,
        "POST",
        rules,
        named + ",\"condition\":{\"type\":5}}",
        "condition.type is required and must be a string");
    expect(
        soft,
        "POST",
        rules,
        named + "," + VALID_CONDITION + ",\"colour\":\"red\"}",
        "colour is not a known field.");
    expect(
        soft,
        "POST",
        rules,
        named + "," + VALID_CONDITION + ",\"" + "k".repeat(50) + "\":1}",
        "k".repeat(40) + "… is not a known field.");
    soft.assertAll();
  }

  @Test
  void conditionsNestedOrSizedPastTheirLimitsAreRefusedClearly() {
    String rules = "/v1/management/actions/deep" + suffix() + "/rules";
    String named = "{\"name\":\"x\",\"outcome\":\"BLOCK\",\"condition\":";
    SoftAssertions soft = new SoftAssertions();
    expect(
        soft,
        "POST",
        rules,
        named + nots(9) + "}",
        "condition" + ".condition".repeat(8) + " conditions are nested deeper than 8 levels");
    // Deep, but well within what the parser reads: refused at the ninth level, not evaluated.
    expect(
        soft,
        "POST",
        rules,
        named + nots(400) + "}",
        "condition" + ".condition".repeat(8) + " conditions are nested deeper than 8 levels");
    StringBuilder many = new StringBuilder("{\"type\":\"any\",\"conditions\":[");
    for (int i = 0; i < 101; i++) {
      many.append(i == 0 ? "" : ",").append("{\"type\":\"newDevice\"}");
    }
    expect(
        soft,
        "POST",
        rules,
        named + many + "]}}",
        "condition.conditions[99] a rule has at most 100 conditions");
    // Nested far past the parser's depth limit (but under the body size limit): a clean 400.
    Reply deep = raw("POST", rules, named + "[".repeat(20_000) + "]".repeat(20_000) + "}");
    soft.assertThat(deep.status()).as(deep.body().toString()).isEqualTo(400);
    soft.assertThat(deep.body().path("error").asText()).isEqualTo("invalid_request");
    soft.assertThat(deep.body().path("errorDescription").asText())
        .isEqualTo("The request body is not valid JSON for this endpoint.");
    Reply deepDryRun =
        raw(
            "POST",
            rules.replace("/rules", "/dry-run"),
            "{\"attributes\":{\"custom\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001));
    soft.assertThat(deepDryRun.status()).as(deepDryRun.body().toString()).isEqualTo(400);
    soft.assertThat(deepDryRun.body().path("error").asText()).isEqualTo("invalid_request");
    soft.assertAll();
  }

  @Test
  void wholeBodiesOfTheWrongShapeAreRefused() {
    String rules = "/v1/management/actions/shape" + suffix() + "/rules";
    SoftAssertions soft = new SoftAssertions();
    for (String body : new String[] {"[]", "\"x\"", "5", "true", "{\"name\":", "{} {}"}) {
      Reply reply = raw("POST", rules, body);
      soft.assertThat(reply.status()).as(body + " " + reply.body()).isEqualTo(400);
      soft.assertThat(reply.body().path("errorDescription").asText())
          .as(body)
          .isEqualTo("The request body is not valid JSON for this endpoint.");
    }
    soft.assertAll();
  }

  /**
   * A member sent twice is read one way: every occurrence must have the member's type, and the last
   * one is the value (the one the service stores and answers with).
   */
  @Test
  void aDuplicateMemberIsTypeCheckedEveryTimeAndTheLastOneCounts() {
    String rules = "/v1/management/actions/dup" + suffix() + "/rules";
    Reply mistyped =
        raw(
            "POST",
            rules,
            "{\"name\":5,\"name\":\"second\",\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}");
    assertThat(error(mistyped)).isEqualTo("name must be a string.");

    Reply twice =
        raw(
            "POST",
            rules,
            "{\"name\":\"first\",\"name\":\"second\",\"outcome\":\"BLOCK\","
                + VALID_CONDITION
                + "}");
    assertThat(twice.status()).as(twice.body().toString()).isEqualTo(201);
    assertThat(twice.body().path("name").asText()).isEqualTo("second");
    assertThat(
            raw("GET", rules + "/" + twice.body().path("ruleId").asText(), null)
                .body()
                .path("name")
                .asText())
        .isEqualTo("second");
  }

  @Test
  void defaultsPatchAndOrderBodiesRefuseWrongTypes() {
    String action = "/v1/management/actions/edit" + suffix();
    Reply created =
        raw(
            "POST",
            action + "/rules",
            "{\"name\":\"x\",\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String rule = action + "/rules/" + created.body().path("ruleId").asText();
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "PUT", action + "/defaults", "{\"enrolled\":5}", "enrolled" + OUTCOMES);
    expect(soft, "PUT", action + "/defaults", "{\"unenrolled\":[]}", "unenrolled" + OUTCOMES);
    expect(soft, "PUT", action + "/defaults", "{\"other\":1}", "other is not a known field.");
    expect(soft, "PATCH", rule, "{}", "Send enabled, priority or both.");
    expect(soft, "PATCH", rule, "{\"enabled\":null}", "Send enabled, priority or both.");
    expect(soft, "PATCH", rule, "{\"enabled\":\"yes\"}", "enabled must be a boolean.");
    expect(soft, "PATCH", rule, "{\"enabled\":0}", "enabled must be a boolean.");
    expect(
        soft,
        "PATCH",
        rule,
        "{\"priority\":\"5\"}",
        "priority must be an integer from 0 to 1000000.");
    expect(soft, "PATCH", rule, "{\"name\":\"y\"}", "name is not a known field.");
    expect(
        soft,
        "PUT",
        rule,
        "{\"name\":5,\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}",
        "name must be a string.");
    String order = action + "/rules/order";
    for (String body :
        new String[] {"{}", "{\"ruleIds\":null}", "{\"ruleIds\":\"x\"}", "{\"ruleIds\":[1]}"}) {
      expect(soft, "PUT", order, body, "ruleIds must be an array of rule ids.");
    }
    expect(soft, "PUT", order, "{\"ruleIds\":[],\"x\":1}", "x is not a known field.");
    expect(
        soft,
        "PUT",
        order,
        "{\"ruleIds\":[]}",
        "ruleIds must list every rule of the action exactly once.");
    soft.assertAll();
  }

  @Test
  void dryRunBodiesRefuseWrongTypesWithThePathNamed() {
    String dryRun = "/v1/management/actions/try" + suffix() + "/dry-run";
    SoftAssertions soft = new SoftAssertions();
    for (String[] c :
        new String[][] {
          {"{\"bogus\":1}", "bogus is not a known field."},
          {"{\"attributes\":5}", "attributes must be an object."},
          {"{\"attributes\":[]}", "attributes must be an object."},
          {"{\"attributes\":{\"zip\":1}}", "attributes.zip is not a known field."},
          {"{\"attributes\":{\"userId\":5}}", "attributes.userId must be a string."},
          {"{\"attributes\":{\"ipAddress\":[]}}", "attributes.ipAddress must be a string."},
          {"{\"attributes\":{\"userAgent\":{}}}", "attributes.userAgent must be a string."},
          {"{\"attributes\":{\"deviceId\":true}}", "attributes.deviceId must be a string."},
          {"{\"attributes\":{\"phoneCountry\":1}}", "attributes.phoneCountry must be a string."},
          {
            "{\"attributes\":{\"phoneCountry\":\"GBR\"}}",
            "attributes.phoneCountry is longer than 2 characters."
          },
          {
            "{\"attributes\":{\"isEnrolled\":\"true\"}}", "attributes.isEnrolled must be a boolean."
          },
          {"{\"attributes\":{\"custom\":5}}", "attributes.custom must be an object."},
          {"{\"attributes\":{\"custom\":[]}}", "attributes.custom must be an object."},
          {
            "{\"attributes\":{\"custom\":{\"a\":[1]}}}",
            "attributes.custom.a must be a string, number, boolean or null."
          },
          {
            "{\"attributes\":{\"custom\":{\"a\":{}}}}",
            "attributes.custom.a must be a string, number, boolean or null."
          },
          {"{\"at\":5}", "at must be a string."},
          {"{\"at\":\"yesterday\"}", "at must be an ISO-8601 instant, like 2026-11-25T18:00:00Z."},
          {"{\"signals\":[]}", "signals must be an object."},
          {"{\"signals\":{\"x\":1}}", "signals.x is not a known field."},
          {"{\"signals\":{\"deviceSeenBefore\":1}}", "signals.deviceSeenBefore must be a boolean."},
          {"{\"signals\":{\"actions\":-1}}", "signals.actions must be a non-negative integer."},
          {
            "{\"signals\":{\"failedVerifications\":\"1\"}}",
            "signals.failedVerifications must be a non-negative integer."
          },
          {
            "{\"signals\":{\"failedDeliveries\":1.5}}",
            "signals.failedDeliveries must be a non-negative integer."
          },
          {"{\"rules\":{}}", "rules must be an array of at most 100 rules."},
          {"{\"rules\":5}", "rules must be an array of at most 100 rules."},
          {"{\"rules\":[5]}", "rules[0] must be an object."},
          {
            "{\"rules\":[{\"name\":5,\"outcome\":\"BLOCK\"," + VALID_CONDITION + "}]}",
            "name must be a string."
          },
          {"{\"defaults\":5}", "defaults must be an object."},
          {"{\"defaults\":{\"enrolled\":\"NO\"}}", "enrolled" + OUTCOMES},
        }) {
      expect(soft, "POST", dryRun, c[0], c[1]);
    }
    StringBuilder custom = new StringBuilder("{\"attributes\":{\"custom\":{");
    for (int i = 0; i < 101; i++) {
      custom.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    expect(soft, "POST", dryRun, custom + "}}}", "attributes.custom has more than 100 keys.");
    Reply empty = raw("POST", dryRun, "{\"attributes\":null,\"rules\":null,\"signals\":null}");
    soft.assertThat(empty.status()).as(empty.body().toString()).isEqualTo(200);
    soft.assertAll();
  }

  @Test
  void sendPolicyBodiesRefuseWrongTypesAndChangeNothing() {
    long version = raw("GET", POLICY, null).body().path("version").asLong();
    String integer = " must be an integer from ";
    SoftAssertions soft = new SoftAssertions();
    for (String[] c :
        new String[][] {
          {"{}", "Send at least one setting to change."},
          {"{\"x\":1}", "x is not a known field."},
          {"{\"shadowMode\":null}", "shadowMode must be a boolean."},
          {"{\"shadowMode\":\"true\"}", "shadowMode must be a boolean."},
          {"{\"shadowMode\":1}", "shadowMode must be a boolean."},
          {"{\"allowedCountries\":\"GB\"}", "allowedCountries must be an array of region codes."},
          {"{\"allowedCountries\":null}", "allowedCountries must be an array of region codes."},
          {"{\"allowedCountries\":{}}", "allowedCountries must be an array of region codes."},
          {
            "{\"allowedCountries\":[\"GB\",5]}",
            "allowedCountries[1] must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB)."
          },
          {"{\"perNumber\":5}", "perNumber must be an object {maxCount, windowSeconds}."},
          {"{\"perPrefix\":null}", "perPrefix must be an object {maxCount, windowSeconds}."},
          {"{\"perCountry\":[]}", "perCountry must be an object {maxCount, windowSeconds}."},
          {"{\"perNumber\":{\"maxCount\":1}}", "perNumber needs maxCount and windowSeconds."},
          {
            "{\"perNumber\":{\"maxCount\":1,\"windowSeconds\":60,\"x\":1}}",
            "perNumber.x is not a known field."
          },
          {
            "{\"perNumber\":{\"maxCount\":null,\"windowSeconds\":60}}",
            "perNumber.maxCount" + integer + "0 to 100000000."
          },
          {
            "{\"perNumber\":{\"maxCount\":\"1\",\"windowSeconds\":60}}",
            "perNumber.maxCount" + integer + "0 to 100000000."
          },
          {
            "{\"perCountry\":{\"maxCount\":1,\"windowSeconds\":[60]}}",
            "perCountry.windowSeconds" + integer + "1 to 2592000."
          },
          {"{\"dailyGlobalBudget\":\"1\"}", "dailyGlobalBudget" + integer + "1 to 1000000000."},
          {"{\"dailyGlobalBudget\":1.0}", "dailyGlobalBudget" + integer + "1 to 1000000000."},
          {"{\"minConversionRate\":\"0.5\"}", "minConversionRate must be a number from 0 to 1."},
          {"{\"minConversionRate\":true}", "minConversionRate must be a number from 0 to 1."},
          {"{\"minConversionRate\":null}", "minConversionRate must be a number from 0 to 1."},
          {"{\"conversionMinVolume\":1.5}", "conversionMinVolume" + integer + "0 to 100000000."},
          {
            "{\"conversionWindowSeconds\":null}",
            "conversionWindowSeconds" + integer + "60 to 2592000."
          },
          {"{\"autoBlockSeconds\":[]}", "autoBlockSeconds" + integer + "60 to 2592000."},
        }) {
      expect(soft, "PATCH", POLICY, c[0], c[1]);
    }
    String blocks = POLICY + "/blocks";
    for (String[] c :
        new String[][] {
          {"{\"kind\":5,\"value\":\"GB\"}", "kind must be a string."},
          {"{\"value\":\"GB\"}", "kind is required."},
          {"{\"kind\":\"region\",\"value\":\"GB\"}", "kind must be prefix or country."},
          {"{\"kind\":\"country\"}", "value is required."},
          {"{\"kind\":\"country\",\"value\":[\"GB\"]}", "value must be a string."},
          {
            "{\"kind\":\"country\",\"value\":\"gb\"}",
            "value must be an ISO 3166-1 alpha-2 region in capitals (e.g. GB)."
          },
          {"{\"kind\":\"country\",\"value\":\"GB\",\"reason\":5}", "reason must be a string."},
          {
            "{\"kind\":\"country\",\"value\":\"GB\",\"reason\":\"Bad\"}",
            "reason must match ^[a-z0-9_]{1,40}$."
          },
          {"{\"kind\":\"country\",\"value\":\"GB\",\"until\":5}", "until must be a string."},
          {
            "{\"kind\":\"country\",\"value\":\"GB\",\"until\":\"soon\"}",
            "until must be an ISO-8601 instant, like 2026-11-26T18:00:00Z."
          },
          {
            "{\"kind\":\"country\",\"value\":\"GB\",\"until\":\"2000-01-01T00:00:00Z\"}",
            "until must be in the future."
          },
          {"{\"kind\":\"country\",\"value\":\"GB\",\"note\":\"x\"}", "note is not a known field."},
        }) {
      expect(soft, "POST", blocks, c[0], c[1]);
    }
    soft.assertAll();
    assertThat(raw("GET", POLICY, null).body().path("version").asLong()).isEqualTo(version);
  }

  @Test
  void aReplacedPolicyNamesTheFirstMissingSettingInTheDocumentedOrder() {
    Reply policy = raw("GET", POLICY, null);
    var body = (com.fasterxml.jackson.databind.node.ObjectNode) policy.body().deepCopy();
    for (String view :
        new String[] {
          "policyId", "version", "blockedPrefixes", "blockedCountries", "updatedBy", "updatedAt"
        }) {
      body.remove(view);
    }
    Reply same = raw("PUT", POLICY, body.toString());
    assertThat(same.status()).as(same.body().toString()).isEqualTo(200);
    assertThat(same.body().path("version").asLong())
        .isEqualTo(policy.body().path("version").asLong());
    body.remove("autoBlockSeconds");
    body.remove("perPrefix");
    assertThat(error(raw("PUT", POLICY, body.toString())))
        .isEqualTo("perPrefix is required (PUT replaces every setting; PATCH changes some).");
  }

  private void expect(SoftAssertions soft, String method, String path, String body, String text) {
    Reply reply = raw(method, path, body);
    soft.assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
    soft.assertThat(reply.body().path("error").asText()).as(body).isEqualTo("invalid_request");
    soft.assertThat(reply.body().path("errorDescription").asText()).as(body).isEqualTo(text);
  }

  private static String nots(int depth) {
    return "{\"type\":\"not\",\"condition\":".repeat(depth)
        + "{\"type\":\"newDevice\"}"
        + "}".repeat(depth);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static String error(Reply reply) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
    assertThat(reply.body().path("error").asText()).isEqualTo("invalid_request");
    return reply.body().path("errorDescription").asText();
  }

  record Reply(int status, JsonNode body) {}

  Reply raw(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + SECRET);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        json = JSON.createObjectNode().put("raw", response.body());
      }
      return new Reply(response.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
