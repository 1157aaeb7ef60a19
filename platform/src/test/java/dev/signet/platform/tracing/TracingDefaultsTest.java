package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TracingDefaultsTest {

  private static StandardEnvironment environment(Map<String, Object> given) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("given", given));
    new TracingDefaults().postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Test
  void withoutEndpointsNothingIsExportedAndOneTraceInTenIsRecorded() {
    StandardEnvironment env = environment(Map.of());

    assertThat(env.getProperty("management.tracing.export.zipkin.enabled")).isEqualTo("false");
    assertThat(env.getProperty("management.tracing.export.otlp.enabled")).isEqualTo("false");
    assertThat(env.getProperty("management.tracing.sampling.probability")).isEqualTo("0.1");
    assertThat(env.getProperty("spring.kafka.template.observation-enabled")).isEqualTo("true");
    assertThat(env.getProperty("spring.kafka.listener.observation-enabled")).isEqualTo("true");
    assertThat(env.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
  }

  @Test
  void anEndpointTurnsItsExportOnAndAnEmptyOneDoesNot() {
    StandardEnvironment env =
        environment(
            Map.of(
                "management.tracing.export.zipkin.endpoint", "http://zipkin:9411/api/v2/spans",
                "management.opentelemetry.tracing.export.otlp.endpoint", " "));

    assertThat(env.getProperty("management.tracing.export.zipkin.enabled")).isNull();
    assertThat(env.getProperty("management.tracing.export.otlp.enabled")).isEqualTo("false");
  }

  @Test
  void samplingFollowsTheSignetVariableAndBootsOwnPropertyWins() {
    assertThat(
            environment(Map.of("SIGNET_TRACING_SAMPLING", "0"))
                .getProperty("management.tracing.sampling.probability"))
        .isEqualTo("0");
    assertThat(
            environment(
                    Map.of(
                        "SIGNET_TRACING_SAMPLING", "0",
                        "management.tracing.sampling.probability", "1.0"))
                .getProperty("management.tracing.sampling.probability"))
        .isEqualTo("1.0");
  }
}
