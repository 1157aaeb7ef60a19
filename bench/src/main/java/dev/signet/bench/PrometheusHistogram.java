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
 * The cumulative buckets of one Prometheus histogram (summed over its label sets) as a service's
 * {@code /actuator/prometheus} shows them at one moment; two snapshots give the distribution of
 * what was recorded between them. Percentiles are bucket upper bounds (Micrometer's buckets are
 * about 10 % apart in this range), so they can overstate by up to one bucket, never understate.
 */
record PrometheusHistogram(TreeMap<Double, Long> cumulative) {

  private static final Pattern BUCKET =
      Pattern.compile("^(\\w+)_bucket\\{([^}]*)\\}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

  /** The histogram {@code name} (without {@code _bucket}) of the service at {@code baseUrl}. */
  static PrometheusHistogram scrape(
      HttpClient http, String baseUrl, String name, String managementSecret) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + managementSecret)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return parse(response.body(), name);
  }

  static PrometheusHistogram parse(String exposition, String name) {
    TreeMap<Double, Long> buckets = new TreeMap<>();
    Matcher m = BUCKET.matcher(exposition);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      Matcher le = LE.matcher(m.group(2));
      if (!le.find()) {
        continue;
      }
      double bound =
          le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
      buckets.merge(bound, (long) Double.parseDouble(m.group(3)), Long::sum);
    }
    return new PrometheusHistogram(buckets);
  }

  /** What was recorded after {@code earlier}. */
  PrometheusHistogram minus(PrometheusHistogram earlier) {
    TreeMap<Double, Long> delta = new TreeMap<>();
    cumulative.forEach(
        (bound, count) -> delta.put(bound, count - earlier.cumulative.getOrDefault(bound, 0L)));
    return new PrometheusHistogram(delta);
  }

  long count() {
    return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /** Upper bound, in milliseconds, of the bucket holding the given percentile; NaN if empty. */
  double percentileMillis(double percentile) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = Math.ceil(percentile / 100.0 * total);
    for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        return e.getKey() * 1000.0;
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
