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
 * Scenarios S2 and S3 with the official SDKs against the shared stack: {@code @authsignal/node}
 * tracks and validates on the server side, {@code @authsignal/browser} challenges, verifies and
 * enrols in a page served from 127.0.0.1 and loaded in real headless Chromium ({@code
 * /usr/bin/chromium}, installed by {@code .ci/run}), driven by {@code playwright-core}. The
 * scenarios live in {@code e2e-tests/browser/test}; versions are pinned in its package-lock.json.
 */
class BrowserSdkIT {

  private static final long TEST_TIMEOUT_SECONDS = 300;
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
    project.install("@authsignal/browser", "@authsignal/node", "playwright-core", "axe-core");
    stack = RunningStack.get();
  }

  @Test
  void theBrowserSdkCompletesAdaptiveMfaAndEnrolmentInChromium() throws Exception {
    NodeProject.Run tests =
        project.run(
            List.of(
                "node",
                "--test",
                "--test-reporter=tap",
                "--test-concurrency=2",
                "--test-timeout=180000"),
            Map.of(
                "SIGNET_API_URL",
                stack.url("challenge") + "/v1",
                "SIGNET_API_SECRET",
                stack.apiSecret(),
                "SIGNET_SANDBOX_URL",
                stack.url("sandbox"),
                // The audit view of an action completed on the hosted page (what the dashboard
                // shows).
                "SIGNET_AUDIT_URL",
                stack.url("audit"),
                "SIGNET_MANAGEMENT_SECRET",
                stack.managementSecret(),
                "SIGNET_DASHBOARD_OPERATOR",
                stack.dashboardOperator(),
                "SIGNET_DASHBOARD_PASSWORD",
                stack.dashboardPassword(),
                "SIGNET_CHROMIUM",
                CHROMIUM.toString(),
                // The hosted page's screenshots for the README (docs/hosted-ui.md).
                "SIGNET_UI_SCREENSHOTS",
                RunningStack.repositoryRoot()
                    .resolve(
                        System.getProperty(
                            "signet.ui.screenshots", "e2e-tests/target/ui-screenshots"))
                    .toString()),
            TEST_TIMEOUT_SECONDS);

    assertThat(tests.exitCode())
        .as(
            "node --test exit code; failing tests and TAP summary:%n%s",
            NodeProject.tapSummary(tests.output()))
        .isZero();
    assertThat(tests.output()).contains("# fail 0").doesNotContain("# tests 0");
  }
}
