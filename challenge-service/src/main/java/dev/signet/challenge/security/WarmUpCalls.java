package dev.signet.challenge.security;

import dev.signet.platform.warmup.WarmUpCall;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What challenge-service sends itself before it reports ready ({@link
 * dev.signet.platform.warmup.WarmUp}): the server API's credential check, body binding and
 * validation on {@code POST /v1/challenge} (a number that cannot be valid, refused before anything
 * is stored or counted), and its MongoDB reads (a challenge and a user that do not exist).
 */
@Configuration(proxyBeanMethods = false)
class WarmUpCalls {

  private static final String UNKNOWN = "warm-up-" + UUID.randomUUID();

  @Bean
  WarmUpCall warmUpChallenge(SecurityProperties secrets) {
    return WarmUpCall.basic(
        "POST",
        "/v1/challenge",
        secrets.apiSecret(),
        "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\"+1\"}");
  }

  @Bean
  WarmUpCall warmUpChallengeLookup(SecurityProperties secrets) {
    return WarmUpCall.basic(
        "GET", "/v1/challenges?challengeId=" + UNKNOWN, secrets.apiSecret(), null);
  }

  @Bean
  WarmUpCall warmUpUser(SecurityProperties secrets) {
    return WarmUpCall.basic("GET", "/v1/users/" + UNKNOWN, secrets.apiSecret(), null);
  }
}
