package dev.signet.e2e.stack;

import dev.signet.testsupport.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The whole local stack, started once per test JVM with the README's run command ({@code ./run
 * --no-build --in-memory --port-offset 100 --quiet}) next to any stack a developer already runs,
 * and stopped by a shutdown hook. Tests read URLs and secrets from the {@code stack.json} it writes
 * when every component is healthy.
 */
public final class RunningStack {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static RunningStack instance;

  /** Origins of the browser tests' local pages, allowed by the stack's client API. */
  public static final String BROWSER_TEST_ORIGINS = "http://127.0.0.1:[*]";

  /**
   * The fictional range the tests' phone numbers come from ({@link Sandbox#freshPhoneNumber()}):
   * challenge-service accepts it only when told to.
   */
  public static final String FICTIONAL_NUMBER_PREFIXES = "+4477009";

  /** The stack's test number with its fixed code (FixedCodeNumberIT); opt in, like the range. */
  public static final String TEST_NUMBERS = "+447700900000:000000";

  private final LocalStack stack;

  private RunningStack(LocalStack stack) {
    this.stack = stack;
  }

  /** Starts the stack on first use; later calls return the same one. */
  public static synchronized RunningStack get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-local-stack"));
    }
    return instance;
  }

  public static Path repositoryRoot() {
    return LocalStack.repositoryRoot();
  }

  /** The e2e port offset: {@code -Dsignet.e2e.portOffset}, 100 by default. */
  public static int portOffset() {
    return Integer.parseInt(System.getProperty("signet.e2e.portOffset", "100"));
  }

  private static RunningStack start() {
    // A second stack beside a developer's one; -Dsignet.e2e.portOffset moves it further aside.
    int portOffset = portOffset();
    // Browser tests serve their page from 127.0.0.1 on a free port; the client API must allow
    // that origin (CORS), and the hosted page may be framed by, post to and redirect back to
    // those test pages. Development-only settings are opt in: the stack gets them explicitly,
    // nothing by default. The launcher's environment reaches every service it starts.
    Map<String, String> environment =
        Map.of(
            "SIGNET_CLIENT_ALLOWED_ORIGINS", BROWSER_TEST_ORIGINS,
            "SIGNET_UI_FRAME_ORIGINS", BROWSER_TEST_ORIGINS,
            "SIGNET_UI_REDIRECT_ORIGINS", BROWSER_TEST_ORIGINS,
            "SIGNET_FICTIONAL_NUMBER_PREFIXES", FICTIONAL_NUMBER_PREFIXES,
            "SIGNET_TEST_NUMBERS", TEST_NUMBERS,
            // An attempt whose every route is down ends at its send deadline (60 s by default);
            // 20 s here, so the test of that case does not wait a minute.
            "SIGNET_SMS_SENDDEADLINE", "20s");
    return new RunningStack(
        LocalStack.start(
            launch("stack-" + portOffset, portOffset, environment, List.of(), START_TIMEOUT)));
  }

  /**
   * How the end-to-end tests start a stack of their own: its data in {@code
   * e2e-tests/target/<name>}, the launcher's log beside it in {@code <name>.log}.
   */
  public static LocalStack.Launch launch(
      String name,
      int portOffset,
      Map<String, String> environment,
      List<String> runOptions,
      Duration timeout) {
    Path target = repositoryRoot().resolve("e2e-tests/target");
    return new LocalStack.Launch(
        repositoryRoot(),
        target.resolve(name),
        portOffset,
        target.resolve(name + ".log"),
        environment,
        runOptions,
        timeout);
  }

  /** Stops the launcher, which stops every component it started. */
  public void stop() {
    stack.close();
  }

  /** The shared launcher's view of this stack, for what the methods below do not name. */
  public LocalStack local() {
    return stack;
  }

  public Process launcher() {
    return stack.launcher();
  }

  public Path dataDir() {
    return stack.dataDir();
  }

  public String apiSecret() {
    return stack.apiSecret();
  }

  public String managementSecret() {
    return stack.managementSecret();
  }

  /** The dashboard account ./run generated. */
  public String dashboardOperator() {
    return stack.dashboardOperator();
  }

  public String dashboardPassword() {
    return stack.dashboardPassword();
  }

  /**
   * Base URL of a component by its name in stack.json, e.g. {@code challenge} or {@code sandbox}.
   */
  public String url(String component) {
    return stack.url(component);
  }

  public JsonNode description() {
    return stack.description();
  }

  /** The broker's bootstrap address. */
  public String kafkaBootstrap() {
    return stack.kafkaBootstrap();
  }

  /** See {@link LocalStack#kafkaClient(String)}. */
  public Map<String, Object> kafkaClient(String principal) {
    return stack.kafkaClient(principal);
  }

  /** As {@link #kafkaClient(String)} for the admin: tests that observe or set up anything. */
  public Map<String, Object> kafkaAdminClient() {
    return stack.kafkaAdminClient();
  }

  /** The registry's writer credential, {@code user:password} as {@code basic.auth.user.info}. */
  public String registryWriterUserInfo() {
    return stack.registryWriterUserInfo();
  }

  /** Serde settings for the stack's registry: reads, and writes with the writer's credential. */
  public Map<String, Object> serdeClient() {
    return stack.serdeClient();
  }
}
