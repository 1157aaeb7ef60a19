package dev.signet.challenge.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenService;
import dev.signet.events.Topics;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.action.ActionTracked;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** Track, read, change and list actions through the server API, against the real broker. */
class ActionApiIT extends ActionItSupport {

  @Autowired TokenService tokens;

  private static final AtomicInteger PHONES = new AtomicInteger(100);

  @Autowired ActionLifecycle lifecycle;
  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void enrolledUserIsChallengedByDefaultAndGetsAnActionToken() throws Exception {
    String userId = enrolledUser();

    Reply tracked =
        call(
            "POST",
            "/v1/users/" + userId + "/actions/signIn",
            json(
                Map.of(
                    "ipAddress", "203.0.113.7",
                    "userAgent", "Mozilla/5.0",
                    "deviceId", "dev-1",
                    "scope", "add:authenticators",
                    "custom", Map.of("amount", 2500, "vip", true))));

    assertThat(tracked.status()).isEqualTo(200);
    assertThat(tracked.text("state")).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(tracked.body().get("isEnrolled").asBoolean()).isTrue();
    assertThat(tracked.body().get("enrolledVerificationMethods").toString()).isEqualTo("[\"SMS\"]");
    assertThat(tracked.body().get("allowedVerificationMethods").toString()).isEqualTo("[\"SMS\"]");
    assertThat(tracked.text("defaultVerificationMethod")).isEqualTo("SMS");
    assertThat(tracked.body().get("ruleIds").size()).isZero();
    // The hosted page can complete a challenge of an enrolled user: track names it.
    assertThat(tracked.text("url")).contains("/ui?token=");
    String key = tracked.text("idempotencyKey");
    assertThat(key).isNotBlank();

    var claims = SignedJWT.parse(tracked.text("token")).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo(userId);
    assertThat(claims.getStringClaim("scope")).isEqualTo("add:authenticators");
    Map<String, Object> other = claims.getJSONObjectClaim("other");
    assertThat(other)
        .containsEntry("userId", userId)
        .containsEntry("actionCode", "signIn")
        .containsEntry("idempotencyKey", key)
        .containsEntry("tenantId", "signet");

    ActionTracked request = RULES.requestsFor(userId).get(0);
    assertThat(request.getReplyTo()).startsWith("challenge-service/");
    assertThat(request.getIsEnrolled()).isTrue();
    assertThat(request.getPhoneCountryCode()).isEqualTo("GB");
    assertThat(request.getDeviceId()).isEqualTo("dev-1");
    assertThat(request.getScopes()).containsExactly("add:authenticators");
    assertThat(request.getCustom()).containsEntry("amount", 2500L).containsEntry("vip", true);
    assertThat(request.getDecisionDeadline()).isAfter(request.getOccurredAt());

    assertThat(SignedJWT.parse(tracked.text("token")).getHeader().getType().getType())
        .isEqualTo("signet-track+jwt");
    // A track token is the browser's credential, never a proof of the challenge.
    Reply validated = call("POST", "/v1/validate", json(Map.of("token", tracked.text("token"))));
    assertThat(validated.body().get("isValid").asBoolean()).isFalse();
    assertThat(validated.text("error"))
        .isEqualTo("The token is not of a kind this endpoint accepts.");
    assertThat(validated.body().has("state")).isFalse();

    // The client API's verify moves the action; validate then sees the success.
    lifecycle
        .transition(
            userId,
            "signIn",
            key,
            ActionChange.challengeOutcome(
                ActionState.CHALLENGE_SUCCEEDED,
                StateChangeCause.CHALLENGE_VERIFIED,
                "SMS",
                "ch-9",
                null,
                null),
            "c")
        .block();
    assertThat(
            call("POST", "/v1/validate", json(Map.of("token", tracked.text("token"))))
                .body()
                .get("isValid")
                .asBoolean())
        .isFalse();
    String success =
        tokens.issue(TokenKind.SUCCESS, new TokenClaims(userId, "signIn", key, "", "signet"));
    Reply valid = call("POST", "/v1/validate", json(Map.of("token", success)));
    assertThat(valid.body().get("isValid").asBoolean()).isTrue();
    assertThat(valid.text("state")).isEqualTo("CHALLENGE_SUCCEEDED");
    assertThat(valid.text("action")).isEqualTo("signIn");
    assertThat(valid.text("idempotencyKey")).isEqualTo(key);
    assertThat(valid.text("verificationMethod")).isEqualTo("SMS");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<ActionStateChanged> changes =
                  events().of(Topics.ACTION_STATE_CHANGED.name(), userId, ActionStateChanged.class);
              assertThat(changes)
                  .extracting(e -> e.getState().name())
                  .containsExactly("CHALLENGE_REQUIRED", "CHALLENGE_SUCCEEDED");
              assertThat(changes.get(0).getPreviousState()).isNull();
              assertThat(changes.get(0).getCause().name()).isEqualTo("DECISION");
              assertThat(changes.get(0).getIpAddress()).isEqualTo("203.0.113.7");
              assertThat(events().of(Topics.ACTION_TRACKED.name(), userId, ActionTracked.class))
                  .hasSize(1);
            });
  }

  @Test
  void unknownUserIsCreatedAndAllowedAsNotEnrolled() {
    String userId = newUserId();

    Reply tracked =
        call(
            "POST",
            "/v1/users/" + userId + "/actions/challengeTransfer",
            json(Map.of("email", "jane@example.com")));

    assertThat(tracked.status()).isEqualTo(200);
    // The rules asked for a challenge; without an authenticator the answer is ALLOW.
    assertThat(tracked.text("state")).isEqualTo("ALLOW");
    assertThat(tracked.body().get("isEnrolled").asBoolean()).isFalse();
    assertThat(tracked.body().get("enrolledVerificationMethods").size()).isZero();
    assertThat(tracked.body().has("defaultVerificationMethod")).isFalse();
    assertThat(tracked.body().get("ruleIds").toString()).isEqualTo("[\"r-challenge\"]");
    Reply user = call("GET", "/v1/users/" + userId, null);
    assertThat(user.text("email")).isEqualTo("jane@example.com");
    assertThat(mongo.findById(userId, Document.class, "users").block()).isNotNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        events()
                            .of(
                                Topics.ACTION_STATE_CHANGED.name(),
                                userId,
                                ActionStateChanged.class))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getCause().name()).isEqualTo("NOT_ENROLLED")));
  }

  @Test
  void repeatedIdempotencyKeyReturnsTheSameActionAlsoUnderConcurrency() throws Exception {
    String userId = enrolledUser();
    String key = "k-" + UUID.randomUUID();
    String body = json(Map.of("idempotencyKey", key, "deviceId", "d1"));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(
          pool.submit(() -> call("POST", "/v1/users/" + userId + "/actions/reviewLogin", body)));
    }
    Set<String> states = ConcurrentHashMap.newKeySet();
    for (Future<Reply> reply : replies) {
      Reply r = reply.get();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text("idempotencyKey")).isEqualTo(key);
      states.add(r.text("state"));
    }
    pool.shutdown();
    Reply again = call("POST", "/v1/users/" + userId + "/actions/reviewLogin", body);

    assertThat(states).containsExactly("REVIEW_REQUIRED");
    assertThat(again.text("state")).isEqualTo("REVIEW_REQUIRED");
    assertThat(again.body().get("ruleIds").toString()).isEqualTo("[\"r-review\"]");
    assertThat(RULES.requestsFor(userId)).hasSize(1);
    assertThat(
            mongo
                .count(
                    org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("userId")
                            .is(userId)),
                    "actions")
                .block())
        .isEqualTo(1);
  }

  @Test
  void withoutADecisionInTimeTheFallbackAppliesAndTheRulesSaySo() {
    String userId = enrolledUser();

    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/silentLogin", "{}");
    Reply payout = call("POST", "/v1/users/" + userId + "/actions/payout", "{}");
    Reply unenrolled = call("POST", "/v1/users/" + newUserId() + "/actions/silentLogin", "{}");

    assertThat(tracked.text("state")).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(tracked.body().get("ruleIds").toString())
        .isEqualTo("[\"" + Action.FALLBACK_RULE_ID + "\"]");
    assertThat(payout.text("state")).isEqualTo("BLOCK"); // a per-action fallback
    assertThat(unenrolled.text("state")).isEqualTo("ALLOW");
    Reply read =
        call(
            "GET",
            "/v1/users/" + userId + "/actions/silentLogin/" + tracked.text("idempotencyKey"),
            null);
    JsonNode rule = read.body().get("rules").get(0);
    assertThat(rule.get("ruleId").asText()).isEqualTo(Action.FALLBACK_RULE_ID);
    assertThat(rule.get("name").asText()).isEqualTo("Decision timeout fallback");
    assertThat(rule.get("description").asText())
        .contains("No decision from rules-service within 1500 ms");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        events()
                            .of(
                                Topics.ACTION_STATE_CHANGED.name(),
                                userId,
                                ActionStateChanged.class))
                    .extracting(e -> e.getCause().name())
                    .containsOnly("DECISION_TIMEOUT_FALLBACK"));
  }

  @Test
  void aDecisionAfterTheDeadlineIsRecordedButDoesNotChangeTheState() {
    String userId = enrolledUser();

    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/lateAllow", "{}");

    assertThat(tracked.text("state")).isEqualTo("CHALLENGE_REQUIRED");
    String id = ActionStore.id(userId, "lateAllow", tracked.text("idempotencyKey"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Document doc = mongo.findById(id, Document.class, "actions").block();
              assertThat(doc.get("lateDecision", Document.class)).as(doc.toJson()).isNotNull();
              assertThat(doc.get("lateDecision", Document.class).getString("decision"))
                  .isEqualTo("ALLOW");
              assertThat(doc.getString("state")).isEqualTo("CHALLENGE_REQUIRED");
            });
  }

  @Test
  void aReviewIsResolvedThroughPatchAndTheServerApiMaySetAnyStateAfterIt() {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/reviewPayment", "{}");
    String path =
        "/v1/users/" + userId + "/actions/reviewPayment/" + tracked.text("idempotencyKey");
    assertThat(tracked.text("state")).isEqualTo("REVIEW_REQUIRED");

    Reply approved = call("PATCH", path, json(Map.of("state", "REVIEW_SUCCEEDED")));
    Reply retried = call("PATCH", path, json(Map.of("state", "REVIEW_SUCCEEDED")));
    Reply flipped = call("PATCH", path, json(Map.of("state", "REVIEW_FAILED")));
    Reply unknown = call("PATCH", path, json(Map.of("state", "APPROVED")));
    Reply read = call("GET", path, null);

    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.text("state")).isEqualTo("REVIEW_SUCCEEDED");
    assertThat(approved.body().get("ruleIds").toString()).isEqualTo("[\"r-review\"]");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(flipped.status()).isEqualTo(200);
    assertThat(flipped.text("state")).isEqualTo("REVIEW_FAILED");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.text("error")).isEqualTo("invalid_request");
    assertThat(read.text("state")).isEqualTo("REVIEW_FAILED");
    assertThat(Instant.parse(read.text("stateUpdatedAt")))
        .isAfterOrEqualTo(Instant.parse(read.text("createdAt")));
    assertThat(read.body().get("rules").get(0).get("name").asText()).isEqualTo("Rule REVIEW");
    // The rules' output stays what the decision gave.
    assertThat(read.body().get("output").get("state").asText()).isEqualTo("REVIEW_REQUIRED");
    assertThat(read.body().get("output").get("decision").asText()).isEqualTo("REVIEW");
    assertThat(read.body().get("output").get("decidedBy").asText()).isEqualTo("DECISION");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<ActionStateChanged> changes =
                  events().of(Topics.ACTION_STATE_CHANGED.name(), userId, ActionStateChanged.class);
              assertThat(changes)
                  .extracting(e -> e.getState().name())
                  .containsExactly("REVIEW_REQUIRED", "REVIEW_SUCCEEDED", "REVIEW_FAILED");
              assertThat(changes.get(1).getReviewedBy()).isEqualTo("api");
              assertThat(changes.get(1).getCause().name()).isEqualTo("REVIEW");
              assertThat(changes.get(1).getCredentialKind()).isEqualTo("API_SECRET");
              assertThat(changes.get(2).getCause().name()).isEqualTo("MANUAL");
              assertThat(changes.get(2).getCredentialKind()).isEqualTo("API_SECRET");
              assertThat(changes.get(2).getPreviousState().name()).isEqualTo("REVIEW_SUCCEEDED");
            });
  }

  @Test
  void aDecisionNamingTheStateItWasTakenOnNeverOverridesAnotherOne() {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/reviewPayment", "{}");
    String path =
        "/v1/users/" + userId + "/actions/reviewPayment/" + tracked.text("idempotencyKey");
    Map<String, String> onReview = Map.of("X-Signet-Expected-State", "REVIEW_REQUIRED");

    Reply first = call("PATCH", path, json(Map.of("state", "REVIEW_SUCCEEDED")), onReview);
    Reply same = call("PATCH", path, json(Map.of("state", "REVIEW_SUCCEEDED")), onReview);
    Reply contrary = call("PATCH", path, json(Map.of("state", "REVIEW_FAILED")), onReview);
    Reply badHeader =
        call(
            "PATCH",
            path,
            json(Map.of("state", "REVIEW_FAILED")),
            Map.of("X-Signet-Expected-State", "PENDING"));

    assertThat(first.status()).isEqualTo(200);
    assertThat(same.status()).isEqualTo(200);
    assertThat(contrary.status()).isEqualTo(400);
    assertThat(contrary.text("errorDescription"))
        .isEqualTo("The action is in state REVIEW_SUCCEEDED and cannot move to REVIEW_FAILED.");
    assertThat(badHeader.status()).isEqualTo(400);
    assertThat(call("GET", path, null).text("state")).isEqualTo("REVIEW_SUCCEEDED");
  }

  @Test
  void theServerApiSetsAnyStateOfABlockedActionButItsTokenStillProvesNothing() {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/blockTransfer", "{}");
    String path =
        "/v1/users/" + userId + "/actions/blockTransfer/" + tracked.text("idempotencyKey");
    assertThat(tracked.text("state")).isEqualTo("BLOCK");

    Reply review = call("PATCH", path, json(Map.of("state", "REVIEW_REQUIRED")));
    Reply allowed = call("PATCH", path, json(Map.of("state", "ALLOW")));

    assertThat(review.status()).isEqualTo(200);
    assertThat(review.text("state")).isEqualTo("REVIEW_REQUIRED");
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(call("GET", path, null).text("state")).isEqualTo("ALLOW");
    assertThat(call("GET", path, null).body().get("output").get("state").asText())
        .isEqualTo("BLOCK");
    Reply validated = call("POST", "/v1/validate", json(Map.of("token", tracked.text("token"))));
    assertThat(validated.body().get("isValid").asBoolean()).isFalse();
  }

  @Test
  void concurrentManualChangesEachMoveFromTheStateTheyFoundAndNoneIsLost() throws Exception {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/blockTransfer", "{}");
    String path =
        "/v1/users/" + userId + "/actions/blockTransfer/" + tracked.text("idempotencyKey");
    List<String> targets =
        List.of("ALLOW", "REVIEW_REQUIRED", "CHALLENGE_REQUIRED", "REVIEW_FAILED");

    List<java.util.concurrent.CompletableFuture<Reply>> racing =
        targets.stream()
            .map(
                target ->
                    java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> call("PATCH", path, json(Map.of("state", target)))))
            .toList();
    List<Reply> replies =
        racing.stream().map(java.util.concurrent.CompletableFuture::join).toList();

    String finalState = call("GET", path, null).text("state");
    assertThat(targets).contains(finalState);
    for (Reply reply : replies) {
      if (reply.status() == 200) {
        assertThat(reply.text("state")).isIn(targets);
      } else {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("errorCode")).isEqualTo("invalid_request");
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<ActionStateChanged> changes =
                  events().of(Topics.ACTION_STATE_CHANGED.name(), userId, ActionStateChanged.class);
              assertThat(changes).hasSizeGreaterThan(1);
              // Each accepted change moved from the state before it: no lost update.
              for (int i = 1; i < changes.size(); i++) {
                assertThat(changes.get(i).getPreviousState())
                    .isEqualTo(changes.get(i - 1).getState());
              }
              assertThat(changes.get(changes.size() - 1).getState().name()).isEqualTo(finalState);
              assertThat(changes.size() - 1)
                  .isEqualTo((int) replies.stream().filter(r -> r.status() == 200).count());
            });
  }

  @Test
  void listsAUsersActionsNewestFirstWithFilters() {
    String userId = enrolledUser();
    Instant start = Instant.now();
    call(
        "POST",
        "/v1/users/" + userId + "/actions/allowLogin",
        json(Map.of("ipAddress", "2001:db8::1", "userAgent", "ua-1")));
    call("POST", "/v1/users/" + userId + "/actions/blockLogin", "{}");
    call("POST", "/v1/users/" + userId + "/actions/signIn", "{}");

    Reply all = call("GET", "/v1/users/" + userId + "/actions", null);
    Reply codes = call("GET", "/v1/users/" + userId + "/actions?codes=allowLogin,blockLogin", null);
    Reply blocked = call("GET", "/v1/users/" + userId + "/actions?state=BLOCK", null);
    Reply future =
        call("GET", "/v1/users/" + userId + "/actions?fromDate=" + start.plusSeconds(3600), null);

    assertThat(all.body().size()).isEqualTo(3);
    assertThat(all.body().get(0).get("actionCode").asText()).isEqualTo("signIn");
    JsonNode allowed = all.body().get(2);
    assertThat(allowed.get("actionCode").asText()).isEqualTo("allowLogin");
    assertThat(allowed.get("state").asText()).isEqualTo("ALLOW");
    assertThat(allowed.get("ipAddress").asText()).isEqualTo("2001:db8::1");
    assertThat(allowed.get("userAgent").asText()).isEqualTo("ua-1");
    assertThat(allowed.get("idempotencyKey").asText()).isNotBlank();
    for (String field : List.of("createdAt", "updatedAt", "stateUpdatedAt")) {
      assertThat(Instant.parse(allowed.get(field).asText()))
          .isAfterOrEqualTo(start.minusSeconds(1));
    }
    assertThat(codes.body().size()).isEqualTo(2);
    assertThat(blocked.body().size()).isEqualTo(1);
    assertThat(blocked.body().get(0).get("actionCode").asText()).isEqualTo("blockLogin");
    assertThat(future.body().size()).isZero();
  }

  @Test
  void anActionLeftDecidingByADeadInstanceGetsItsFallbackWhenRead() {
    String userId = newUserId();
    String key = UUID.randomUUID().toString();
    Date past = Date.from(Instant.now().minusSeconds(30));
    mongo
        .insert(
            new Document("_id", ActionStore.id(userId, "signIn", key))
                .append("userId", userId)
                .append("actionCode", "signIn")
                .append("idempotencyKey", key)
                .append("state", "DECIDING")
                .append("createdAt", past)
                .append("updatedAt", past)
                .append("stateUpdatedAt", past)
                .append("isEnrolled", true)
                .append("decisionDeadline", past)
                .append("outbox", List.of()),
            "actions")
        .block();

    Reply read = call("GET", "/v1/users/" + userId + "/actions/signIn/" + key, null);

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.text("state")).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(read.body().get("ruleIds").get(0).asText()).isEqualTo(Action.FALLBACK_RULE_ID);
  }

  @Test
  void refusesBadInputWithTheDocumentedErrors() {
    String userId = enrolledUser();
    Map<String, Object> tooMany = new LinkedHashMap<>();
    for (int i = 0; i < 51; i++) {
      tooMany.put("k" + i, i);
    }
    List<String[]> cases =
        List.of(
            new String[] {"POST", "/v1/users/" + userId + "/actions/bad.code", "{}", "400"},
            new String[] {
              "POST", "/v1/users/" + userId + "/actions/" + "a".repeat(65), "{}", "400"
            },
            new String[] {"POST", "/v1/users/a%2Fb/actions/signIn", "{}", "400"},
            new String[] {"POST", "/v1/users/a%20b/actions/signIn", "{}", "400"},
            new String[] {"POST", "/v1/users/a%252Fb/actions/signIn", "{}", "400"},
            new String[] {
              "POST", "/v1/users/" + userId + "/actions/signIn", "{\"scope\":\"admin:all\"}", "400"
            },
            new String[] {
              "POST",
              "/v1/users/" + userId + "/actions/signIn",
              "{\"custom\":{\"a\":{\"b\":1}}}",
              "400"
            },
            new String[] {
              "POST", "/v1/users/" + userId + "/actions/signIn", "{\"custom\":[1]}", "400"
            },
            new String[] {
              "POST",
              "/v1/users/" + userId + "/actions/signIn",
              json(Map.of("custom", tooMany)),
              "400"
            },
            new String[] {
              "POST",
              "/v1/users/" + userId + "/actions/signIn",
              "{\"ipAddress\":\"evil.com\"}",
              "400"
            },
            new String[] {
              "POST",
              "/v1/users/" + userId + "/actions/signIn",
              "{\"idempotencyKey\":\"a/b\"}",
              "400"
            },
            new String[] {
              "POST", "/v1/users/" + userId + "/actions/signIn", "{\"deviceId\":{\"$ne\":1}}", "400"
            },
            new String[] {
              "POST",
              "/v1/users/" + userId + "/actions/signIn",
              "{\"redirectUrl\":\"javascript:x\"}",
              "400"
            },
            new String[] {"GET", "/v1/users/" + userId + "/actions/signIn/nope", null, "404"},
            new String[] {
              "PATCH",
              "/v1/users/" + userId + "/actions/signIn/nope",
              "{\"state\":\"REVIEW_SUCCEEDED\"}",
              "404"
            },
            new String[] {
              "PATCH",
              "/v1/users/" + userId + "/actions/signIn/nope",
              "{\"state\":\"APPROVED\"}",
              "400"
            },
            new String[] {"GET", "/v1/users/" + userId + "/actions?state=NOPE", null, "400"},
            new String[] {
              "GET", "/v1/users/" + userId + "/actions?fromDate=yesterday", null, "400"
            },
            new String[] {"GET", "/v1/users/" + userId + "/actions?codes=a,b.c", null, "400"});
    for (String[] c : cases) {
      Reply reply = call(c[0], c[1], c[2]);
      assertThat(reply.status())
          .as(c[0] + " " + c[1] + " " + c[2])
          .isEqualTo(Integer.parseInt(c[3]));
      assertThat(reply.text("error")).as(c[1]).isIn("invalid_request", "not_found");
      assertThat(reply.text("errorDescription")).as(c[1]).isNotBlank();
    }
    StringBuilder huge = new StringBuilder("{\"custom\":{");
    for (int i = 0; i < 10_000; i++) {
      huge.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    huge.append("}}");
    Reply tooLarge = call("POST", "/v1/users/" + userId + "/actions/signIn", huge.toString());
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.text("error")).isEqualTo("payload_too_large");
    assertThat(RULES.requestsFor(userId)).isEmpty();
  }

  private String enrolledUser() {
    String userId = newUserId();
    Reply enrolled =
        call(
            "POST",
            "/v1/users/" + userId + "/authenticators",
            json(
                Map.of(
                    "verificationMethod",
                    "SMS",
                    "phoneNumber",
                    "+44770090" + String.format("%04d", PHONES.incrementAndGet()))));
    assertThat(enrolled.status()).as(enrolled.raw()).isEqualTo(200);
    return userId;
  }
}
