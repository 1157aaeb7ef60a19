package dev.signet.e2e.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The Prometheus rule file of {@code deploy/prometheus} as the tests read it. */
final class AlertRules {

  static final String DIR = "deploy/prometheus";
  static final String FILE = DIR + "/signet-rules.yml";

  /** An exported series name; recording rules ({@code job:...:rate5m}) have colons, these none. */
  private static final Pattern SERIES =
      Pattern.compile("(?<![:\\w])(?:signet|http_server|kafka_consumer|resilience4j)_[a-z0-9_]+");

  private AlertRules() {}

  /** Every exported series the rules read, comments left out. */
  static Set<String> seriesRead(Path root) throws IOException {
    String rules =
        Files.readString(root.resolve(FILE))
            .lines()
            .filter(line -> !line.stripLeading().startsWith("#"))
            .collect(Collectors.joining("\n"));
    Set<String> series = new TreeSet<>();
    Matcher matcher = SERIES.matcher(rules);
    while (matcher.find()) {
      series.add(matcher.group());
    }
    return series;
  }
}
