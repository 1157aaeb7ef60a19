package dev.signet.challenge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.events.Topics;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios S2 (challenge and verify for a tracked action) and S3 (enrolment, number change) on the
 * client API, with every state checked through the server API and the published events, and the
 * attempts to break it: other actions' and users' tokens, replays, missing scopes.
 */
class ClientApiIT extends ClientItSupport {

  // --- S2: the second factor of a tracked action ---

  @Test
  void aVerifiedCodeMovesTheActionToChallengeSucceededBeforeTheAnswer() {
    String userId = newUserId();
    String authenticatorId = enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "transfer", "CHALLENGE_REQUIRED", "");

    Reply challenge = client("/v1/client/challenge/sms", token, null);
    assertThat(challenge.status()).as(challenge.raw()).isEqualTo(200);
    String challengeId = challenge.text("challengeId");
    String code = codeOf(challengeId, 1);

    Reply wrong = client("/v1/client/verify/sms", token, verifyBody(wrong(code)));
    assertThat(wrong.status()).isEqualTo(200);
    assertThat(wrong.body().get("isVerified").asBoolean()).isFalse();
    assertThat(wrong.text("failureReason")).isEqualTo("CODE_INVALID_OR_EXPIRED");
    assertThat(wrong.body().has("accessToken")).isFalse();
    assertThat(stateOf(token)).isEqualTo("CHALLENGE_REQUIRED");

    Reply verified = client("/v1/client/verify/sms", token, verifyBody(code));
    assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
    assertThat(verified.body().get("isVerified").asBoolean()).isTrue();
    assertThat(verified.body().has("failureReason")).isFalse();
    assertThat(verified.body().has("userAuthenticator")).isFalse();
    String accessToken = verified.text("accessToken");
    assertThat(accessToken).isNotBlank().isNotEqualTo(token);

