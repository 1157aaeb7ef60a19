package dev.signet.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The one-command local stack: starts a real Kafka broker, the MongoDB-wire server, the schema
 * registry, the SMS sandbox and the four services as separate processes, waits until each is ready,
 * prints one table of URLs, pids and logs, writes {@code <data>/stack.json}, and on Ctrl-C or
 * SIGTERM stops everything in reverse order, leaving no process behind.
 */
public final class LocalStack {

  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration MONGO_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);

  private final StackOptions options;
  private final Layout layout;
  private final PrintStream out;
  private final Map<String, String> env;
  private final String javaBin;
  private final SecureRandom random = new SecureRandom();
  private final PidFile pids;
  private final List<ChildProcess> children = new CopyOnWriteArrayList<>();

  /** One blocking probe per starting component, so that each one's start-up time is its own. */
  private final ExecutorService probes =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "readiness-probe");
            t.setDaemon(true);
            return t;
          });

  private final Object lifecycle = new Object();
  private boolean stopping;
  private boolean stopped;

  LocalStack(StackOptions options, Layout layout, PrintStream out, Map<String, String> env) {
    this.options = options;
    this.layout = layout;
    this.out = out;
    this.env = env;
    this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.pids = new PidFile(layout.pidFile());
  }

  public static void main(String[] args) {
    preloadOwnClasses();
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
   * Loads every class of this package up front. A rebuild rewrites the launcher's jar in place
   * while the stack runs; a class first needed at shutdown would then be read from the new bytes.
   * Sub-packages are not the launcher's: {@code mongo} extends mongo-java-server, which only the
   * MongoDB-wire server's process has on its class path.
   */
  private static final String OWN_PACKAGE = "dev/signet/localstack/";

  private static void preloadOwnClasses() {
    Path location = Layout.launcherCode();
    if (!Files.isRegularFile(location)) {
      return;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith(OWN_PACKAGE)
            && name.indexOf('/', OWN_PACKAGE.length()) < 0
            && name.endsWith(".class")) {
          Class.forName(
              name.substring(0, name.length() - ".class".length()).replace('/', '.'),
              false,
              LocalStack.class.getClassLoader());
        }
      }
    } catch (IOException | ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("Cannot load the launcher from " + location, e);
    }
  }

  /**
   * Runs the stack until it is stopped. Returns 2 when it could not start at all (port taken, jar
   * missing, data folder in use), 1 when a component failed; it does not return while the stack is
   * healthy.
   */
  int run() {
    Layout.createDirectories(layout.logsDir());
    if (!preflight()) {
      return 2;
    }
    Secrets secrets = Secrets.loadOrCreate(layout.secretsFile(), env, random);
    prepareRunFolder();
    stageJars();
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
            + String.join(", ", launches.stream().map(l -> l.component().id()).toList())
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
          if (!applyKafkaAccessPlan(secrets)) {
            return 1;
          }
        }
      }
    } catch (StoppingException e) {
      return 0;
    } catch (IOException e) {
      say("cannot start: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }

    Duration startup =
        Duration.between(
            ProcessHandle.current().info().startInstant().orElse(Instant.now()), Instant.now());
    List<StackDescription.Entry> measured = measure(entries);
    StackDescription.write(
        layout.stackFile(),
        StackDescription.json(
            secrets, ProcessHandle.current().pid(), layout, options, startup.toMillis(), measured));
    out.print(table(startup, measured, secrets));
    out.flush();
    return superviseUntilStopped();
  }

  /** Refuses to start into a busy data folder, a missing jar or a taken port; reaps leftovers. */
  private boolean preflight() {
    for (PidFile.Entry entry : pids.read()) {
      if (entry.name().equals(PidFile.LAUNCHER)) {
        if (entry.pid() != ProcessHandle.current().pid() && entry.live().isPresent()) {
          say(
              "another local stack (launcher pid "
                  + entry.pid()
                  + ") is running with the data folder "
                  + layout.display(layout.dataDir())
                  + ". Stop it first (Ctrl-C in its terminal, or kill "
                  + entry.pid()
                  + "), or use another --data-dir.");
          return false;
        }
      } else {
        entry.live().ifPresent(h -> reapLeftover(entry, h));
      }
    }
    List<String> missing = new ArrayList<>();
    for (Component c : options.components()) {
      Path needed =
          switch (c.kind()) {
            case KAFKA -> layout.kafkaLib();
            case MONGO -> layout.mongoLib();
            case HTTP -> layout.jar(c);
          };
      if (!Files.exists(needed)) {
        missing.add(c.id() + ": " + layout.display(needed) + " is missing");
      }
    }
    if (!missing.isEmpty()) {
      missing.forEach(m -> say("cannot start " + m));
      say(
          "Build with ./run (without --no-build), or mvn -B -q -DskipTests package; "
              + "or leave components out with --only.");
      return false;
    }
    List<Ports.Taken> taken = Ports.taken(options.components(), options.portOffset());
    if (!taken.isEmpty()) {
      taken.forEach(t -> say(t.message()));
      return false;
    }
    return true;
  }

  private void reapLeftover(PidFile.Entry entry, ProcessHandle handle) {
    say(
        "stopping leftover "
            + entry.name()
            + " (pid "
            + entry.pid()
            + ") of an earlier launcher that did not shut down");
    List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
    tree.add(handle);
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  private void prepareRunFolder() {
    try {
      Files.deleteIfExists(layout.stackFile());
      // No other launcher uses this data folder (preflight), so every throwaway run folder is
      // stale.
      deleteTree(layout.tmpDir());
      Files.createDirectories(layout.runDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies each HTTP component's jar into the run folder unless an identical copy is there. */
  private void stageJars() {
    for (Component c : options.components()) {
      if (!c.isHttp()) {
        continue;
      }
      Path source = layout.jar(c);
      Path target = layout.stagedJar(c);
      try {
        if (Files.exists(target)
            && Files.size(target) == Files.size(source)
            && Files.getLastModifiedTime(target).equals(Files.getLastModifiedTime(source))) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(
            source, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot copy " + source + " to " + target, e);
      }
    }
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
      if (launch.component() == Component.KAFKA && !prepareKafka(launch, secrets)) {
        return false;
      }
      started.add(startChild(launch));
    }
    List<CompletableFuture<ChildProcess.Readiness>> waits = new ArrayList<>();
    for (ChildProcess child : started) {
      Duration timeout =
          switch (child.component().kind()) {
            case KAFKA -> KAFKA_TIMEOUT;
            case MONGO -> MONGO_TIMEOUT;
            case HTTP -> options.httpTimeout();
          };
      waits.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return child.awaitReady(timeout);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return new ChildProcess.NotReady("interrupted");
                }
              },
              probes));
    }
    boolean allReady = true;
    for (int i = 0; i < started.size(); i++) {
      ChildProcess child = started.get(i);
      ChildProcess.Readiness readiness = waits.get(i).join();
      if (isStopping()) {
        throw new StoppingException();
      }
      if (readiness instanceof ChildProcess.Ready ready) {
        say(
            String.format(
                Locale.ROOT,
                "%s is ready after %.1f s (pid %d)",
                child.component().id(),
                ready.startup().toMillis() / 1000.0,
                child.pid()));
        entries.add(
            new StackDescription.Entry(
                child.component(),
                child.launch().url(),
                child.launch().port(),
                child.pid(),
                child.launch().log(),
                ready.startup().toMillis(),
                0));
      } else {
        allReady = false;
        reportFailure(child, ((ChildProcess.NotReady) readiness).reason());
      }
    }
    return allReady;
  }

  private void reportFailure(ChildProcess child, String reason) {
    say(
        "FAILED: "
            + child.component().id()
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

  /**
   * Writes the broker config (owner-only: it holds the admin password) and formats the log dir on
   * the first start, with the admin SCRAM user in it.
   */
  private boolean prepareKafka(Launch launch, Secrets secrets)
      throws IOException, InterruptedException {
    Path config = layout.kafkaConfig();
    Files.createDirectories(config.getParent());
    OwnerOnlyFiles.write(
        config,
        KafkaBroker.serverProperties(
            launch.port(),
            Component.KAFKA_CONTROLLER_PORT + options.portOffset(),
            layout.kafkaLogDir(),
            options.bindUrlHost(),
            options.urlHost(),
            secrets.kafkaPassword(KafkaPrincipal.ADMIN)));
    if (KafkaBroker.isFormatted(layout.kafkaLogDir())) {
      return true;
    }
    say("formatting the Kafka log dir " + layout.display(layout.kafkaLogDir()) + " (first start)");
    Files.deleteIfExists(launch.log());
    int exit =
        ChildProcess.runToCompletion(
            KafkaBroker.formatCommand(
                javaBin,
                layout.kafkaLib(),
                KafkaBroker.randomClusterId(random),
                config,
                KafkaBroker.addScramArgument(
                    KafkaPrincipal.ADMIN.username(),
                    secrets.kafkaPassword(KafkaPrincipal.ADMIN),
                    random)),
            layout.runDir(),
            launch.log(),
            FORMAT_TIMEOUT);
    if (exit != 0) {
      say(
          "FAILED: formatting the Kafka log dir (exit "
              + exit
              + "). Its log: "
              + layout.display(launch.log()));
      return false;
    }
    Files.move(
        launch.log(),
        launch.log().resolveSibling("kafka-format.log"),
        StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  /**
   * Sets every principal's SCRAM password, the ACLs of the access plan and the topics of the topic
   * plan, as the admin, before any other component connects (kafka.KafkaAccessSetup, in a JVM of
   * its own on the broker's class path).
   */
  private boolean applyKafkaAccessPlan(Secrets secrets) throws IOException, InterruptedException {
    Path log = layout.logsDir().resolve("kafka-access.log");
    Files.deleteIfExists(log);
    int exit =
        ChildProcess.runToCompletion(
            KafkaBroker.accessSetupCommand(javaBin, layout.kafkaLib(), Layout.launcherCode()),
            KafkaBroker.accessSetupEnvironment(Launch.kafkaBootstrap(options), secrets),
            layout.runDir(),
            log,
            FORMAT_TIMEOUT);
    if (exit != 0) {
      say(
          "FAILED: applying the Kafka access plan (exit "
              + exit
              + "). Its log: "
              + layout.display(log));
      List<String> tail = Files.readAllLines(log, StandardCharsets.UTF_8);
      tail.subList(Math.max(0, tail.size() - 10), tail.size())
          .forEach(line -> out.println("    | " + line));
      return false;
    }
    say("Kafka users, ACLs and topics are in place (" + layout.display(log) + ")");
    return true;
  }

  private ChildProcess startChild(Launch launch) throws IOException {
    synchronized (lifecycle) {
      if (stopping) {
        throw new StoppingException();
      }
      Path workDir =
          launch.component().isHttp() ? layout.componentDir(launch.component()) : layout.runDir();
      Files.createDirectories(workDir);
      // Kafka and Mongo output stays in the log files: it is long and rarely what you look for.
      boolean echo = !options.quiet() && launch.component().isHttp();
      ChildProcess child = ChildProcess.start(launch, workDir, out, echo);
      children.add(child);
      pids.add(launch.component().id(), child.handle());
      return child;
    }
  }

  private List<StackDescription.Entry> measure(List<StackDescription.Entry> entries) {
    List<StackDescription.Entry> measured = new ArrayList<>();
    for (StackDescription.Entry e : entries) {
      long rss =
          children.stream()
              .filter(c -> c.pid() == e.pid())
              .findFirst()
              .map(ChildProcess::rssKib)
              .orElse(-1L);
      measured.add(
          new StackDescription.Entry(
              e.component(), e.url(), e.port(), e.pid(), e.log(), e.startupMillis(), rss));
    }
    measured.sort(Comparator.comparing(e -> e.component().ordinal()));
    return measured;
  }

  String table(Duration startup, List<StackDescription.Entry> entries, Secrets secrets) {
    StringBuilder b = new StringBuilder();
    b.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "Signet local stack is up: %d components ready %.1f s after launch (%s)%n%n",
                entries.size(),
                startup.toMillis() / 1000.0,
                options.inMemory()
                    ? "in memory, data is thrown away on stop"
                    : "data kept in " + layout.display(layout.dataDir())));
    String row = "  %-11s %-26s %-8s %-9s %-9s %s%n";
    b.append(String.format(Locale.ROOT, row, "COMPONENT", "URL", "PID", "READY IN", "RSS", "LOG"));
    long total = 0;
    for (StackDescription.Entry e : entries) {
      total += Math.max(0, e.rssKib());
      b.append(
          String.format(
              Locale.ROOT,
              row,
              e.component().id(),
              e.url(),
              e.pid(),
              String.format(Locale.ROOT, "%.1f s", e.startupMillis() / 1000.0),
              mib(e.rssKib()),
              layout.display(e.log())));
    }
    b.append(String.format(Locale.ROOT, row, "total", "", "", "", mib(total), ""));
    b.append('\n');
    b.append("  API secret          ").append(secrets.apiSecret()).append('\n');
    b.append("  Management secret   ").append(secrets.managementSecret()).append('\n');
    for (StackDescription.Entry e : entries) {
      if (e.component() == Component.AUDIT) {
        b.append("  Operator dashboard  ")
            .append(e.url())
            .append("/dashboard/ (sign in with the management secret)")
            .append('\n');
      }
    }
    b.append("  Kafka               SASL/SCRAM-SHA-512 and ACLs, one user per component")
        .append(" (passwords in the secrets file)")
        .append('\n');
    b.append("  Other secrets       ").append(layout.display(layout.secretsFile())).append('\n');
    b.append("  Stack description   ").append(layout.display(layout.stackFile())).append('\n');
    b.append('\n').append("  Stop with Ctrl-C.").append('\n').append('\n');
    return b.toString();
  }

  private static String mib(long kib) {
    return kib < 0 ? "n/a" : (kib + 512) / 1024 + " MiB";
  }

  /** Blocks while every component runs; a component that dies takes the stack down with it. */
  private int superviseUntilStopped() {
    CompletableFuture<?>[] exits =
        children.stream().map(c -> c.process().onExit()).toArray(CompletableFuture[]::new);
    CompletableFuture.anyOf(exits).join();
    if (isStopping()) {
      return 0;
    }
    for (ChildProcess child : children) {
      if (!child.isAlive()) {
        say(
            "FAILED: "
                + child.component().id()
                + " exited with code "
                + child.process().exitValue()
                + ". Its log: "
                + layout.display(child.launch().log())
                + ". Stopping the stack.");
      }
    }
    return 1;
  }

  private boolean isStopping() {
    synchronized (lifecycle) {
      return stopping;
    }
  }

  /** The shutdown hook: services first, then registry and sandbox, then Kafka and Mongo. */
  void stopAll() {
    List<ChildProcess> running;
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopping = true;
      stopped = true;
      running = List.copyOf(children);
    }
    try {
      Files.deleteIfExists(layout.stackFile());
    } catch (IOException e) {
      say("cannot delete " + layout.stackFile() + ": " + e.getMessage());
    }
    if (!running.isEmpty()) {
      say("stopping " + running.size() + " components");
    }
    for (int group = 0; group < Component.STOP_GROUPS; group++) {
      int g = group;
      List<ChildProcess> batch =
          running.stream().filter(c -> c.component().stopGroup() == g).toList();
      batch.forEach(ChildProcess::requestStop);
      Instant asked = Instant.now();
      for (ChildProcess child : batch) {
        try {
          Duration grace = grace(child.component());
          if (child.awaitStop(grace)) {
            say(
                String.format(
                    Locale.ROOT,
                    "%s stopped after %.1f s",
                    child.component().id(),
                    Duration.between(asked, Instant.now()).toMillis() / 1000.0));
          } else {
            say(
                child.component().id()
                    + " did not stop within "
                    + grace.toSeconds()
                    + " s and was killed");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          child.handle().destroyForcibly();
        }
      }
    }
    pids.delete();
    if (layout.throwaway()) {
      try {
        deleteTree(layout.runDir());
        try (Stream<Path> left = Files.list(layout.tmpDir())) {
          if (left.findAny().isEmpty()) {
            Files.delete(layout.tmpDir());
          }
        }
      } catch (IOException e) {
        say("cannot delete " + layout.runDir() + ": " + e.getMessage());
      }
    }
    if (!running.isEmpty()) {
      List<Ports.Taken> stillTaken = Ports.taken(options.components(), options.portOffset());
      if (stillTaken.isEmpty()) {
        say("stopped; all processes exited and all ports are free");
      } else {
        stillTaken.forEach(
            t ->
                say(
                    "stopped, but port "
                        + t.port()
                        + " ("
                        + t.component().id()
                        + ") is still in use"));
      }
    }
    out.flush();
  }

  private static Duration grace(Component component) {
    return switch (component) {
      case KAFKA -> Duration.ofSeconds(30);
      case MONGO -> Duration.ofSeconds(10);
      default -> Duration.ofSeconds(20);
    };
  }

  private void say(String message) {
    out.println("[stack     ] " + message);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Thrown when a stop request arrives while the stack is still starting. */
  private static final class StoppingException extends RuntimeException {
    StoppingException() {
      super("stopping", null, false, false);
    }
  }
}
