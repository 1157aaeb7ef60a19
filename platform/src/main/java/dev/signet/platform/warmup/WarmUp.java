package dev.signet.platform.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Sends the service's {@link WarmUpCall}s to itself over loopback, {@link WarmUpSettings#rounds()}
 * times each, before it reports ready: a runner runs before Spring Boot publishes the readiness
 * state {@code ACCEPTING_TRAFFIC}, so a load balancer or the local stack sends no user request
 * until the request path's classes are loaded, its lambdas linked and its hot methods compiled, and
 * the connection pools behind it opened. Without it the first requests after a start took tens of
 * times the steady state's latency.
 *
 * <p>Each warm-up request carries {@link #HEADER} with a random token known only to this process,
 * so the request log writes it at DEBUG; a request from outside cannot guess the token.
 */
public final class WarmUp implements ApplicationRunner {

  /** The header that marks this process's own warm-up requests. */
  public static final String HEADER = "X-Signet-Warm-Up";

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  private static final byte[] TOKEN = token();

  private final List<WarmUpCall> calls;
  private final WarmUpSettings settings;
  private final IntSupplier port;

  public WarmUp(List<WarmUpCall> calls, WarmUpSettings settings, IntSupplier port) {
    this.calls = List.copyOf(calls);
    this.settings = settings;
    this.port = port;
  }

  /** Whether {@code value} (a request's {@link #HEADER}) is this process's token. */
  public static boolean isOwn(String value) {
    return value != null && MessageDigest.isEqual(TOKEN, value.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public void run(ApplicationArguments args) throws InterruptedException {
    if (settings.rounds() == 0 || calls.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "warm-up");
              t.setDaemon(true);
              return t;
            });
    try {
      Tally tally = send(executor, started + settings.timeout().toNanos());
      report(tally, (System.nanoTime() - started) / 1_000_000);
    } finally {
      executor.shutdownNow();
    }
  }

  /** What the warm-up sent and how it was answered (status 0: no answer). */
  private record Tally(int sent, boolean finished, Map<Integer, Integer> statuses) {}

  private Tally send(ExecutorService executor, long deadline) throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
    Map<Integer, Integer> statuses = new TreeMap<>();
    Semaphore inFlight = new Semaphore(settings.concurrency());
    String base = "http://127.0.0.1:" + port.getAsInt();
    String token = new String(TOKEN, StandardCharsets.US_ASCII);
    int sent = 0;
    rounds:
    for (int round = 0; round < settings.rounds(); round++) {
      for (WarmUpCall call : calls) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          break rounds;
        }
        sent++;
        http.sendAsync(request(base, call, token), HttpResponse.BodyHandlers.discarding())
            .handle(
                (response, failure) -> {
                  synchronized (statuses) {
                    statuses.merge(failure == null ? response.statusCode() : 0, 1, Integer::sum);
                  }
                  inFlight.release();
                  return null;
                });
      }
    }
    long left = Math.max(0, deadline - System.nanoTime());
    boolean finished = inFlight.tryAcquire(settings.concurrency(), left, TimeUnit.NANOSECONDS);
    synchronized (statuses) {
      return new Tally(sent, finished, new TreeMap<>(statuses));
    }
  }

  private void report(Tally tally, long millis) {
    int planned = settings.rounds() * calls.size();
    if (tally.statuses().keySet().stream().anyMatch(status -> status >= 500)) {
      log.warn(
          "warm-up answered with a server error requests={} statuses={} durationMs={}",
          tally.sent(),
          tally.statuses(),
          millis);
      return;
    }
    // A slow machine stops at the time limit: the service is ready, only less warm.
    log.info(
        "warm-up {} requests={} of={} statuses={} durationMs={} (status 0 = no answer)",
        tally.finished() && tally.sent() == planned ? "done" : "stopped at its limit",
        tally.sent(),
        planned,
        tally.statuses(),
        millis);
  }

  private static HttpRequest request(String base, WarmUpCall call, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + call.path()))
            .timeout(Duration.ofSeconds(10))
            .header(HEADER, token)
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body()));
    if (call.body() != null) {
      b.header("Content-Type", "application/json");
    }
    call.headers().forEach(b::header);
    return b.build();
  }

  private static byte[] token() {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
  }
}
