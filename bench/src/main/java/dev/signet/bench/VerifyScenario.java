package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/verify} with the code the SMS carried (expects {@code isVerified:true}) or with a
 * wrong one (expects {@code isVerified:false, failureReason:CODE_INVALID_OR_EXPIRED}, HTTP 200).
 * Any other answer is an {@code unexpected:} outcome and fails the run's self-check.
 */
final class VerifyScenario {

  record Target(String challengeId, String code) {}

  private final Api api;
  private final String url;
  private final String authorization;

  VerifyScenario(Api api, LocalStack stack) {
    this.api = api;
    this.url = stack.entryPointUrl("challenge") + "/v1/verify";
    this.authorization = Api.basic(stack.apiSecret());
  }

  /**
   * Empty when the endpoint exists; otherwise why not. A wrong method on an existing route answers
   * 405, on an unknown one 404, so the probe changes no state.
   */
  Optional<String> unavailableReason() {
    HttpResponse<String> r = api.sendNow("GET", url, authorization);
    if (r.statusCode() == 405) {
      return Optional.empty();
    }
    return Optional.of(
        "POST /v1/verify is not served by this revision (GET probe answered "
            + r.statusCode()
            + " "
            + Api.parse(r.body()).path("error").asText("")
            + ")");
  }

  static String wrongCode(String code) {
    char last = code.charAt(code.length() - 1);
    char other = (char) ('0' + (last - '0' + 1) % 10);
    return code.substring(0, code.length() - 1) + other;
  }

  OpenLoop.Operation operation(List<Target> targets, boolean correct) {
    return (index, intended, second) -> {
      Target t = targets.get((int) index);
      String code = correct ? t.code() : wrongCode(t.code());
      String body =
          "{\"challengeId\":\"" + t.challengeId() + "\",\"verificationCode\":\"" + code + "\"}";
      return api.post(url, authorization, body)
          .thenApply(
              response -> {
                if (response.statusCode() != 200) {
                  return Api.errorOutcome(response);
                }
                JsonNode b = Api.parse(response.body());
                boolean verified = b.path("isVerified").asBoolean(false);
                String reason = b.path("failureReason").asText("");
                if (correct) {
                  return verified ? Ledger.OK : "unexpected:isVerified=false:" + reason;
                }
                if (!verified && "CODE_INVALID_OR_EXPIRED".equals(reason)) {
                  return Ledger.OK;
                }
                return "unexpected:wrong_code:isVerified=" + verified + ":" + reason;
              });
    };
  }
}
