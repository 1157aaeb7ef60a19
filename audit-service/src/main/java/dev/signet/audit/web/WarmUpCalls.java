package dev.signet.audit.web;

import dev.signet.audit.config.AuditProperties;
import dev.signet.platform.warmup.WarmUpCall;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What audit-service sends itself before it reports ready ({@link
 * dev.signet.platform.warmup.WarmUp}): a search of the activities, the operators' most used read.
 */
@Configuration(proxyBeanMethods = false)
class WarmUpCalls {

  @Bean
  WarmUpCall warmUpActivities(AuditProperties properties) {
    return WarmUpCall.bearer(
        "GET", "/v1/audit/activities?limit=1", properties.managementSecret(), null);
  }
}
