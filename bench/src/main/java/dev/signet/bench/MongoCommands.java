package dev.signet.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MongoDB round trips of a service, counted by its own driver: the MongoDB-wire server keeps no
 * operation counters, but every service exposes the driver's command timer in Prometheus. Keys are
 * {@code collection/command}; the scheduled jobs (outbox relay, expiry) are included, since their
 * cost is real.
 */
final class MongoCommands {

  private static final Pattern LINE =
      Pattern.compile("^mongodb_driver_commands_seconds_count\\{([^}]*)}\\s+([0-9.eE+-]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private MongoCommands() {}

  static Map<String, Double> scrape(String serviceUrl, String managementSecret) {
    Map<String, Double> counts = new TreeMap<>();
    try {
      for (String line : prometheusText(serviceUrl, managementSecret).split("\n")) {
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) {
          continue;
        }
        String command = "?";
        String collection = "?";
        Matcher label = LABEL.matcher(m.group(1));
        while (label.find()) {
          if (label.group(1).equals("command")) {
            command = label.group(2);
          } else if (label.group(1).equals("collection")) {
            collection = label.group(2);
          }
        }
        counts.merge(collection + "/" + command, Double.parseDouble(m.group(2)), Double::sum);
      }
    } catch (Exception e) {
      // Metrics are a figure of the report, not a reason to fail the run.
      counts.put("unavailable", 0.0);
    }
    return counts;
  }

  /** A service's {@code /actuator/prometheus} page, read with the management secret. */
  static String prometheusText(String serviceUrl, String managementSecret) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(serviceUrl + "/actuator/prometheus"))
                .header("Accept", "text/plain")
                .header("Authorization", "Bearer " + managementSecret)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Per-challenge deltas between two scrapes, rounded like the other figures. */
  static Map<String, Double> perChallenge(
      Map<String, Double> before, Map<String, Double> after, long challenges) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach(
        (key, value) -> {
          double delta = value - before.getOrDefault(key, 0.0);
          if (delta > 0 && challenges > 0) {
            out.put(key, Latencies.round(delta / challenges));
          }
        });
    out.put("total", Latencies.round(out.values().stream().mapToDouble(Double::doubleValue).sum()));
    return out;
  }
}
