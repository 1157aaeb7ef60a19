package dev.signet.platform.tracing;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The tracing settings every service shares, as lowest-precedence defaults a service's own
 * configuration or the environment overrides: Kafka templates and listener containers observed (so
 * the trace context travels in record headers), Reactor's automatic context propagation (so a span
 * follows a reactive chain across threads, into MongoDB commands and the outbox), and span export
 * to Zipkin only where an endpoint is configured, so a service without a trace backend never tries
 * to reach one.
 */
public final class TracingDefaults implements EnvironmentPostProcessor, Ordered {

  /**
   * The share of traces recorded: {@code SIGNET_TRACING_SAMPLING} (0 records none, 1 every one),
   * else Boot's default of 0.1. A trace is sampled or not as a whole: the services after the first
   * follow its decision.
   */
  static final String SAMPLING = "${SIGNET_TRACING_SAMPLING:0.1}";

  static final String ZIPKIN_ENDPOINT = "management.tracing.export.zipkin.endpoint";

  static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("spring.reactor.context-propagation", "auto");
    defaults.put("spring.kafka.template.observation-enabled", "true");
    defaults.put("spring.kafka.listener.observation-enabled", "true");
    defaults.put("management.tracing.sampling.probability", SAMPLING);
    if (blank(environment.getProperty(ZIPKIN_ENDPOINT))) {
      defaults.put("management.tracing.export.zipkin.enabled", "false");
    }
    // An empty endpoint (compose passes one when no collector is configured) means none.
    if (blank(environment.getProperty(OTLP_ENDPOINT))) {
      defaults.put("management.tracing.export.otlp.enabled", "false");
    }
    environment.getPropertySources().addLast(new MapPropertySource("signetTracing", defaults));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