    // No waiting: the state moved before the answer left.
    JsonNode validated = validate(accessToken);
    assertThat(validated.path("isValid").asBoolean()).isTrue();
    assertThat(validated.path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");
    assertThat(validated.path("userId").asText()).isEqualTo(userId);
    assertThat(validated.path("actionCode").asText()).isEqualTo("transfer");
    assertThat(validated.path("verificationMethod").asText()).isEqualTo("SMS");
    assertThat(stateOf(token)).isEqualTo("CHALLENGE_SUCCEEDED");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<ActionStateChanged> moves =
                  events().of(Topics.ACTION_STATE_CHANGED.name(), userId, ActionStateChanged.class);
              assertThat(moves)
                  .anySatisfy(
                      e -> {
                        assertThat(e.getState().name()).isEqualTo("CHALLENGE_SUCCEEDED");
                        assertThat(e.getPreviousState().name()).isEqualTo("CHALLENGE_REQUIRED");
                        assertThat(String.valueOf(e.getChallengeId())).isEqualTo(challengeId);
                      });
              assertThat(
                      events()
                          .of(
                              Topics.AUTHENTICATOR_UPDATED.name(),
                              userId,
                              AuthenticatorUpdated.class))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getUserAuthenticatorId()).isEqualTo(authenticatorId);
                        assertThat(String.valueOf(e.getChallengeId())).isEqualTo(challengeId);
                      });
            });
  }

  @Test
  void theCodeIsRequestedForTheActionWithTheTrackedIpAddressAndTheUsersLocale() {
    String userId = newUserId();
    String authenticatorId = enrolThroughServerApi(userId, newPhoneNumber());
    server("PATCH", "/v1/users/" + userId, "{\"locale\":\"fr-FR\"}");
    String token = actionToken(userId, "transfer", "CHALLENGE_REQUIRED", "");
    TokenClaims claims =
        ((dev.signet.challenge.token.TokenVerification.Valid) tokens.verify(token)).claims();
    mongo
        .updateFirst(
            org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id")
                    .is(
                        dev.signet.challenge.action.ActionStore.id(
                            userId, "transfer", claims.idempotencyKey()))),
            new org.springframework.data.mongodb.core.query.Update()
                .set("ipAddress", "203.0.113.9"),
            "actions")
        .block();

    String challengeId = client("/v1/client/challenge/sms", token, null).text("challengeId");
    codeOf(challengeId, 1);

    ChallengeRequested requested =
        events()
            .of(Topics.CHALLENGE_REQUESTED.name(), challengeId, ChallengeRequested.class)
            .get(0);
    assertThat(requested.getPurpose().name()).isEqualTo("ACTION");
    assertThat(requested.getAction()).isEqualTo("transfer");
    assertThat(String.valueOf(requested.getUserId())).isEqualTo(userId);
    assertThat(String.valueOf(requested.getUserAuthenticatorId())).isEqualTo(authenticatorId);
    assertThat(String.valueOf(requested.getIpAddress())).isEqualTo("203.0.113.9");
    assertThat(String.valueOf(requested.getLocale())).isEqualTo("fr-FR");
  }

  @Test
  void aTokenReplayedAfterSuccessCannotSucceedAgain() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", token, "{}").text("challengeId");
    String code = codeOf(challengeId, 1);
    assertThat(client("/v1/client/verify/sms", token, verifyBody(code)).text("accessToken"))
        .isNotNull();

    Reply replayed = client("/v1/client/verify/sms", token, verifyBody(code));
    Reply rechallenged = client("/v1/client/challenge/sms", token, null);

    assertClientError(replayed, 400, "invalid_request");
    assertThat(replayed.text("errorDescription")).contains("CHALLENGE_SUCCEEDED");
    assertClientError(rechallenged, 400, "invalid_request");
    assertThat(stateOf(token)).isEqualTo("CHALLENGE_SUCCEEDED");
  }

  @Test
  void concurrentCorrectSubmissionsSucceedExactlyOnce() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", token, null).text("challengeId");
    String code = codeOf(challengeId, 1);

    List<Reply> replies =
        java.util.stream.IntStream.range(0, 6)
            .parallel()
            .mapToObj(i -> client("/v1/client/verify/sms", token, verifyBody(code)))
            .toList();

    assertThat(replies.stream().filter(r -> r.status() == 200 && r.text("accessToken") != null))
        .hasSize(1);
    assertThat(stateOf(token)).isEqualTo("CHALLENGE_SUCCEEDED");
  }

  @Test
  void aDoubleClickStartsOneChallengeAndSendsOneCode() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");

    List<Reply> replies =
        java.util.stream.IntStream.range(0, 6)
            .parallel()
            .mapToObj(i -> client("/v1/client/challenge/sms", token, null))
            .toList();

    List<String> challengeIds =
        replies.stream().filter(r -> r.status() == 200).map(r -> r.text("challengeId")).toList();
    assertThat(challengeIds).isNotEmpty();
    assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
    assertThat(java.util.Set.copyOf(challengeIds)).hasSize(1);
    String challengeId = challengeIds.get(0);
    String code = codeOf(challengeId, 1);
    assertThat(
            events().of(Topics.CHALLENGE_REQUESTED.name(), challengeId, ChallengeRequested.class))
        .hasSize(1);
    assertThat(client("/v1/client/verify/sms", token, verifyBody(code)).text("accessToken"))
        .isNotNull();
  }

  @Test
  void concurrentEnrolmentCallsAnnounceOneAuthenticator() {
    String userId = newUserId();
    String phone = newPhoneNumber();
    String token = actionToken(userId, "enrol", "ALLOW", "");

    List<Reply> replies =
        java.util.stream.IntStream.range(0, 5)
            .parallel()
            .mapToObj(i -> client("/v1/client/user-authenticators/sms", token, phoneBody(phone)))
            .toList();

    List<String> ids =
        replies.stream()
            .filter(r -> r.status() == 200)
            .map(r -> r.text("userAuthenticatorId"))
            .toList();
    assertThat(ids).isNotEmpty();
    assertThat(java.util.Set.copyOf(ids)).hasSize(1);
    Reply verified =
        client("/v1/client/verify/sms", token, verifyBody(codeOf(latestChallengeOf(token), 1)));
    assertThat(verified.body().get("userAuthenticator").get("userAuthenticatorId").asText())
        .isEqualTo(ids.get(0));
  }

  @Test
  void exhaustedAttemptsMoveTheActionToChallengeFailed() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "withdraw", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", token, null).text("challengeId");
    String code = codeOf(challengeId, 1);

    for (int i = 1; i <= 4; i++) {
      Reply reply = client("/v1/client/verify/sms", token, verifyBody(wrong(code)));
      assertThat(reply.text("failureReason")).isEqualTo("CODE_INVALID_OR_EXPIRED");
    }
    Reply last = client("/v1/client/verify/sms", token, verifyBody(wrong(code)));

    assertThat(last.body().get("isVerified").asBoolean()).isFalse();
    assertThat(last.text("failureReason")).isEqualTo("MAX_ATTEMPTS_EXCEEDED");
    assertThat(validate(token).path("isValid").asBoolean()).isFalse();
    assertThat(stateOf(token)).isEqualTo("CHALLENGE_FAILED");
    // The right code is worthless now, and no new challenge can be asked for.
    assertClientError(client("/v1/client/verify/sms", token, verifyBody(code)), 400, null);
    assertClientError(client("/v1/client/challenge/sms", token, null), 400, "invalid_request");
  }

  @Test
  void aResendSendsANewCodeAfterTheCooldownAndTheOldCodeDies() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", token, null).text("challengeId");
    String first = codeOf(challengeId, 1);

    Reply tooSoon = client("/v1/client/challenge/sms", token, null);
    assertClientError(tooSoon, 429, "too_many_requests");
    assertThat(tooSoon.header("Retry-After")).isNotNull();

    Reply resent =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client("/v1/client/challenge/sms", token, null), r -> r.status() == 200);
    assertThat(resent.text("challengeId")).isEqualTo(challengeId);
    String second = codeOf(challengeId, 2);

    if (!first.equals(second)) {
      Reply old = client("/v1/client/verify/sms", token, verifyBody(first));
      assertThat(old.body().get("isVerified").asBoolean()).isFalse();
    }
    assertThat(client("/v1/client/verify/sms", token, verifyBody(second)).text("accessToken"))
        .isNotNull();
  }

  @Test
  void aTokenOfAnotherActionCannotVerifyThisActionsCode() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String tokenA = actionToken(userId, "transfer", "CHALLENGE_REQUIRED", "");
    String tokenB = actionToken(userId, "transfer", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", tokenA, null).text("challengeId");
    String code = codeOf(challengeId, 1);

    Reply foreign = client("/v1/client/verify/sms", tokenB, verifyBody(code));

    assertClientError(foreign, 400, "invalid_request");
    assertThat(foreign.text("errorDescription")).contains("challenge");
    assertThat(stateOf(tokenB)).isEqualTo("CHALLENGE_REQUIRED");
    assertThat(stateOf(tokenA)).isEqualTo("CHALLENGE_REQUIRED");
  }

  @Test
  void aTokenOfAnotherUserCannotVerifyThisUsersCode() {
    String victim = newUserId();
    enrolThroughServerApi(victim, newPhoneNumber());
    String attacker = newUserId();
    enrolThroughServerApi(attacker, newPhoneNumber());
    String victimToken = actionToken(victim, "transfer", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/sms", victimToken, null).text("challengeId");
    String code = codeOf(challengeId, 1);
    // Same action code and idempotency key, other user: still another action.
    TokenClaims victimClaims =
        ((dev.signet.challenge.token.TokenVerification.Valid) tokens.verify(victimToken)).claims();
    actionStore
        .recordClaimedChallenge(
            attacker,
            "transfer",
            victimClaims.idempotencyKey(),
            dev.signet.challenge.action.ActionState.CHALLENGE_REQUIRED,
            null)
        .block();
    String attackerToken =
        tokens.issue(
            TokenKind.TRACK,
            new TokenClaims(attacker, "transfer", victimClaims.idempotencyKey(), "", TENANT));

    Reply reply = client("/v1/client/verify/sms", attackerToken, verifyBody(code));

    assertClientError(reply, 400, "invalid_request");
    assertThat(stateOf(victimToken)).isEqualTo("CHALLENGE_REQUIRED");
  }

  @Test
  void verifyWithoutAPriorChallengeIsAClearError() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");

    Reply reply = client("/v1/client/verify/sms", token, verifyBody("123456"));

    assertClientError(reply, 400, "invalid_request");
    assertThat(reply.text("errorDescription")).contains("call the challenge");
  }

  @Test
  void aUserWithoutAuthenticatorCannotBeChallenged() {
    String token = actionToken(newUserId(), "signIn", "CHALLENGE_REQUIRED", "");

    Reply reply = client("/v1/client/challenge/sms", token, null);

    assertClientError(reply, 400, "invalid_request");
    assertThat(reply.text("errorDescription")).contains("no SMS authenticator");
  }

  @Test
  void anActionThatNeedsNoChallengeCannotBeChallenged() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());

    for (String state : List.of("ALLOW", "BLOCK", "REVIEW_REQUIRED")) {
      Reply reply =
          client("/v1/client/challenge/sms", actionToken(userId, "signIn", state, ""), null);
      assertClientError(reply, 400, "invalid_request");
      assertThat(reply.text("errorDescription")).contains(state);
    }
  }

  @Test
  void whatsappCodesAreVerifiedOnTheWhatsappRouteOnly() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String token = actionToken(userId, "signIn", "CHALLENGE_REQUIRED", "");
    String challengeId = client("/v1/client/challenge/whatsapp", token, null).text("challengeId");
    String code = codeOf(challengeId, 1);

    assertClientError(client("/v1/client/verify/sms", token, verifyBody(code)), 400, null);
    Reply verified = client("/v1/client/verify/whatsapp", token, verifyBody(code));

    assertThat(verified.body().get("isVerified").asBoolean()).isTrue();
    assertThat(validate(verified.text("accessToken")).path("state").asText())
        .isEqualTo("CHALLENGE_SUCCEEDED");
  }

  // --- S3: enrolment and number change ---

  @Test
  void aUserWithoutAuthenticatorEnrolsTheFirstOneWithoutScope() {
    String userId = newUserId();
    String phone = newPhoneNumber();
    String token = actionToken(userId, "enrol", "ALLOW", "");

    Reply enrol = client("/v1/client/user-authenticators/sms", token, phoneBody(phone));
    assertThat(enrol.status()).as(enrol.raw()).isEqualTo(200);
    assertThat(enrol.text("userId")).isEqualTo(userId);
    String authenticatorId = enrol.text("userAuthenticatorId");
    assertThat(authenticatorId).isNotBlank();
    assertThat(server("GET", "/v1/users/" + userId + "/authenticators", null).body()).isEmpty();

    String challengeId = latestChallengeOf(token);
    Reply verified = client("/v1/client/verify/sms", token, verifyBody(codeOf(challengeId, 1)));

    assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
    assertThat(verified.body().get("isVerified").asBoolean()).isTrue();
    assertThat(verified.text("accessToken")).isNotBlank();
    JsonNode authenticator = verified.body().get("userAuthenticator");
    assertThat(authenticator.get("userAuthenticatorId").asText()).isEqualTo(authenticatorId);
    assertThat(authenticator.get("verificationMethod").asText()).isEqualTo("SMS");
    assertThat(authenticator.get("phoneNumber").asText()).isEqualTo(phone);
    assertThat(authenticator.get("isDefault").asBoolean()).isTrue();
    assertThat(authenticator.get("verifiedAt").asText()).isNotBlank();
    JsonNode stored = server("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).get("userAuthenticatorId").asText()).isEqualTo(authenticatorId);
    assertThat(server("GET", "/v1/users/" + userId, null).body().get("isEnrolled").asBoolean())
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        events()
                            .of(
                                Topics.AUTHENTICATOR_ENROLLED.name(),
                                userId,
                                AuthenticatorEnrolled.class))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getUserAuthenticatorId()).isEqualTo(authenticatorId);
                          assertThat(e.getSource().name()).isEqualTo("CLIENT_API");
                          assertThat(String.valueOf(e.getChallengeId())).isEqualTo(challengeId);
                        }));
    // The action itself is untouched by an enrolment.
    assertThat(stateOf(token)).isEqualTo("ALLOW");
  }

  @Test
  void anEnrolledUserNeedsTheAddScopeToAddAnAuthenticator() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String second = newPhoneNumber();

    Reply unscoped =
        client(
            "/v1/client/user-authenticators/sms",
            actionToken(userId, "addPhone", "ALLOW", ""),
            phoneBody(second));
    Reply unknownScopeOnly =
        client(
            "/v1/client/user-authenticators/sms",
            actionToken(userId, "addPhone", "ALLOW", "admin:everything read:authenticators"),
            phoneBody(second));
    assertClientError(unscoped, 401, "unauthorized");
    assertThat(unscoped.text("errorDescription")).contains("add:authenticators");
    assertClientError(unknownScopeOnly, 401, "unauthorized");

    String token = actionToken(userId, "addPhone", "ALLOW", "admin:everything add:authenticators");
    Reply enrol = client("/v1/client/user-authenticators/sms", token, phoneBody(second));
    assertThat(enrol.status()).as(enrol.raw()).isEqualTo(200);
    Reply verified =
        client("/v1/client/verify/sms", token, verifyBody(codeOf(latestChallengeOf(token), 1)));

    assertThat(verified.body().get("userAuthenticator").get("phoneNumber").asText())
        .isEqualTo(second);
    assertThat(verified.body().get("userAuthenticator").get("isDefault").asBoolean()).isFalse();
    assertThat(server("GET", "/v1/users/" + userId + "/authenticators", null).body()).hasSize(2);
  }

  @Test
  void anEnrolledUserWhoseActionNeedsAChallengeMustPassItBeforeAddingAnAuthenticator() {
    String userId = newUserId();
    enrolThroughServerApi(userId, newPhoneNumber());
    String second = newPhoneNumber();
    String token = actionToken(userId, "addPhone", "CHALLENGE_REQUIRED", "add:authenticators");

    Reply early = client("/v1/client/user-authenticators/sms", token, phoneBody(second));
    assertClientError(early, 401, "unauthorized");
    assertThat(early.text("errorDescription")).contains("complete the challenge");

    String challengeId = client("/v1/client/challenge/sms", token, null).text("challengeId");
    String accessToken =
        client("/v1/client/verify/sms", token, verifyBody(codeOf(challengeId, 1)))
            .text("accessToken");
    Reply enrol = client("/v1/client/user-authenticators/sms", accessToken, phoneBody(second));
    assertThat(enrol.status()).as(enrol.raw()).isEqualTo(200);
    Reply verified =
        client(
            "/v1/client/verify/sms",
            accessToken,
            verifyBody(codeOf(latestChallengeOf(accessToken), 1)));

    assertThat(verified.body().get("userAuthenticator").get("userAuthenticatorId").asText())
        .isEqualTo(enrol.text("userAuthenticatorId"));
    assertThat(validate(accessToken).path("state").asText()).isEqualTo("CHALLENGE_SUCCEEDED");
  }

  @Test
  void theUpdateScopeChangesTheNumberOfTheExistingAuthenticator() {
    String userId = newUserId();
    String oldNumber = newPhoneNumber();
    String authenticatorId = enrolThroughServerApi(userId, oldNumber);
    String newNumber = newPhoneNumber();
    while (newNumber.equals(oldNumber)) {
      newNumber = newPhoneNumber();
    }
    String token = actionToken(userId, "changePhone", "ALLOW", "update:authenticators");

    Reply change = client("/v1/client/user-authenticators/sms", token, phoneBody(newNumber));
    assertThat(change.status()).as(change.raw()).isEqualTo(200);
    assertThat(change.text("userAuthenticatorId")).isEqualTo(authenticatorId);
    // Nothing changes before the new number is verified.
    assertThat(
            server("GET", "/v1/users/" + userId + "/authenticators", null)
                .body()
                .get(0)
                .get("phoneNumber")
                .asText())
        .isEqualTo(oldNumber);

    String challengeId = latestChallengeOf(token);
    Reply verified = client("/v1/client/verify/sms", token, verifyBody(codeOf(challengeId, 1)));

    JsonNode authenticator = verified.body().get("userAuthenticator");
    assertThat(authenticator.get("userAuthenticatorId").asText()).isEqualTo(authenticatorId);
    assertThat(authenticator.get("phoneNumber").asText()).isEqualTo(newNumber);
    JsonNode stored = server("GET", "/v1/users/" + userId + "/authenticators", null).body();
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).get("phoneNumber").asText()).isEqualTo(newNumber);
    String finalNumber = newNumber;
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        events()
                            .of(
                                Topics.AUTHENTICATOR_UPDATED.name(),
                                userId,
                                AuthenticatorUpdated.class))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getUserAuthenticatorId()).isEqualTo(authenticatorId);
                          assertThat(String.valueOf(e.getChanges())).contains("PHONE_NUMBER");
                          assertThat(String.valueOf(e.getPreviousPhoneNumberMasked()))
                              .endsWith(oldNumber.substring(oldNumber.length() - 4));
                          assertThat(String.valueOf(e.getPhoneNumberMasked()))
                              .endsWith(finalNumber.substring(finalNumber.length() - 4));
                        }));
  }

  @Test
  void authenticatorsCannotBeChangedFromABlockedOrFailedAction() {
    String userId = newUserId();
    for (String state : List.of("BLOCK", "CHALLENGE_FAILED", "REVIEW_REQUIRED")) {
      Reply reply =
          client(
              "/v1/client/user-authenticators/sms",
              actionToken(userId, "enrol", state, "add:authenticators"),
              phoneBody(newPhoneNumber()));
      assertClientError(reply, 400, "invalid_request");
      assertThat(reply.text("errorDescription")).contains(state);
    }
    assertThat(server("GET", "/v1/users/" + userId + "/authenticators", null).body()).isEmpty();
  }

  // --- helpers ---

  /** The challenge the last client call of this token's action started. */
  @Test
  void theHostedPageGetsATokenValidateAcceptsAfterAnEnrolmentOnAnAllowedAction() {
    // given: an allowed action with add:authenticators whose hosted page was opened
    String userId = newUserId();
    String token = actionToken(userId, "enrol", "ALLOW", "add:authenticators");
    Reply page = call("GET", "/ui?token=" + token, null, Map.of("Accept", "text/html"));
    assertThat(page.status()).as(page.raw()).isEqualTo(200);

    // when: the page enrols a number and verifies its code
    String issued = enrolAndVerify(token, newPhoneNumber(), true);

    // then: a success token, which validate accepts and answers with the action's real state
    assertThat(kindOf(issued)).isEqualTo(TokenKind.SUCCESS);
    Reply validated = server("POST", "/v1/validate", "{\"token\":\"" + issued + "\"}");
    assertThat(validated.status()).as(validated.raw()).isEqualTo(200);
    assertThat(validated.text("error")).as(validated.raw()).isNull();
    assertThat(validated.text("state")).isEqualTo("ALLOW");
    assertThat(validated.body().get("isValid").asBoolean()).isFalse();
    assertThat(validated.text("userId")).isEqualTo(userId);
    assertThat(validated.text("action")).isEqualTo("enrol");
  }

  @Test
  void thePagesHeaderAloneOrAnotherStateKeepsTheEnrolmentsAccessToken() {
    // The header without an opened page (anyone holding a token could send it).
    String headerOnly = actionToken(newUserId(), "enrol", "ALLOW", "add:authenticators");
    assertThat(kindOf(enrolAndVerify(headerOnly, newPhoneNumber(), true)))
        .isEqualTo(TokenKind.ACCESS);

    // The page opened, but the client API called without the page's header.
    String withoutHeader = actionToken(newUserId(), "enrol", "ALLOW", "add:authenticators");
    assertThat(call("GET", "/ui?token=" + withoutHeader, null, Map.of()).status()).isEqualTo(200);
    assertThat(kindOf(enrolAndVerify(withoutHeader, newPhoneNumber(), false)))
        .isEqualTo(TokenKind.ACCESS);

    // A first enrolment while the action still requires a challenge proves nothing about it.
    String challenged = actionToken(newUserId(), "enrol", "CHALLENGE_REQUIRED", "");
    String issued = enrolAndVerify(challenged, newPhoneNumber(), true);
    assertThat(kindOf(issued)).isEqualTo(TokenKind.ACCESS);
    assertThat(server("POST", "/v1/validate", "{\"token\":\"" + issued + "\"}").text("error"))
        .isEqualTo("The token is not of a kind this endpoint accepts.");
  }

  /** Enrols {@code phone} under {@code token} and verifies its code; the verify's accessToken. */
  private String enrolAndVerify(String token, String phone, boolean prebuiltUi) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + token);
    headers.put("Content-Type", "application/json");
    if (prebuiltUi) {
      headers.put("X-Signet-Prebuilt-UI", "1");
    }
    Reply enrol = call("POST", "/v1/client/user-authenticators/sms", phoneBody(phone), headers);
    assertThat(enrol.status()).as(enrol.raw()).isEqualTo(200);
    Reply verified =
        call(
            "POST",
            "/v1/client/verify/sms",
            verifyBody(codeOf(latestChallengeOf(token), 1)),
            headers);
    assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
    assertThat(verified.body().get("isVerified").asBoolean()).isTrue();
    return verified.text("accessToken");
  }

  private TokenKind kindOf(String token) {
    return ((dev.signet.challenge.token.TokenVerification.Valid) tokens.verify(token)).kind();
  }

  private String latestChallengeOf(String token) {
    TokenClaims claims =
        ((dev.signet.challenge.token.TokenVerification.Valid) tokens.verify(token)).claims();
    return sessions
        .find(
            dev.signet.challenge.action.ActionStore.id(
                claims.userId(), claims.actionCode(), claims.idempotencyKey()))
        .block()
        .orElseThrow()
        .challengeId();
  }

  @org.springframework.beans.factory.annotation.Autowired ClientSessions sessions;

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo;

  static String verifyBody(String code) {
    return "{\"verificationCode\":\"" + code + "\"}";
  }

  static String phoneBody(String phone) {
    return "{\"phoneNumber\":\"" + phone + "\"}";
  }

  static void assertClientError(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
    assertThat(reply.body()).as(reply.raw()).isNotNull();
    assertThat(reply.text("error")).isNotBlank();
    assertThat(reply.text("errorCode")).isEqualTo(reply.text("error"));
    assertThat(reply.text("errorDescription")).isNotBlank();
    if (code != null) {
      assertThat(reply.text("error")).isEqualTo(code);
    }
  }
}
