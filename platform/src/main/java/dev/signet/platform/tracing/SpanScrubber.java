package dev.signet.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last guard before a span leaves the process, wrapped around every exporter (Zipkin, OTLP): no
 * span may carry a one-time code or a full phone number, and neither may be recovered from what a
 * span says about a failure. Instrumented code never tags either, but an exception message can
 * quote them (a duplicate-key error quotes the key, a client error the request), so a failure keeps
 * its status and its exception type and loses the message: the status description is dropped and
 * exception events keep their name and the {@code exception.type} attribute only. URLs lose their
 * query string, and anything shaped like an international number is masked the way the logs mask
 * numbers.
 */
public final class SpanScrubber implements SpanExporter {

  private static final Pattern INTERNATIONAL_NUMBER = Pattern.compile("\\+\\d{4,}(\\d{4})");
  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");

  private final SpanExporter delegate;

  public SpanScrubber(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return delegate.export(spans.stream().map(Scrubbed::new).map(SpanData.class::cast).toList());
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "SpanScrubber{" + delegate + "}";
  }

  static String scrub(String key, String value) {
    if (value == null) {
      return null;
    }
    String scrubbed = value;
    if (key.contains("url") || key.equals("uri") || key.contains("target")) {
      int query = scrubbed.indexOf('?');
      scrubbed = query < 0 ? scrubbed : scrubbed.substring(0, query);
    }
    return INTERNATIONAL_NUMBER.matcher(scrubbed).replaceAll(m -> mask(m.group()));
  }

  private static String mask(String number) {
    return number.substring(0, 3)
        + "*".repeat(number.length() - 7)
        + number.substring(number.length() - 4);
  }

  @SuppressWarnings("unchecked")
  static Attributes scrub(Attributes attributes) {
    AttributesBuilder scrubbed = Attributes.builder();
    attributes.forEach(
        (key, value) -> {
          if (value instanceof String text) {
            scrubbed.put((AttributeKey<String>) key, scrub(key.getKey(), text));
          } else {
            scrubbed.put((AttributeKey<Object>) key, value);
          }
        });
    return scrubbed.build();
  }

  /** One span as exported: the same span, its texts scrubbed. */
  private static final class Scrubbed extends DelegatingSpanData {

    private final Attributes attributes;
    private final List<EventData> events;
    private final StatusData status;

    Scrubbed(SpanData span) {
      super(span);
      this.attributes = scrub(span.getAttributes());
      this.events =
          span.getEvents().stream()
              .map(
                  event -> {
                    String type = event.getAttributes().get(EXCEPTION_TYPE);
                    return EventData.create(
                        event.getEpochNanos(),
                        event.getName(),
                        type == null ? Attributes.empty() : Attributes.of(EXCEPTION_TYPE, type));
                  })
              .toList();
      this.status =
          span.getStatus().getStatusCode() == StatusCode.ERROR
              ? StatusData.error()
              : span.getStatus();
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return attributes.size();
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public int getTotalRecordedEvents() {
      return events.size();
    }

    @Override
    public StatusData getStatus() {
      return status;
    }
  }
}
