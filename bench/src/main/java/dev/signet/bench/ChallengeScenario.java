package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/challenge} with a fresh phone number per request. API latency is measured by
 * {@link OpenLoop}; the SMS is expected in the sandbox and matched there by {@link SmsInbox}.
 */
final class ChallengeScenario {

  private final Api api;
  private final String url;
  private final String authorization;
  private final SmsInbox inbox;
  private final PhoneNumbers phones;
  private final WallClock wall;

  ChallengeScenario(
      Api api, LocalStack stack, SmsInbox inbox, PhoneNumbers phones, WallClock wall) {
    this.api = api;
    this.url = stack.entryPointUrl("challenge") + "/v1/challenge";
    this.authorization = Api.basic(stack.apiSecret());
    this.inbox = inbox;
    this.phones = phones;
    this.wall = wall;
  }

  OpenLoop.Operation operation(String phase, Latencies e2e) {
    return (index, intended, second) -> {
      String phone = phones.next();
      SmsInbox.Expected expected =
          new SmsInbox.Expected(phase, wall.epochNanos(intended), second, e2e);
      // Registered before sending: the SMS may reach the sandbox before the API answers.
      inbox.expect(phone, expected);
      String body =
          "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
              + phone
              + "\"}";
      CompletableFuture<String> outcome =
          api.post(url, authorization, body)
              .thenApply(
                  response -> {
                    if (response.statusCode() == 200) {
                      String id = Api.parse(response.body()).path("challengeId").asText("");
                      if (id.isEmpty()) {
                        return "unexpected:200_without_challengeId";
                      }
                      expected.challengeId = id;
                      return Ledger.OK;
                    }
                    return Api.errorOutcome(response);
                  });
      return outcome.whenComplete(
          (result, failure) -> {
            if (failure == null && Ledger.OK.equals(result)) {
              expected.requestSucceeded = true;
            } else {
              expected.requestFailed = true;
            }
          });
    };
  }
}
