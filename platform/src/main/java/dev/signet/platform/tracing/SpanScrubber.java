package dev.signet.platform.tracing;

import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.exporter.SpanFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The last guard before a span leaves the process: no span may carry a one-time code or a full
 * phone number, and neither may be recovered from what a span says about a failure. Instrumented
 * code never tags either, but an exception message can quote them (a duplicate-key error quotes the
 * key, a client error the request), so failures keep only their exception type ({@link
 * ErrorRedaction}) and exception events lose their attributes (message, stack trace) here. URLs
 * lose their query string, and anything shaped like an international number is masked the way the
 * logs mask numbers.
 */
public final class SpanScrubber implements SpanFilter {

  private static final Pattern INTERNATIONAL_NUMBER = Pattern.compile("\\+\\d{4,}(\\d{4})");

  @Override
  public FinishedSpan map(FinishedSpan span) {
    Map<String, String> tags = new LinkedHashMap<>();
    span.getTags().forEach((key, value) -> tags.put(key, scrub(key, value)));
    span.setTags(tags);
    // Re-setting the events keeps their names and times and drops their attributes.
    span.setEvents(span.getEvents());
    return span;
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
}
