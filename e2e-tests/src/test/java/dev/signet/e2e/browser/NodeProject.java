package dev.signet.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An npm project of the repository run by a Java test: installs it with {@code npm ci} when
 * node_modules does not hold exactly the locked versions of the named packages, runs a command in
 * it with the output streamed into the test log, and summarises TAP output for failure messages.
 * Browser tests use it with {@code e2e-tests/browser}; other Node-driven tests can too.
 */
public final class NodeProject {

  private static final Logger log = LoggerFactory.getLogger(NodeProject.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long NPM_TIMEOUT_SECONDS = 300;

  private final Path directory;

  public NodeProject(Path directory) {
    this.directory = directory;
  }

  /** The outcome of a command: exit code and every output line. */
  public record Run(int exitCode, List<String> output) {}

  /** Runs {@code npm ci} unless each of {@code packages} is installed at its locked version. */
  public void install(String... packages) throws IOException, InterruptedException {
    requireTool("node");
    requireTool("npm");
    if (installedMatchLockfile(packages)) {
      return;
    }
    Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_TIMEOUT_SECONDS);
    assertThat(npm.exitCode())
        .as("npm ci in %s (needs the npm registry):%n%s", directory, npm.output())
        .isZero();
  }

  private boolean installedMatchLockfile(String... packages) throws IOException {
    JsonNode lock = JSON.readTree(Files.readString(directory.resolve("package-lock.json")));
    for (String name : packages) {
      Path installed = directory.resolve("node_modules/" + name + "/package.json");
      if (!Files.exists(installed)) {
        return false;
      }
      String pinned = lock.path("packages").path("node_modules/" + name).path("version").asText();
      String actual = JSON.readTree(Files.readString(installed)).path("version").asText();
      log.info("{} pinned {} installed {}", name, pinned, actual);
      if (pinned.isEmpty() || !pinned.equals(actual)) {
        return false;
      }
    }
    return true;
  }

  /** Runs {@code command} in the project with {@code env} added; fails after the timeout. */
  public Run run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("NO_COLOR", "1");
    log.info("running {} in {}", String.join(" ", command), directory);
    Process process = builder.start();
    List<String> output = new ArrayList<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  log.info("[{}] {}", command.get(0), line);
                  synchronized (output) {
                    output.add(line);
                  }
                }
              } catch (IOException e) {
                log.warn("output of {} ended: {}", command.get(0), e.toString());
              }
            },
            command.get(0) + "-output");
    pump.setDaemon(true);
    pump.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      pump.join(TimeUnit.SECONDS.toMillis(5));
      synchronized (output) {
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish in "
                + timeoutSeconds
                + " s:\n"
                + String.join("\n", output));
      }
    }
    pump.join(TimeUnit.SECONDS.toMillis(10));
    synchronized (output) {
      return new Run(process.exitValue(), List.copyOf(output));
    }
  }

  /** The "not ok" entries with their details and the final counts of TAP output. */
  public static String tapSummary(List<String> lines) {
    StringBuilder out = new StringBuilder();
    boolean inFailure = false;
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.startsWith("not ok")) {
        inFailure = true;
      } else if (trimmed.startsWith("ok ") || trimmed.startsWith("# Subtest")) {
        inFailure = false;
      }
      if (inFailure || line.startsWith("# ") || line.startsWith("[chromium]")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static void requireTool(String tool) {
    try {
      Process probe = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      String version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        throw new AssertionError(tool + " --version failed: " + version);
      }
      log.info("{} {}", tool, version.trim());
    } catch (IOException e) {
      throw new AssertionError(
          "'" + tool + "' is not on the PATH: the browser tests need Node.js 20+ and npm", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
