package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.e2e.stack.RunningStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication cannot be skipped by spelling a path differently. Every route of every service
 * (read from the services themselves) gets requests with no credential, wrong credentials and other
 * surfaces' credentials, on the plain path and on every hostile spelling ({@code ;x}, percent
 * encoding, upper case, {@code //}, {@code /./}, {@code /../} detours, NUL, encoded separators, a
 * backslash, an overlong segment), and the firewall spellings also with the right credential. Each
 * must be refused with a JSON error; see {@link Verdict} for exactly what counts as refused and
 * {@link PublicRoutes} for the routes open to anyone.
 */
class HostileRequestIT {

  /** Requests in flight at once: enough for a short run, gentle on a shared two-core machine. */
  private static final int IN_FLIGHT = 8;

  private static final int MINIMUM_REQUESTS = 2_000;

  private static RunningStack stack;

  @BeforeAll
  static void startStack() {
    stack = RunningStack.get();
  }

  @Test
  void refusesEveryHostileRequestOnEveryRoute() throws Exception {
    StackFixture fixture = new StackFixture(stack);
    StackFixture.TrackedAction tracked = fixture.trackAction();
    Credentials credentials =
        new Credentials(
            stack.apiSecret(),
            stack.managementSecret(),
            tracked.token(),
            fixture.forgedTokens(tracked.token()),
            fixture.dashboardCookie(),
            fixture.dashboardCookie());
    Map<String, List<String>> readValues =
        Map.of(
            "userId", List.of(tracked.userId()),
            "action", List.of(tracked.action()),
            "actionCode", List.of(tracked.action()),
            "idempotencyKey", List.of(tracked.idempotencyKey()));

    Map<String, List<Route>> routes = RouteDiscovery.discover(stack);
    List<AttackPlan.Target> targets =
        AttackPlan.build(
            routes, credentials, readValues, Map.of("audit", fixture.dashboardFiles()));
    RawHttp http = new RawHttp();

    long started = System.nanoTime();
    Map<String, Set<String>> noRoute = noRouteFingerprints(http, credentials);
    Map<AttackPlan.Target, Verdict.Control> controls = controls(http, targets, noRoute);
    List<Tally.Result> results = send(http, targets, controls, credentials.secrets());
    long millis = (System.nanoTime() - started) / 1_000_000;

    printRoutes(routes, targets, controls);
    Tally tally = new Tally(results);
    tally.print(System.out, millis);
    java.nio.file.Path report =
        RunningStack.repositoryRoot().resolve("e2e-tests/target/hostile-requests.tsv");
    tally.write(report);
    System.out.println("Every request and its verdict: " + report);

    assertThat(tally.sent()).as("hostile requests sent").isGreaterThanOrEqualTo(MINIMUM_REQUESTS);
    // The size, not the list: the accepted requests are in the report above and the TSV file.
    assertThat(tally.accepted().size())
        .as(
            "hostile requests not refused, of %d sent; the first: %s",
            tally.sent(), tally.accepted().stream().limit(5).map(Tally::describe).toList())
        .isZero();
  }

  /**
   * What each service answers for a path no route has, without and with each genuine credential, to
   * tell those answers apart from a handler's own 404.
   */
  private static Map<String, Set<String>> noRouteFingerprints(
      RawHttp http, Credentials credentials) {
    List<Credential> callers =
        List.of(
            Credential.NONE,
            credentials.right(Surface.SERVER_API),
            credentials.right(Surface.MANAGEMENT_API));
    Map<String, Set<String>> out = new HashMap<>();
    for (String service : RouteDiscovery.SERVICES) {
      Set<String> fingerprints = new HashSet<>();
      for (Credential caller : callers) {
        RawHttp.Answer answer =
            http.send(
                stack.url(service),
                new RawHttp.Request(
                    "GET", "/hostile-probe-no-such-route", caller.headers(), null, null));
        fingerprints.add(Verdict.fingerprint(answer));
      }
      out.put(service, fingerprints);
    }
    return out;
  }

  private static Map<AttackPlan.Target, Verdict.Control> controls(
      RawHttp http, List<AttackPlan.Target> targets, Map<String, Set<String>> noRoute)
      throws InterruptedException, ExecutionException {
    Map<AttackPlan.Target, Future<RawHttp.Answer>> pending = new IdentityHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try {
      for (AttackPlan.Target target : targets) {
        Probe control = target.control();
        pending.put(
            target,
            pool.submit(() -> http.send(stack.url(target.route().service()), control.request())));
      }
      Map<AttackPlan.Target, Verdict.Control> out = new IdentityHashMap<>();
      for (var entry : pending.entrySet()) {
        out.put(
            entry.getKey(),
            Verdict.Control.of(
                entry.getValue().get(), noRoute.get(entry.getKey().route().service())));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Tally.Result> send(
      RawHttp http,
      List<AttackPlan.Target> targets,
      Map<AttackPlan.Target, Verdict.Control> controls,
      List<String> secrets)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try {
      List<Future<Tally.Result>> pending = new ArrayList<>();
      for (AttackPlan.Target target : targets) {
        Verdict.Control control = controls.get(target);
        String origin = stack.url(target.route().service());
        for (Probe probe : target.probes()) {
          pending.add(
              pool.submit(
                  () -> {
                    RawHttp.Answer answer = http.send(origin, probe.request());
                    return new Tally.Result(
                        probe, answer, Verdict.judge(probe, answer, control, secrets));
                  }));
        }
      }
      List<Tally.Result> out = new ArrayList<>();
      for (Future<Tally.Result> result : pending) {
        out.add(result.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every route found, whether it is public, and what its genuine caller gets. */
  private static void printRoutes(
      Map<String, List<Route>> routes,
      List<AttackPlan.Target> targets,
      Map<AttackPlan.Target, Verdict.Control> controls) {
    System.out.println();
    routes.forEach(
        (service, list) ->
            System.out.printf("%s: %d routes from /actuator/mappings%n", service, list.size()));
    for (AttackPlan.Target target : targets) {
      Verdict.Control control = controls.get(target);
      System.out.printf(
          "  %-10s %-6s %-62s %-9s %-15s control %s%s%n",
          target.route().service(),
          target.route().method(),
          target.path(),
          target.publicEntry() == null ? "protected" : target.publicEntry().access(),
          target.surface(),
          oneLine(control.fingerprint(), 60),
          control.telling() ? "" : "  (does not tell the handler apart)");
    }
  }

  private static String oneLine(String text, int max) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() > max ? line.substring(0, max) + "..." : line;
  }
}
