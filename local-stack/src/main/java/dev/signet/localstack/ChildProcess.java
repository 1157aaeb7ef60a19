package dev.signet.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One running component: its process, the thread that copies its output to its log file (and,
 * unless quiet, to the console with a {@code [name]} prefix), its readiness probe and its shutdown.
 */
final class ChildProcess {

  private static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * On Linux each child runs in its own session, so a Ctrl-C in the terminal reaches only the
   * launcher, which then stops the children in order (services before Kafka and Mongo).
   */
  private static final Optional<String> SETSID =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst();

  private final Launch launch;
  private final Process process;
  private final Instant started;
  private final Thread pump;

  private ChildProcess(Launch launch, Process process, Instant started, Thread pump) {
    this.launch = launch;
    this.process = process;
    this.started = started;
    this.pump = pump;
  }

  /** Starts the component; its previous log is kept as {@code <name>.previous.log}. */
  static ChildProcess start(Launch launch, Path workDir, PrintStream console, boolean echo)
      throws IOException {
    Path log = launch.log();
    Files.createDirectories(log.getParent());
    if (Files.exists(log)) {
      Files.move(
          log,
          log.resolveSibling(launch.name() + ".previous.log"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>();
    SETSID.ifPresent(command::add);
    command.addAll(launch.command());
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(launch.environment());
    Instant started = Instant.now();
    Process process = builder.start();
    process.getOutputStream().close();
    Writer writer =
        Files.newBufferedWriter(
            log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String prefix = String.format("[%-10s] ", launch.name());
    Thread pump =
        new Thread(
            () -> copy(process, writer, echo ? console : null, prefix), "log-" + launch.name());
    pump.setDaemon(true);
    pump.start();
    return new ChildProcess(launch, process, started, pump);
  }

  /** Runs a one-shot helper command (Kafka's storage format) with its output in {@code log}. */
  static int runToCompletion(List<String> command, Path workDir, Path log, Duration timeout)
      throws IOException, InterruptedException {
    return runToCompletion(command, Map.of(), workDir, log, timeout);
  }

  /** As above, with {@code environment} added to the launcher's own. */
  static int runToCompletion(
      List<String> command,
      Map<String, String> environment,
      Path workDir,
      Path log,
      Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Process p = builder.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.toHandle().destroyForcibly();
      p.waitFor();
      return -1;
    }
    return p.exitValue();
  }

  private static void copy(Process process, Writer log, PrintStream console, String prefix) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = log) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (console != null) {
          console.println(prefix + line);
        }
      }
    } catch (IOException e) {
      // the process went away mid-line; its log has everything it wrote before
    }
  }

  Launch launch() {
    return launch;
  }

  Component component() {
    return launch.component();
  }

  /** The process's name: the component's id, with the instance number after a second one's. */
  String name() {
    return launch.name();
  }

  long pid() {
    return process.pid();
  }

  Instant started() {
    return started;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  /** The outcome of waiting for readiness. */
  sealed interface Readiness permits Ready, NotReady {}

  record Ready(Duration startup) implements Readiness {}

  record NotReady(String reason) implements Readiness {}

  /**
   * Polls until the component is ready: its port accepts connections (Kafka, Mongo) or its {@code
   * GET} of its readiness probe answers {@code "status":"UP"} (HTTP components). Fails fast when
   * the process exits.
   */
  Readiness awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      if (!process.isAlive()) {
        return new NotReady("exited with code " + process.exitValue() + " before it was ready");
      }
      if (probe()) {
        return new Ready(Duration.between(started, Instant.now()));
      }
      if (Instant.now().isAfter(deadline)) {
        return new NotReady("was not ready within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(component().isHttp() ? 500 : 200);
    }
  }

  private boolean probe() throws InterruptedException {
    if (!component().isHttp()) {
      return Ports.accepts(launch.host(), launch.port());
    }
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(launch.url() + component().readinessPath()))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && UP.matcher(response.body()).find();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Asks the process and everything it started to stop (SIGTERM). Goes through {@link
   * ProcessHandle}: {@link Process#destroy()} would also close the output pipe and lose the
   * component's shutdown log.
   */
  void requestStop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.toHandle().destroy();
  }

  /** Waits for the process tree to exit; kills what is left after {@code grace}. */
  boolean awaitStop(Duration grace) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    Instant deadline = Instant.now().plus(grace);
    boolean clean = waitAll(tree, deadline);
    if (!clean) {
      tree.forEach(ProcessHandle::destroyForcibly);
      waitAll(tree, Instant.now().plusSeconds(10));
    }
    pump.join(2000);
    return clean;
  }

  private static boolean waitAll(List<ProcessHandle> handles, Instant deadline)
      throws InterruptedException {
    for (ProcessHandle h : handles) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      try {
        h.onExit().get(Math.max(left, 1), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    return true;
  }

  /** Resident memory of the process and its descendants in KiB, or -1 where /proc is missing. */
  long rssKib() {
    long total = ProcFs.rssKib(process.pid());
    if (total < 0) {
      return -1;
    }
    for (ProcessHandle h : process.descendants().toList()) {
      total += Math.max(0, ProcFs.rssKib(h.pid()));
    }
    return total;
  }

  /** The last lines of the log, to show next to a start-up failure. */
  List<String> logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(launch.log(), StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
