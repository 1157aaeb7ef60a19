package dev.signet.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** The outbox comes with the settings a service declares, and only then. */
class OutboxAutoConfigurationTest {

  /** Clients that connect to nothing until used; the relay's first pass is an hour away. */
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class))
          .withBean(Clock.class, Clock::systemUTC)
          .withBean(
              KafkaTemplate.class,
              () ->
                  new KafkaTemplate<String, Object>(
                      new DefaultKafkaProducerFactory<>(
                          Map.of("bootstrap.servers", "127.0.0.1:9"))))
          .withBean(
              ReactiveMongoTemplate.class,
              () -> new ReactiveMongoTemplate(MongoClients.create("mongodb://127.0.0.1:9"), "t"));

  @Test
  void aServiceThatDeclaresOutboxSettingsGetsAnOutbox() {
    runner
        .withBean(OutboxSettings.class, OutboxAutoConfigurationTest::settings)
        .run(context -> assertThat(context).hasSingleBean(Outbox.class));
  }

  @Test
  void aServiceWithMetersAlsoGetsTheBacklogGauge() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(OutboxSettings.class, OutboxAutoConfigurationTest::settings)
        .run(
            context -> {
              assertThat(context).hasSingleBean(OutboxBacklog.class);
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .get(OutboxBacklog.METER)
                          .tag("collection", "things")
                          .gauge())
                  .isNotNull();
            });
  }

  @Test
  void aServiceWithoutOutboxSettingsGetsNone() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(Outbox.class);
          assertThat(context).doesNotHaveBean(OutboxBacklog.class);
        });
  }

  /** Settings whose relay never runs during a test. */
  private static OutboxSettings settings() {
    return new OutboxSettings(
        List.of("things"), Duration.ofHours(1), Duration.ofHours(2), Duration.ofMinutes(1), 200);
  }
}
