package dev.signet.rules.web;

import dev.signet.platform.warmup.WarmUpCall;
import dev.signet.rules.config.RulesProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What rules-service sends itself before it reports ready ({@link
 * dev.signet.platform.warmup.WarmUp}): a rules dry run, which evaluates an action's rules and reads
 * their signals as a decision does and stores nothing, and a read of the send policy.
 */
@Configuration(proxyBeanMethods = false)
class WarmUpCalls {

  @Bean
  WarmUpCall warmUpDryRun(RulesProperties properties) {
    return WarmUpCall.bearer(
        "POST",
        "/v1/management/actions/signIn/dry-run",
        properties.managementSecret(),
        "{\"attributes\":{\"ipAddress\":\"192.0.2.1\"}}");
  }

  @Bean
  WarmUpCall warmUpSendPolicy(RulesProperties properties) {
    return WarmUpCall.bearer(
        "GET", "/v1/management/send-policy", properties.managementSecret(), null);
  }
}
