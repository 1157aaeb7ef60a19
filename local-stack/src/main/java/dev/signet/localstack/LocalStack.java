package dev.signet.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one-command local stack: starts a real Kafka broker, the MongoDB-wire server, the schema
 * registry, the SMS sandbox and the four services as separate processes, waits until each is ready,
 * prints one table of URLs, pids and logs, writes {@code <data>/stack.json}, restarts a component
 * that crashes ({@link Supervisor}), and on Ctrl-C or SIGTERM stops everything in reverse order,
 * leaving no process behind.
 */
public final class LocalStack {

  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration MONGO_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ZIPKIN_TIMEOUT = Duration.ofSeconds(90);

  private final StackOptions options;
  private final Layout layout;
  private final PrintStream out;
  private final Map<String, String> env;
  private final String javaBin;
  private final SecureRandom random = new SecureRandom();
  private final PidFile pids;
  private final Children children;
  private final KafkaSetup kafkaSetup;
  private final EntryPoints entryPoints;

  /** One blocking probe per starting component, so that each one's start-up time is its own. */
  private final ExecutorService probes =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "readiness-probe");
            t.setDaemon(true);
            return t;
          });

  LocalStack(StackOptions options, Layout layout, PrintStream out, Map<String, String> env) {
    this.options = options;
    this.layout = layout;
    this.out = out;
    this.env = env;
    this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.pids = new PidFile(layout.pidFile());
    this.children = new Children(options, layout, pids, out, this::say);
    this.kafkaSetup = new KafkaSetup(options, layout, javaBin, random, out, this::say);
    this.entryPoints = new EntryPoints(options, layout, this::say);
  }

  public static void main(String[] args) {
    Layout.preloadLauncherClasses();
    Path target = Layout.launcherTarget();
    Path repoRoot = target.getParent().getParent();
    StackOptions options;
    try {
      options = StackOptions.parse(List.of(args), System.getenv(), repoRoot);
    } catch (IllegalArgumentException e) {
      System.err.println("local-stack: " + e.getMessage());
      System.err.print(StackOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(StackOptions.USAGE);
      return;
    }
    Layout layout =
        Layout.of(
            target,
            Layout.launcherVersion(),
            options.dataDir(),
            options.inMemory(),
            ProcessHandle.current().pid());
    int code = new LocalStack(options, layout, System.out, System.getenv()).run();
    System.exit(code);
  }

  /**
   * Runs the stack until it is stopped. Returns 2 when it could not start at all (port taken, jar
   * missing, data folder in use), 1 when a component failed to start or kept crashing; it does not
   * return while the stack runs.
   */
  int run() {
    Layout.createDirectories(layout.logsDir());
    Preflight preflight = new Preflight(options, layout, pids, this::say);
    if (!preflight.passes()) {
      return 2;
    }
    Secrets secrets = Secrets.loadOrCreate(layout.secretsFile(), env, random);
    preflight.prepareRunFolder();
    pids.begin(ProcessHandle.current());
    Thread hook = new Thread(this::stopAll, "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = startAndSupervise(secrets);
    if (code != 0) {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: nothing left to remove
      }
    }
    return code;
  }

  private int startAndSupervise(Secrets secrets) {
    List<Launch> launches = Launch.plan(options, layout, secrets, javaBin);
    say(
        "starting "
            + String.join(", ", launches.stream().map(Launch::name).toList())
            + (options.inMemory() ? " (in memory, throwaway)" : "")
            + "; data folder "
            + layout.display(layout.dataDir())
            + ", logs in "
            + layout.display(layout.logsDir()));

    List<StackDescription.Entry> entries = new ArrayList<>();
    try {
      for (int phase = 0; phase < Component.START_PHASES; phase++) {
        int p = phase;
        List<Launch> batch =
            launches.stream().filter(l -> l.component().startPhase() == p).toList();
        if (!batch.isEmpty() && !startPhase(batch, entries, secrets)) {
          return 1;
        }
        if (phase == 0 && options.components().contains(Component.KAFKA)) {
          if (!kafkaSetup.applyPlans(secrets)) {
            return 1;
          }
        }
      }
      if (options.topology().hasInstances()) {
        entryPoints.start(entries);
      }
    } catch (Children.StoppingException e) {
      return 0;
    } catch (IOException | java.io.UncheckedIOException e) {
      say("cannot start: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }

    Duration startup =
        Duration.between(
            ProcessHandle.current().info().startInstant().orElse(Instant.now()), Instant.now());
    List<StackDescription.Entry> measured = StackDescription.measured(entries, children::rssKib);
    StackDescription.write(
        layout.stackFile(),
        StackDescription.json(
            secrets, ProcessHandle.current().pid(), layout, options, startup.toMillis(), measured));
    out.print(StartupTable.render(options, layout, startup, measured, secrets));
    out.flush();
    return supervise(secrets, startup, measured);
  }

  /** Entry points first (they run in this JVM), then every child in order. */
  private void stopAll() {
    entryPoints.close();
    children.stopAll();
  }

  /** Restarts what crashes until the stack is stopped; stack.json follows each restart. */
  private int supervise(Secrets secrets, Duration startup, List<StackDescription.Entry> measured) {
    List<StackDescription.Entry> described = new ArrayList<>(measured);
    Supervisor supervisor =
        new Supervisor(
            children,
            child -> awaitReady(child).join(),
            fresh -> {
              // stack.json names the new pid, so that tools and tests find the running process.
              described.replaceAll(e -> e.name().equals(fresh.name()) ? e.withPid(fresh.pid()) : e);
              StackDescription.write(
                  layout.stackFile(),
                  StackDescription.json(
                      secrets,
                      ProcessHandle.current().pid(),
                      layout,
                      options,
                      startup.toMillis(),
                      described));
            },
            // An entry point stops routing to an instance that exited, at once.
            dead -> entryPoints.exited(dead.name()),
            this::say,
            layout);
    return supervisor.superviseUntilStopped();
  }

  /** Starts one phase's components together and waits until all are ready. */
  private boolean startPhase(
      List<Launch> batch, List<StackDescription.Entry> entries, Secrets secrets)
      throws IOException, InterruptedException {
    List<ChildProcess> started = new ArrayList<>();
    // Kafka last: its first start formats the log dir, and Mongo need not wait for that.
    List<Launch> ordered = new ArrayList<>(batch);
    ordered.sort(Comparator.comparing(l -> l.component() == Component.KAFKA));
    for (Launch launch : ordered) {
      if (launch.component() == Component.KAFKA && !kafkaSetup.prepare(launch, secrets)) {
        return false;
      }
      started.add(children.start(launch));
    }
    List<CompletableFuture<ChildProcess.Readiness>> waits =
        started.stream().map(this::awaitReady).toList();
    boolean allReady = true;
    for (int i = 0; i < started.size(); i++) {
      ChildProcess child = started.get(i);
      ChildProcess.Readiness readiness = waits.get(i).join();
      if (children.isStopping()) {
        throw new Children.StoppingException();
      }
      if (readiness instanceof ChildProcess.Ready ready) {
        entries.add(ready(child, ready));
      } else {
        allReady = false;
        reportFailure(child, ((ChildProcess.NotReady) readiness).reason());
      }
    }
    return allReady;
  }

  /** One blocking probe per child on its own thread, so each start-up time is its own. */
  private CompletableFuture<ChildProcess.Readiness> awaitReady(ChildProcess child) {
    Duration timeout =
        switch (child.component().kind()) {
          case KAFKA -> KAFKA_TIMEOUT;
          case MONGO -> MONGO_TIMEOUT;
          case ZIPKIN -> ZIPKIN_TIMEOUT;
          case HTTP -> options.httpTimeout();
        };
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return child.awaitReady(timeout);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ChildProcess.NotReady("interrupted");
          }
        },
        probes);
  }

  private StackDescription.Entry ready(ChildProcess child, ChildProcess.Ready ready) {
    say(
        String.format(
            Locale.ROOT,
            "%s is ready after %.1f s (pid %d)",
            child.name(),
            ready.startup().toMillis() / 1000.0,
            child.pid()));
    return new StackDescription.Entry(
        child.component(),
        child.name(),
        child.launch().url(),
        child.launch().port(),
        child.pid(),
        child.launch().log(),
        ready.startup().toMillis(),
        0);
  }

  private void reportFailure(ChildProcess child, String reason) {
    say(
        "FAILED: "
            + child.name()
            + " "
            + reason
            + ". Its log: "
            + layout.display(child.launch().log())
            + (child.component().isHttp()
                ? " (health: " + child.launch().url() + child.component().readinessPath() + ")"
                : ""));
    List<String> tail = child.logTail(20);
    if (!tail.isEmpty()) {
      say("last lines of " + layout.display(child.launch().log()) + ":");
      tail.forEach(line -> out.println("    | " + line));
    }
  }

  private void say(String message) {
    out.println("[stack     ] " + message);
  }
}
