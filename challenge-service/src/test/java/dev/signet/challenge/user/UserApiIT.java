package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.events.Topics;
import dev.signet.events.authenticator.AuthenticatorChange;
import dev.signet.events.authenticator.AuthenticatorChangeSource;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.authenticator.AuthenticatorRemoved;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.user.UserDeleted;
import dev.signet.events.user.UserUpdated;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

class UserApiIT extends UserItSupport {

  private static final Duration EVENTS = Duration.ofSeconds(20);

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired UserStore store;
  @Autowired dev.signet.platform.outbox.Outbox outbox;

  @Test
  void unknownUserReadsAsNotEnrolledWithEmptyAttributes() {
    String userId = newUserId();

    Reply reply = call("GET", "/v1/users/" + userId, null);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode user = reply.body();
    assertThat(user.get("userId").asText()).isEqualTo(userId);
    assertThat(user.get("isEnrolled").asBoolean()).isFalse();
    assertThat(user.has("email")).isFalse();
    assertThat(user.get("emailVerified").asBoolean()).isFalse();
    assertThat(user.has("phoneNumber")).isFalse();
    assertThat(user.get("phoneNumberVerified").asBoolean()).isFalse();
    assertThat(user.has("username")).isFalse();
    assertThat(user.has("displayName")).isFalse();
    assertThat(user.has("custom")).isFalse();
    assertThat(user.has("locale")).isFalse();
    assertThat(user.get("enrolledVerificationMethods")).isEmpty();
    assertThat(user.get("allowedVerificationMethods").get(0).asText()).isEqualTo("SMS");
    assertThat(user.has("defaultVerificationMethod")).isFalse();
    assertThat(call("GET", "/v1/users/" + userId + "/authenticators", null).body()).isEmpty();
    assertThat(documentOf(userId)).isNull();
  }

  @Test
  void partialUpdatesCreateTheUserKeepOmittedFieldsAndClearExplicitNulls() {
    String userId = newUserId();
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("email", "jane@example.com");
    first.put("emailVerified", true);
    first.put("username", "jane");
    first.put("custom", Map.of("plan", "gold", "seats", 3));
    first.put("locale", "en-GB");

    Reply created = call("PATCH", "/v1/users/" + userId, json(first));
    Reply renamed = call("POST", "/v1/users/" + userId, json(Map.of("displayName", "Jane D")));
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("email", null);
    Reply cleared = call("PATCH", "/v1/users/" + userId, json(clear));

    assertThat(created.status()).isEqualTo(200);
    assertThat(created.text("email")).isEqualTo("jane@example.com");
    assertThat(created.body().get("custom").get("seats").asInt()).isEqualTo(3);
    assertThat(renamed.text("displayName")).isEqualTo("Jane D");
    assertThat(renamed.text("email")).isEqualTo("jane@example.com");
    assertThat(renamed.text("username")).isEqualTo("jane");
    assertThat(renamed.text("locale")).isEqualTo("en-GB");
    assertThat(cleared.body().has("email")).isFalse();
    assertThat(cleared.text("displayName")).isEqualTo("Jane D");
    JsonNode read = call("GET", "/v1/users/" + userId, null).body();
    assertThat(read).isEqualTo(cleared.body());

    await()
        .atMost(EVENTS)
        .until(
            () -> events().of(Topics.USER_UPDATED.name(), userId, UserUpdated.class).size() == 3);
    List<UserUpdated> updates = events().of(Topics.USER_UPDATED.name(), userId, UserUpdated.class);
    assertThat(updates.get(0).getCreated()).isTrue();
    assertThat(updates.get(0).getEmailMasked()).isEqualTo("j***@example.com");
    assertThat(updates.get(0).getChangedFields())
        .containsExactly("email", "emailVerified", "username", "custom", "locale");
    assertThat(updates.get(1).getCreated()).isFalse();
    assertThat(updates.get(1).getChangedFields()).containsExactly("displayName");
    assertThat(updates.get(2).getChangedFields()).containsExactly("email");
    assertThat(updates.get(2).getEmailMasked()).isNull();
    assertThat(updates).allSatisfy(u -> assertThat(u.toString()).doesNotContain("jane@"));
  }

  @Test
  void anUnchangedUpdateWritesNothingAndEmitsNothing() {
    String userId = newUserId();
    call("PATCH", "/v1/users/" + userId, json(Map.of("username", "same")));
    long version = documentOf(userId).get("version", Number.class).longValue();

    Reply again = call("PATCH", "/v1/users/" + userId, json(Map.of("username", "same")));

    assertThat(again.status()).isEqualTo(200);
    assertThat(documentOf(userId).get("version", Number.class).longValue()).isEqualTo(version);
    await()
        .atMost(EVENTS)
        .until(
            () -> events().of(Topics.USER_UPDATED.name(), userId, UserUpdated.class).size() == 1);
  }

