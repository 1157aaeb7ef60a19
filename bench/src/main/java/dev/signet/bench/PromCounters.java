package dev.signet.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counters a service exports in Prometheus format, summed over their labels except {@code level}
 * (logback's events): Kafka client fetches and produce requests, log lines by level. For deltas
 * over a measured window; a service that cannot be scraped yields an empty map.
 */
final class PromCounters {

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+([0-9.eE+-]+)$");
  private static final Pattern LEVEL = Pattern.compile("level=\"([^\"]*)\"");

  /** Counters of the Kafka clients and of logging: what the profile reports per challenge. */
  static final Pattern WANTED =
      Pattern.compile(
          "kafka_consumer_fetch_manager_fetch_total|kafka_consumer_fetch_manager_records_consumed_total"
              + "|kafka_producer_request_total|kafka_producer_record_send_total"
              + "|kafka_consumer_coordinator_commit_total|kafka_consumer_coordinator_heartbeat_total"
              + "|logback_events_total");

  private PromCounters() {}

  static Map<String, Double> scrape(String serviceUrl, String managementSecret) {
    Map<String, Double> counts = new TreeMap<>();
    try {
      for (String line : MongoCommands.prometheusText(serviceUrl, managementSecret).split("\n")) {
        Matcher m = LINE.matcher(line.trim());
        // Per-topic series repeat the client's own total: only the client-level one is summed.
        if (!m.matches()
            || !WANTED.matcher(m.group(1)).matches()
            || (m.group(3) != null && m.group(3).contains("topic="))) {
          continue;
        }
        String key = m.group(1);
        Matcher level = LEVEL.matcher(m.group(3) == null ? "" : m.group(3));
        if (level.find()) {
          key += "{" + level.group(1) + "}";
        }
        counts.merge(key, Double.parseDouble(m.group(4)), Double::sum);
      }
    } catch (Exception e) {
      // A figure of the report, not a reason to fail the run.
    }
    return counts;
  }
}
