package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The alert rules in {@code deploy/prometheus}: promtool (Debian's {@code prometheus} package,
 * which {@code .ci/run} installs) checks them and the example configuration and runs their unit
 * tests; every alert is tested both firing and not firing, has its runbook paragraph in
 * docs/operations.md, and reads only meters some service registers.
 */
class PrometheusRulesTest {

  private static final String DIR = AlertRules.DIR;
  private static final String RULES = AlertRules.FILE;
  private static final String RUNBOOK = "docs/operations.md";

  private static Path root;
  private static Map<String, Object> rules;

  @BeforeAll
  static void read() throws IOException {
    root = RepositoryRoot.find();
    rules = yaml(root.resolve(RULES));
  }

  @Test
  void promtoolAcceptsTheRules() {
    String out = promtool(root, "check", "rules", RULES);

    assertThat(out).contains("SUCCESS");
  }

  @Test
  void promtoolAcceptsTheExampleConfiguration(@TempDir Path dir) throws IOException {
    // given: the configuration as shipped, next to its rules and a secret file, as deployed
    for (String file : List.of("prometheus.yml", "signet-rules.yml")) {
      Files.copy(root.resolve(DIR).resolve(file), dir.resolve(file));
    }
    Files.writeString(dir.resolve("signet-management-secret"), "example");

    // when
    String out = promtool(dir, "check", "config", "prometheus.yml");

    // then
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void promtoolUnitTestsOfTheRulesPass() throws IOException {
    List<String> command = new ArrayList<>(List.of("test", "rules"));
    testFiles().forEach(file -> command.add(root.relativize(file).toString()));

    String out = promtool(root, command.toArray(String[]::new));

    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    Set<String> firing = new LinkedHashSet<>();
    Set<String> silent = new LinkedHashSet<>();
    for (Path file : testFiles()) {
      for (Map<String, Object> test : maps(yaml(file).get("tests"))) {
        for (Map<String, Object> check : maps(test.get("alert_rule_test"))) {
          String alert = String.valueOf(check.get("alertname"));
          Object expected = check.get("exp_alerts");
          (expected instanceof List<?> list && !list.isEmpty() ? firing : silent).add(alert);
        }
      }
    }

    assertThat(firing).as("alerts tested firing").containsAll(alerts().keySet());
    assertThat(silent).as("alerts tested not firing").containsAll(alerts().keySet());
  }

  @Test
  void everyAlertHasItsRunbookParagraphAndSeverity() throws IOException {
    String runbook = Files.readString(root.resolve(RUNBOOK));
    alerts()
        .forEach(
            (name, rule) -> {
              assertThat(runbook).as("runbook heading of %s", name).contains("#### " + name + "\n");
              assertThat(annotations(rule))
                  .as("annotations of %s", name)
                  .containsEntry("runbook", RUNBOOK + "#" + name.toLowerCase(Locale.ROOT))
                  .containsKey("summary");
              assertThat(labels(rule).get("severity"))
                  .as("severity of %s", name)
                  .isIn("critical", "warning");
            });
  }

  @Test
  void everySignetSeriesTheRulesReadIsAMeterSomeServiceRegisters() throws IOException {
    String sources = mainSources();
    Set<String> missing = new LinkedHashSet<>();
    for (String series : AlertRules.seriesRead(root)) {
      // The registry's suffixes off, dots for underscores: the name the code registers.
      String meter =
          series
              .replaceAll("(_total|_bucket|_count|_sum)$", "")
              .replaceAll("_seconds$", "")
              .replace('_', '.');
      if (series.startsWith("signet_") && !sources.contains("\"" + meter + "\"")) {
        missing.add(series);
      }
    }

    assertThat(AlertRules.seriesRead(root)).contains("signet_outbox_oldest_age_seconds");
    assertThat(missing).as("series without a meter registered in main code").isEmpty();
  }

  /** Alert rules by name. */
  private static Map<String, Map<String, Object>> alerts() {
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (Map<String, Object> group : maps(rules.get("groups"))) {
      for (Map<String, Object> rule : maps(group.get("rules"))) {
        if (rule.containsKey("alert")) {
          alerts.put(String.valueOf(rule.get("alert")), rule);
        }
      }
    }
    assertThat(alerts).isNotEmpty();
    return alerts;
  }

  private static List<Path> testFiles() throws IOException {
    try (Stream<Path> files = Files.list(root.resolve(DIR).resolve("tests"))) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
      assertThat(found).as("promtool test files in %s/tests", DIR).isNotEmpty();
      return found;
    }
  }

  private static String mainSources() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> f.toString().contains("/src/main/java/"))
              .toList()) {
        all.append(Files.readString(file));
      }
    }
    return all.toString();
  }

  /** Runs promtool in {@code dir}; fails with its output unless it exits 0. */
  private static String promtool(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail(
          "promtool is not on the PATH: install Debian's prometheus package (apt-get install"
              + " prometheus; .ci/run does it when promtool is missing), or put any promtool 2.x"
              + " on the PATH",
          e);
    }
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return fail("promtool %s did not finish within 60 s", String.join(" ", args));
      }
      assertThat(process.exitValue()).as("promtool %s exit status\n%s", args, out).isZero();
      return out;
    } catch (IOException e) {
      return fail("reading promtool's output failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted", e);
    }
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object list) {
    return list == null ? List.of() : (List<Map<String, Object>>) list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> annotations(Map<String, Object> rule) {
    return (Map<String, Object>) rule.getOrDefault("annotations", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labels(Map<String, Object> rule) {
    return (Map<String, Object>) rule.getOrDefault("labels", Map.of());
  }
}