  @Test
  void unknownFieldsAreIgnoredAndNeverStored() {
    String userId = newUserId();
    String body =
        "{\"isEnrolled\":true,\"verified\":true,\"authenticators\":[{\"phoneNumber\":"
            + "\"+447700900999\"}],\"version\":99,\"outbox\":[],\"_id\":\"other\","
            + "\"username\":\"mallory\"}";

    Reply reply = call("PATCH", "/v1/users/" + userId, body);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("isEnrolled").asBoolean()).isFalse();
    Document doc = documentOf(userId);
    assertThat(doc.getString("_id")).isEqualTo(userId);
    assertThat(doc.containsKey("verified")).isFalse();
    assertThat(doc.containsKey("isEnrolled")).isFalse();
    assertThat(doc.getList("authenticators", Document.class)).isEmpty();
    assertThat(doc.get("version", Number.class).longValue()).isEqualTo(1L);
    assertThat(documentOf("other")).isNull();
  }

  @Test
  void enrolsAVerifiedSmsAuthenticatorOncePerNumber() {
    String userId = newUserId();
    Instant before = Instant.now().minusSeconds(1);

    Reply enrolled =
        call(
            "POST",
            "/v1/users/" + userId + "/authenticators",
            json(Map.of("verificationMethod", "SMS", "phoneNumber", "+44 7700 900123")));
    Reply again =
        call(
            "POST",
            "/v1/users/" + userId + "/authenticators",
            json(Map.of("verificationMethod", "SMS", "phoneNumber", "+447700900123")));

    assertThat(enrolled.status()).isEqualTo(200);
    JsonNode authenticator = enrolled.body().get("authenticator");
    assertThat(enrolled.body().has("recoveryCodes")).isFalse();
    assertThat(authenticator.get("userId").asText()).isEqualTo(userId);
    assertThat(authenticator.get("verificationMethod").asText()).isEqualTo("SMS");
    assertThat(authenticator.get("phoneNumber").asText()).isEqualTo("+447700900123");
    assertThat(authenticator.get("isDefault").asBoolean()).isTrue();
    assertThat(authenticator.has("previousSmsChannel")).isFalse();
    assertThat(Instant.parse(authenticator.get("createdAt").asText())).isAfter(before);
    assertThat(Instant.parse(authenticator.get("verifiedAt").asText())).isAfter(before);
    assertThat(Instant.parse(authenticator.get("lastVerifiedAt").asText())).isAfter(before);
    assertThat(again.body().get("authenticator")).isEqualTo(authenticator);

    JsonNode user = call("GET", "/v1/users/" + userId, null).body();
    assertThat(user.get("isEnrolled").asBoolean()).isTrue();
    assertThat(user.get("enrolledVerificationMethods").get(0).asText()).isEqualTo("SMS");
    assertThat(user.get("defaultVerificationMethod").asText()).isEqualTo("SMS");
    JsonNode list = call("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(list).hasSize(1);
    assertThat(list.get(0)).isEqualTo(authenticator);

    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                        .of(
                            Topics.AUTHENTICATOR_ENROLLED.name(),
                            userId,
                            AuthenticatorEnrolled.class)
                        .size()
                    == 1);
    AuthenticatorEnrolled event =
        events()
            .of(Topics.AUTHENTICATOR_ENROLLED.name(), userId, AuthenticatorEnrolled.class)
            .get(0);
    assertThat(event.getUserAuthenticatorId())
        .isEqualTo(authenticator.get("userAuthenticatorId").asText());
    assertThat(event.getPhoneNumberMasked()).isEqualTo("+44******0123");
    assertThat(event.getCountryCode()).isEqualTo("GB");
    assertThat(event.getSource()).isEqualTo(AuthenticatorChangeSource.SERVER_API);
    assertThat(event.getIsDefault()).isTrue();
    UserUpdated createdUser =
        events().of(Topics.USER_UPDATED.name(), userId, UserUpdated.class).get(0);
    assertThat(createdUser.getCreated()).isTrue();
    assertThat(createdUser.getIsEnrolled()).isTrue();
    assertThat(events().all())
        .allSatisfy(r -> assertThat(String.valueOf(r.value())).doesNotContain("7700900123"));
    await()
        .atMost(EVENTS)
        .until(() -> documentOf(userId).getList("outbox", Document.class).isEmpty());
  }

  @Test
  void aVerifiedNewPhoneNumberMovesTheSmsAuthenticator() {
    String userId = newUserId();
    String authenticatorId = enrol(userId, "+447700900111");

    Reply moved =
        call(
            "PATCH",
            "/v1/users/" + userId,
            json(Map.of("phoneNumber", "+447700900222", "phoneNumberVerified", true)));

    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.text("phoneNumber")).isEqualTo("+447700900222");
    assertThat(moved.body().get("phoneNumberVerified").asBoolean()).isTrue();
    JsonNode list = call("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("userAuthenticatorId").asText()).isEqualTo(authenticatorId);
    assertThat(list.get(0).get("phoneNumber").asText()).isEqualTo("+447700900222");
    await()
        .atMost(EVENTS)
        .until(
            () ->
                !events()
                    .of(Topics.AUTHENTICATOR_UPDATED.name(), userId, AuthenticatorUpdated.class)
                    .isEmpty());
    AuthenticatorUpdated event =
        events().of(Topics.AUTHENTICATOR_UPDATED.name(), userId, AuthenticatorUpdated.class).get(0);
    assertThat(event.getUserAuthenticatorId()).isEqualTo(authenticatorId);
    assertThat(event.getChanges())
        .containsExactly(AuthenticatorChange.PHONE_NUMBER, AuthenticatorChange.VERIFIED);
    assertThat(event.getPhoneNumberMasked()).isEqualTo("+44******0222");
    assertThat(event.getPreviousPhoneNumberMasked()).isEqualTo("+44******0111");
    assertThat(event.getSource()).isEqualTo(AuthenticatorChangeSource.USER_UPDATE);
  }

  @Test
  void aNewPhoneNumberWithoutVerificationLeavesTheAuthenticatorAlone() {
    String userId = newUserId();
    enrol(userId, "+447700900333");

    Reply reply =
        call("PATCH", "/v1/users/" + userId, json(Map.of("phoneNumber", "+447700900444")));

    assertThat(reply.body().get("phoneNumberVerified").asBoolean()).isFalse();
    JsonNode list = call("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(list.get(0).get("phoneNumber").asText()).isEqualTo("+447700900333");
  }

  @Test
  void removesAnAuthenticatorAndPromotesTheNextToDefault() {
    String userId = newUserId();
    String first = enrol(userId, "+447700900501");
    String second = enrol(userId, "+447700900502");

    Reply unknown =
        call("DELETE", "/v1/users/" + userId + "/authenticators/no-such-authenticator", null);
    Reply removed = call("DELETE", "/v1/users/" + userId + "/authenticators/" + first, null);
    Reply removedAgain = call("DELETE", "/v1/users/" + userId + "/authenticators/" + first, null);
    Reply otherUser =
        call("DELETE", "/v1/users/" + newUserId() + "/authenticators/" + second, null);

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text("error")).isEqualTo("not_found");
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.body().get("success").asBoolean()).isTrue();
    assertThat(removedAgain.status()).isEqualTo(404);
    assertThat(otherUser.status()).isEqualTo(404);
    JsonNode list = call("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("userAuthenticatorId").asText()).isEqualTo(second);
    assertThat(list.get(0).get("isDefault").asBoolean()).isTrue();
    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                        .of(Topics.AUTHENTICATOR_REMOVED.name(), userId, AuthenticatorRemoved.class)
                        .size()
                    == 1);
    AuthenticatorRemoved event =
        events().of(Topics.AUTHENTICATOR_REMOVED.name(), userId, AuthenticatorRemoved.class).get(0);
    assertThat(event.getUserAuthenticatorId()).isEqualTo(first);
    assertThat(event.getRemainingAuthenticators()).isEqualTo(1);
    assertThat(event.getPhoneNumberMasked()).isEqualTo("+44******0501");
    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                    .of(Topics.AUTHENTICATOR_UPDATED.name(), userId, AuthenticatorUpdated.class)
                    .stream()
                    .anyMatch(
                        u ->
                            u.getUserAuthenticatorId().equals(second)
                                && u.getChanges().contains(AuthenticatorChange.DEFAULT)
                                && u.getIsDefault()));
  }

  @Test
  void deletingAUserRemovesEverythingIdempotently() {
    String userId = newUserId();
    call("PATCH", "/v1/users/" + userId, json(Map.of("email", "gone@example.com")));
    String authenticatorId = enrol(userId, "+447700900601");

    Reply deleted = call("DELETE", "/v1/users/" + userId, null);
    Reply deletedAgain = call("DELETE", "/v1/users/" + userId, null);
    Reply unknown = call("DELETE", "/v1/users/" + newUserId(), null);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().get("success").asBoolean()).isTrue();
    assertThat(deletedAgain.body().get("success").asBoolean()).isTrue();
    assertThat(unknown.body().get("success").asBoolean()).isTrue();
    JsonNode user = call("GET", "/v1/users/" + userId, null).body();
    assertThat(user.get("isEnrolled").asBoolean()).isFalse();
    assertThat(user.has("email")).isFalse();
    assertThat(call("GET", "/v1/users/" + userId + "/authenticators", null).body()).isEmpty();
    await()
        .atMost(EVENTS)
        .until(
            () -> events().of(Topics.USER_DELETED.name(), userId, UserDeleted.class).size() == 1);
    assertThat(
            events()
                .of(Topics.USER_DELETED.name(), userId, UserDeleted.class)
                .get(0)
                .getRemovedAuthenticatorIds())
        .containsExactly(authenticatorId);
    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                    .of(Topics.AUTHENTICATOR_REMOVED.name(), userId, AuthenticatorRemoved.class)
                    .stream()
                    .anyMatch(r -> r.getSource() == AuthenticatorChangeSource.USER_DELETED));
    // Once its events are out, the tombstone goes too: no personal data is left behind.
    await().atMost(EVENTS).until(() -> documentOf(userId) == null);

    Reply recreated = call("PATCH", "/v1/users/" + userId, json(Map.of("username", "back")));
    assertThat(recreated.text("username")).isEqualTo("back");
    assertThat(recreated.body().has("email")).isFalse();
  }

  @Test
  void queriesUsersByAttributeWithCursorPaging() {
    String username = "query-" + newUserId();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String userId = "q" + i + "-" + newUserId();
      ids.add(userId);
      call("PATCH", "/v1/users/" + userId, json(Map.of("username", username)));
    }
    ids.sort(String::compareTo);
    String phoneUser = newUserId();
    enrol(phoneUser, "+447700900701");
    String emailUser = newUserId();
    call("PATCH", "/v1/users/" + emailUser, json(Map.of("email", emailUser + "@example.com")));

    Reply page1 = call("GET", "/v1/users?username=" + username + "&limit=2", null);
    Reply page2 =
        call(
            "GET",
            "/v1/users?username="
                + username
                + "&limit=2&lastEvaluatedUserId="
                + page1.text("lastEvaluatedUserId"),
            null);
    Reply byPhone = call("GET", "/v1/users?phoneNumber=%2B44%207700%20900701", null);
    Reply byEmail = call("GET", "/v1/users?email=" + emailUser + "%40example.com", null);
    Reply none = call("GET", "/v1/users?username=nobody-" + newUserId(), null);

    assertThat(page1.status()).isEqualTo(200);
    assertThat(userIds(page1)).containsExactly(ids.get(0), ids.get(1));
    assertThat(page1.text("lastEvaluatedUserId")).isEqualTo(ids.get(1));
    assertThat(userIds(page2)).containsExactly(ids.get(2));
    assertThat(page2.body().has("lastEvaluatedUserId")).isFalse();
    assertThat(userIds(byPhone)).containsExactly(phoneUser);
    assertThat(byPhone.body().get("users").get(0).get("isEnrolled").asBoolean()).isTrue();
    assertThat(userIds(byEmail)).containsExactly(emailUser);
    assertThat(userIds(none)).isEmpty();
  }

  @Test
  void concurrentWritesNeverLoseAnUpdate() throws Exception {
    String userId = newUserId();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<CompletableFuture<Reply>> enrolments = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String phone = "+4477009008" + (10 + i);
        enrolments.add(
            CompletableFuture.supplyAsync(
                () ->
                    call(
                        "POST",
                        "/v1/users/" + userId + "/authenticators",
                        json(Map.of("verificationMethod", "SMS", "phoneNumber", phone))),
                pool));
      }
      List<CompletableFuture<Reply>> patches = new ArrayList<>();
      patches.add(patch(pool, userId, Map.of("email", "race@example.com")));
      patches.add(patch(pool, userId, Map.of("username", "racer")));
      patches.add(patch(pool, userId, Map.of("displayName", "Race Condition")));
      patches.add(patch(pool, userId, Map.of("locale", "de-DE")));
      for (CompletableFuture<Reply> f : enrolments) {
        assertThat(f.get().status()).isEqualTo(200);
      }
      for (CompletableFuture<Reply> f : patches) {
        assertThat(f.get().status()).isEqualTo(200);
      }
    } finally {
      pool.shutdown();
    }

    JsonNode user = call("GET", "/v1/users/" + userId, null).body();
    assertThat(user.get("email").asText()).isEqualTo("race@example.com");
    assertThat(user.get("username").asText()).isEqualTo("racer");
    assertThat(user.get("displayName").asText()).isEqualTo("Race Condition");
    assertThat(user.get("locale").asText()).isEqualTo("de-DE");
    JsonNode list = call("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(list).hasSize(10);
    Set<String> ids = new HashSet<>();
    int defaults = 0;
    for (JsonNode a : list) {
      ids.add(a.get("userAuthenticatorId").asText());
      defaults += a.get("isDefault").asBoolean() ? 1 : 0;
    }
    assertThat(ids).hasSize(10);
    assertThat(defaults).isEqualTo(1);
    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                        .of(
                            Topics.AUTHENTICATOR_ENROLLED.name(),
                            userId,
                            AuthenticatorEnrolled.class)
                        .size()
                    == 10);
    assertThat(
            events().of(Topics.USER_UPDATED.name(), userId, UserUpdated.class).stream()
                .filter(UserUpdated::getCreated)
                .count())
        .isEqualTo(1);
  }

  @Test
  void storeLookupsServeTheClientApi() {
    String userId = newUserId();

    var enrolled = store.enrolVerified(userId, "+447700900901").block();
    var found = store.smsAuthenticator(userId).block();
    var verified =
        store.recordVerification(userId, enrolled.userAuthenticatorId(), "ch-1", "corr-1").block();

    assertThat(found).contains(enrolled);
    assertThat(enrolled.isDefault()).isTrue();
    assertThat(verified).isPresent();
    assertThat(store.smsAuthenticator(newUserId()).block()).isEmpty();
    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                    .of(Topics.AUTHENTICATOR_ENROLLED.name(), userId, AuthenticatorEnrolled.class)
                    .stream()
                    .anyMatch(e -> e.getSource() == AuthenticatorChangeSource.CLIENT_API));
    await()
        .atMost(EVENTS)
        .until(
            () ->
                events()
                    .of(Topics.AUTHENTICATOR_UPDATED.name(), userId, AuthenticatorUpdated.class)
                    .stream()
                    .anyMatch(
                        e ->
                            "ch-1".equals(e.getChallengeId())
                                && "corr-1".equals(e.getCorrelationId())
                                && e.getChanges().contains(AuthenticatorChange.VERIFIED)));
  }

  @Test
  void theRelayPublishesEventsLeftInAUsersOutboxByACrash() {
    String userId = newUserId();
    call("PATCH", "/v1/users/" + userId, json(Map.of("username", "crash")));
    await()
        .atMost(EVENTS)
        .until(() -> documentOf(userId).getList("outbox", Document.class).isEmpty());
    // As if the process died after the write and before the publish: the event sits in the outbox.
    UserUpdated stranded =
        UserUpdated.newBuilder()
            .setEventId("stranded-" + userId)
            .setOccurredAt(Instant.now())
            .setCorrelationId("crash")
            .setUserId(userId)
            .build();
    Document pending =
        outbox
            .wrap(stranded.getEventId(), Topics.USER_UPDATED.name(), userId, stranded)
            .toDocument();
    pending.put("createdAt", java.util.Date.from(Instant.now().minusSeconds(60)));
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(userId)),
            new org.springframework.data.mongodb.core.query.Update().push("outbox", pending),
            "users")
        .block(Duration.ofSeconds(5));

    await()
        .atMost(EVENTS)
        .until(
            () ->
                events().of(Topics.USER_UPDATED.name(), userId, UserUpdated.class).stream()
                    .anyMatch(e -> e.getEventId().equals(stranded.getEventId())));
    await()
        .atMost(EVENTS)
        .until(() -> documentOf(userId).getList("outbox", Document.class).isEmpty());
  }

  private CompletableFuture<Reply> patch(
      ExecutorService pool, String userId, Map<String, Object> body) {
    return CompletableFuture.supplyAsync(
        () -> call("PATCH", "/v1/users/" + userId, json(body)), pool);
  }

  private String enrol(String userId, String phone) {
    Reply reply =
        call(
            "POST",
            "/v1/users/" + userId + "/authenticators",
            json(Map.of("verificationMethod", "SMS", "phoneNumber", phone)));
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().get("authenticator").get("userAuthenticatorId").asText();
  }

  private static List<String> userIds(Reply reply) {
    List<String> ids = new ArrayList<>();
    reply.body().get("users").forEach(u -> ids.add(u.get("userId").asText()));
    return ids;
  }

  private Document documentOf(String userId) {
    return mongo
        .findOne(Query.query(Criteria.where("_id").is(userId)), Document.class, "users")
        .block(Duration.ofSeconds(5));
  }
}
