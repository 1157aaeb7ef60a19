package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alert rules read series the running services really export: after one challenge is texted and
 * delivered and one token refused, every series the rules name is on some service's {@code
 * /actuator/prometheus}, except the circuit breakers' (Resilience4j's standard gauge, exported once
 * the dispatcher's breakers exist). No scrape carries the phone number.
 */
class AlertRuleSeriesIT {

  private static final List<String> SERVICES = List.of("challenge", "rules", "dispatcher", "audit");
  private static final String BREAKERS = "resilience4j_";

  private final RunningStack stack = RunningStack.get();
  private final Http http = new Http();

  @Test
  void everySeriesTheRulesReadIsExportedOnceAChallengeIsDelivered() throws Exception {
    // given: one challenge texted and its receipt reported, one forged token refused
    String phone = Sandbox.freshPhoneNumber();
    Http.Reply challenge =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(challenge.status()).isEqualTo(200);
    new Sandbox(stack, http).awaitCode(phone, 1);
    Http.Reply validate =
        http.post(
            stack.url("challenge") + "/v1/validate",
            Http.basic(stack.apiSecret()),
            "{\"token\":\"eyJhbGciOiJub25lIn0.e30.\"}");
    assertThat(validate.body().path("isValid").asBoolean()).isFalse();
    Set<String> wanted = new TreeSet<>(AlertRules.seriesRead(RunningStack.repositoryRoot()));
    wanted.removeIf(series -> series.startsWith(BREAKERS));

    // when / then: the receipt arrives a moment after the message
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(missing(wanted, scrapes())).isEmpty());
    String digits = phone.substring(1);
    assertThat(scrapes()).doesNotContain(digits);
  }

  private String scrapes() {
    StringBuilder all = new StringBuilder();
    for (String service : SERVICES) {
      Http.Reply reply =
          http.getText(
              stack.url(service) + "/actuator/prometheus", "Bearer " + stack.managementSecret());
      assertThat(reply.status()).as(service).isEqualTo(200);
      all.append(reply.raw().body()).append('\n');
    }
    return all.toString();
  }

  private static Set<String> missing(Set<String> wanted, String scrapes) {
    Set<String> missing = new TreeSet<>();
    for (String series : wanted) {
      if (!scrapes.contains("\n" + series + "{") && !scrapes.contains("\n" + series + " ")) {
        missing.add(series);
      }
    }
    return missing;
  }
}
