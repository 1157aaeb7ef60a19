package dev.signet.platform.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;

/**
 * Every span exporter the service has (Zipkin, OTLP) behind a {@link SpanScrubber}: Boot's batch
 * span processor sends through these instead of the exporters themselves. Runs before Boot's
 * OpenTelemetry tracing configuration, which then keeps this set of exporters.
 */
@AutoConfiguration(
    beforeName =
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnClass({SpanExporter.class, SpanExporters.class})
public class SpanExportAutoConfiguration {

  @Bean
  SpanExporters signetScrubbedSpanExporters(ObjectProvider<SpanExporter> exporters) {
    return SpanExporters.of(exporters.orderedStream().map(SpanScrubber::new).toList());
  }
}
