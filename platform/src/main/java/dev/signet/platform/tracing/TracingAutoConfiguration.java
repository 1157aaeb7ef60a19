package dev.signet.platform.tracing;

import com.mongodb.RequestContext;
import dev.signet.platform.kafka.RecordTraces;
import dev.signet.platform.warmup.WarmUp;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.observability.ContextProviderFactory;
import org.springframework.data.mongodb.observability.MongoHandlerContext;
import org.springframework.data.mongodb.observability.MongoObservationCommandListener;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * Tracing as every Signet service does it, on top of Boot's Micrometer Tracing with the
 * OpenTelemetry bridge (see {@link TracingDefaults} for the shared settings): MongoDB commands as
 * spans of the request or record that issued them, the {@link TraceHandoff} the outbox stores trace
 * contexts with, {@link RecordTraces} for batch and hand-written consumers, and no traces for
 * health probes, metric scrapes, warm-up requests or background MongoDB polling, which would bury
 * the traces that matter.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"
    },
    beforeName = "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration")
@ConditionalOnClass({Tracer.class, ObservationRegistry.class})
public class TracingAutoConfiguration {

  @Bean
  ObservationPredicate signetUntracedNoise() {
    return (name, context) -> {
      if (context instanceof ServerRequestObservationContext request) {
        // Probes, scrapes and the service's own warm-up requests before it reports ready.
        return !request.getCarrier().getPath().value().startsWith("/actuator")
            && !WarmUp.isOwn(request.getCarrier().getHeaders().getFirst(WarmUp.HEADER));
      }
      return true;
    };
  }

  @Bean
  @ConditionalOnBean({Tracer.class, Propagator.class})
  TraceHandoff signetTraceHandoff(
      Tracer tracer, Propagator propagator, ObservationRegistry observations) {
    return new TraceHandoff(tracer, propagator, observations);
  }

  /** Only where the service consumes Kafka records. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(KafkaRecordReceiverContext.class)
  static class KafkaRecords {

    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    RecordTraces signetRecordTraces(ObservationRegistry observations) {
      return new RecordTraces(observations);
    }
  }

  /** Only where the service talks to MongoDB. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({
    MongoObservationCommandListener.class,
    MongoClientSettingsBuilderCustomizer.class
  })
  static class MongoCommands {

    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    MongoClientSettingsBuilderCustomizer signetMongoCommandSpans(ObservationRegistry observations) {
      // No connection string: its tags would name the database user.
      return settings ->
          settings
              .addCommandListener(new MongoObservationCommandListener(observations))
              .contextProvider(ContextProviderFactory.create(observations));
    }

    /**
     * A command issued outside any request or record (the outbox relay, a retention sweep) would be
     * a trace of its own every few seconds.
     */
    @Bean
    ObservationPredicate signetMongoCommandsInTracesOnly() {
      return (name, context) ->
          !(context instanceof MongoHandlerContext command)
              || insideTrace(command.getRequestContext());
    }

    private static boolean insideTrace(RequestContext requestContext) {
      // A request left untraced (a health probe) carries a no-op observation: still outside.
      return requestContext != null
          && requestContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null)
              instanceof Observation parent
          && !parent.isNoop();
    }
  }
}
