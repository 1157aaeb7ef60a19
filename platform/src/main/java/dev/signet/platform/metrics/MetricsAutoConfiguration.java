package dev.signet.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The meter settings every Signet service shares; see {@link ServiceLevelHistograms}. */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
public class MetricsAutoConfiguration {

  @Bean
  ServiceLevelHistograms signetServiceLevelHistograms() {
    return new ServiceLevelHistograms();
  }
}
