package dev.signet.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The cluster stack's round-robin entry point in front of the instances of one service, inside the
 * launcher (the JDK's HTTP server and client): {@code gateway} for challenge-service's server and
 * client APIs, {@code webhooks} for sms-dispatcher's provider callbacks. It does what the docs ask
 * of a real gateway, at a development stack's scale:
 *
 * <ul>
 *   <li>health-checked upstreams: each instance's readiness probe every second, out of rotation
 *       after two failures (at once when a connection is refused), back after two successes;
 *   <li>a request goes to the next instance in rotation; it is tried on another instance only when
 *       it cannot have reached the first (the connection was refused) or when it is idempotent
 *       ({@code GET}, {@code HEAD}, {@code OPTIONS}): a {@code POST} an instance received is never
 *       replayed, since a challenge could then be sent twice;
 *   <li>no instance left: {@code 503} with {@code Retry-After} and a JSON error, like the services.
 * </ul>
 */
final class EntryPoint implements AutoCloseable {

  /** The services fronted by an entry point in cluster mode. */
  static final List<Component> FRONTED = List.of(Component.CHALLENGE, Component.DISPATCHER);

  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final String name;
  private final List<Upstream> upstreams;
  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService checks;
  private final AtomicInteger next = new AtomicInteger();
  private final Consumer<String> say;
  private final PrintWriter log;

  private EntryPoint(
      String name,
      List<Upstream> upstreams,
      HttpServer server,
      ExecutorService workers,
      Consumer<String> say,
      PrintWriter log) {
    this.name = name;
    this.upstreams = List.copyOf(upstreams);
    this.server = server;
    this.workers = workers;
    this.say = say;
    this.log = log;
    this.checks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-checks");
              t.setDaemon(true);
              return t;
            });
  }

  /** The entry point's name in the table and stack.json: {@code gateway}, {@code webhooks}. */
  static String name(Component fronted) {
    return fronted == Component.CHALLENGE ? "gateway" : "webhooks";
  }

  /** Listens on {@code address:port} and starts checking {@code upstreams}. */
  static EntryPoint start(
      Component fronted,
      String address,
      int port,
      List<Upstream> upstreams,
      Path logFile,
      Consumer<String> say) {
    try {
      Files.createDirectories(logFile.getParent());
      PrintWriter log =
          new PrintWriter(
              Files.newBufferedWriter(
                  logFile,
                  StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING),
              true);
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 128);
      ExecutorService workers =
          Executors.newFixedThreadPool(
              32,
              r -> {
                Thread t = new Thread(r, name(fronted) + "-worker");
                t.setDaemon(true);
                return t;
              });
      EntryPoint entry = new EntryPoint(name(fronted), upstreams, server, workers, say, log);
      server.createContext("/", entry::handle);
      server.setExecutor(workers);
      server.start();
      entry.checks.scheduleWithFixedDelay(
          entry::checkAll, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      entry.log(
          "listening on "
              + address
              + ":"
              + port
              + " in front of "
              + String.join(", ", upstreams.stream().map(u -> u.name + " " + u.base).toList()));
      return entry;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the entry point on port " + port, e);
    }
  }

  List<Upstream> upstreams() {
    return upstreams;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      for (Upstream upstream : rotation()) {
        HttpResponse<byte[]> response;
        try {
          response =
              CLIENT.send(
                  Forwarding.request(exchange, upstream.base, method, body, REQUEST_TIMEOUT),
                  HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException refused) {
          // Nothing reached this instance: take it out now and try the next one.
          markDown(upstream, "connection refused");
          continue;
        } catch (IOException failed) {
          markDown(upstream, failed.getClass().getSimpleName());
          if (!IDEMPOTENT.contains(method)) {
            log(
                method
                    + " "
                    + exchange.getRequestURI()
                    + " failed on "
                    + upstream.name
                    + ": "
                    + failed
                    + "; not retried (not idempotent)");
            error(exchange, 502, "bad_gateway", "The instance failed while answering.");
            return;
          }
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        // Outside the upstream's try: a caller that gave up (its connection gone) says nothing
        // about the instance that answered.
        Forwarding.respond(exchange, response, method);
        return;
      }
      error(exchange, 503, "service_unavailable", "No instance is ready; retry shortly.");
    }
  }

  /** The instances in rotation, starting with the next one in turn; all of them when none is. */
  private List<Upstream> rotation() {
    List<Upstream> ready = upstreams.stream().filter(Upstream::inRotation).toList();
    List<Upstream> candidates = ready.isEmpty() ? upstreams : ready;
    int start = Math.floorMod(next.getAndIncrement(), candidates.size());
    List<Upstream> order = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      order.add(candidates.get((start + i) % candidates.size()));
    }
    return order;
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    byte[] body =
        ("{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (status == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void checkAll() {
    for (Upstream upstream : upstreams) {
      upstream.check(CLIENT).ifPresent(this::report);
    }
  }

  /**
   * The process of instance {@code name} exited: out of rotation now, as an orchestrator removes a
   * dead instance's endpoint (its pooled connections would otherwise fail requests that may or may
   * not have reached it). The health checks bring it back once it is ready again.
   */
  void exited(String name) {
    upstreams.stream().filter(u -> u.name.equals(name)).forEach(u -> markDown(u, "exited"));
  }

  private void markDown(Upstream upstream, String why) {
    upstream.markDown(why).ifPresent(this::report);
  }

  private void report(String message) {
    log(message);
    say.accept(name + ": " + message);
  }

  private void log(String message) {
    log.println(Instant.now() + " " + message);
  }

  @Override
  public void close() {
    checks.shutdownNow();
    server.stop(0);
    workers.shutdownNow();
    log.close();
  }
}
