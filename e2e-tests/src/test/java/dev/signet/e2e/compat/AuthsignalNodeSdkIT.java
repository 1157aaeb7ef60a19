package dev.signet.e2e.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.ExtraServiceInstance;
import dev.signet.e2e.stack.RunningStack;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the official {@code @authsignal/node} SDK (pinned in {@code e2e-tests/node/package.json},
 * installed from npm with {@code npm ci}) against the shared stack with Node's built-in test
 * runner, changing nothing but the SDK's {@code apiUrl}. The scenarios live in {@code
 * e2e-tests/node/test}; this class installs the SDK when needed, runs them, streams their TAP
 * output into the test log and fails with the failing tests when the runner does not exit with 0.
 */
class AuthsignalNodeSdkIT {

  private static final Logger log = LoggerFactory.getLogger(AuthsignalNodeSdkIT.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long NPM_TIMEOUT_SECONDS = 300;
  private static final long TEST_TIMEOUT_SECONDS = 240;

  private static RunningStack stack;
  private static Path project;

  @BeforeAll
  static void installSdk() throws Exception {
    project = RunningStack.repositoryRoot().resolve("e2e-tests/node");
    requireTool("node");
    requireTool("npm");
    if (!installedSdkMatchesLockfile()) {
      Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), NPM_TIMEOUT_SECONDS);
      assertThat(npm.exitCode())
          .as("npm ci in %s (needs the npm registry):%n%s", project, npm.output())
          .isZero();
    }
    stack = RunningStack.get();
  }

  /** Whether node_modules holds exactly the SDK version package-lock.json pins. */
  private static boolean installedSdkMatchesLockfile() throws IOException {
    Path installed = project.resolve("node_modules/@authsignal/node/package.json");
    if (!Files.exists(installed)) {
      return false;
    }
    JsonNode lock = JSON.readTree(Files.readString(project.resolve("package-lock.json")));
    String pinned =
        lock.path("packages").path("node_modules/@authsignal/node").path("version").asText();
    String actual = JSON.readTree(Files.readString(installed)).path("version").asText();
    log.info("@authsignal/node pinned {} installed {}", pinned, actual);
    return !pinned.isEmpty() && pinned.equals(actual);
  }

  @Test
  void officialNodeSdkRunsTheScenariosUnchangedAgainstSignet() throws Exception {
    Run tests =
        nodeTest(
            List.of("--test-concurrency=4"),
            Map.of(
                "SIGNET_API_URL", stack.url("challenge") + "/v1",
                "SIGNET_API_SECRET", stack.apiSecret(),
                "SIGNET_SANDBOX_URL", stack.url("sandbox"),
                "SIGNET_RULES_URL", stack.url("rules"),
                "SIGNET_AUDIT_URL", stack.url("audit"),
                "SIGNET_MANAGEMENT_SECRET", stack.managementSecret()));

    assertThat(tests.exitCode())
        .as("node --test exit code; failing tests and TAP summary:%n%s", summary(tests.output()))
        .isZero();
    assertThat(tests.output()).contains("# fail 0").doesNotContain("# tests 0");
  }

  /**
   * Sessions across two challenge-service instances ({@code
   * node/instances/sessions-across-instances.mjs}): what one instance revokes, the other refuses on
   * the next call. Kept out of the default run because it needs the second instance (the one the
   * test classes share).
   */
  @Test
  void sessionsRevokedOnOneInstanceAreRefusedByTheOther() throws Exception {
    ExtraServiceInstance second = ExtraServiceInstance.challengeService(stack);
    Run tests =
        nodeTest(
            List.of("instances/sessions-across-instances.mjs"),
            Map.of(
                "SIGNET_API_URL",
                stack.url("challenge") + "/v1",
                "SIGNET_SECOND_API_URL",
                second.url() + "/v1",
                "SIGNET_API_SECRET",
                stack.apiSecret(),
                "SIGNET_SANDBOX_URL",
                stack.url("sandbox")));

    assertThat(tests.exitCode())
        .as("node --test exit code; failing tests and TAP summary:%n%s", summary(tests.output()))
        .isZero();
    assertThat(tests.output()).contains("# pass 2").contains("# fail 0");
  }

  /** {@code node --test} with the TAP reporter and a per-test timeout, plus {@code arguments}. */
  private static Run nodeTest(List<String> arguments, Map<String, String> environment)
      throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("node", "--test", "--test-reporter=tap", "--test-timeout=120000"));
    command.addAll(arguments);
    return run(command, environment, TEST_TIMEOUT_SECONDS);
  }

  /** The "not ok" lines with their details and the final counts, for the failure message. */
  private static String summary(List<String> lines) {
    StringBuilder out = new StringBuilder();
    boolean inFailure = false;
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.startsWith("not ok")) {
        inFailure = true;
      } else if (trimmed.startsWith("ok ") || trimmed.startsWith("# Subtest")) {
        inFailure = false;
      }
      if (inFailure || line.startsWith("# ")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private record Run(int exitCode, List<String> output) {}

  private static Run run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("NO_COLOR", "1");
    log.info("running {} in {}", String.join(" ", command), project);
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
          "'"
              + tool
              + "' is not on the PATH: the Authsignal SDK compatibility test needs Node.js 20+"
              + " and npm (https://nodejs.org)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
