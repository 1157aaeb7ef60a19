package dev.signet.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.RunningStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * audit-service's operator dashboard in real headless Chromium ({@code /usr/bin/chromium} through
 * {@code playwright-core}, the setup of {@code e2e-tests/browser}) against the shared stack: the
 * script {@code e2e-tests/browser/dashboard/operator-dashboard.mjs} creates activity through the
 * real APIs, signs in, searches a user, opens a challenge, approves a review item and checks the
 * action's state in challenge-service, and renders stored script payloads without running them.
 *
 * <p>Screenshots of the main pages go to {@code e2e-tests/target/dashboard-screenshots}; {@code
 * -Dsignet.dashboard.screenshots=docs/img} (relative to the repository root) refreshes the ones the
 * README shows.
 */
class DashboardBrowserIT {

  private static final long TEST_TIMEOUT_SECONDS = 420;
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("SIGNET_CHROMIUM", "/usr/bin/chromium"));

  private static RunningStack stack;
  private static NodeProject project;

  @BeforeAll
  static void install() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as(
            "%s is missing: .ci/run installs Chromium (apt-get install -y chromium); set"
                + " SIGNET_CHROMIUM to use another binary",
            CHROMIUM)
        .isTrue();
    project = new NodeProject(RunningStack.repositoryRoot().resolve("e2e-tests/browser"));
    project.install("@authsignal/browser", "@authsignal/node", "playwright-core");
    stack = RunningStack.get();
  }

  @Test
  void anOperatorSearchesOpensAChallengeAndApprovesAReviewItemInChromium() throws Exception {
    Path root = RunningStack.repositoryRoot();
    Path screenshots =
        root.resolve(
            System.getProperty(
                "signet.dashboard.screenshots", "e2e-tests/target/dashboard-screenshots"));
    NodeProject.Run tests =
        project.run(
            List.of(
                "node",
                "--test",
                "--test-reporter=tap",
                "--test-concurrency=1",
                "--test-timeout=360000",
                "dashboard/operator-dashboard.mjs"),
            Map.of(
                "SIGNET_API_URL", stack.url("challenge") + "/v1",
                "SIGNET_API_SECRET", stack.apiSecret(),
                "SIGNET_SANDBOX_URL", stack.url("sandbox"),
                "SIGNET_AUDIT_URL", stack.url("audit"),
                "SIGNET_RULES_URL", stack.url("rules"),
                "SIGNET_MANAGEMENT_SECRET", stack.managementSecret(),
                "SIGNET_DASHBOARD_OPERATOR", stack.dashboardOperator(),
                "SIGNET_DASHBOARD_PASSWORD", stack.dashboardPassword(),
                "SIGNET_DASHBOARD_SCREENSHOTS", screenshots.toString(),
                "SIGNET_CHROMIUM", CHROMIUM.toString()),
            TEST_TIMEOUT_SECONDS);

    assertThat(tests.exitCode())
        .as(
            "node --test exit code; failing tests and TAP summary:%n%s",
            NodeProject.tapSummary(tests.output()))
        .isZero();
    assertThat(tests.output()).contains("# fail 0").doesNotContain("# tests 0");
    assertThat(screenshots.resolve("dashboard-review-queue.png")).isNotEmptyFile();
  }
}
