package dev.signet.sms.outbox;

import dev.signet.platform.outbox.OutboxSettings;
import dev.signet.sms.config.DispatcherProperties;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The platform outbox (auto-configured from these settings) over the dispatcher's attempts and
 * delivery receipts.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

  /** Collections whose documents carry an outbox array. */
  static final List<String> COLLECTIONS = List.of("sms_attempts", "sms_receipts");

  @Bean
  OutboxSettings outboxSettings(DispatcherProperties properties) {
    return properties.outbox(COLLECTIONS);
  }
}
