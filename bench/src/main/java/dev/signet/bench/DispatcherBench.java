package dev.signet.bench;

import dev.signet.events.serde.SignetAvroSerializer;
import dev.signet.testsupport.LocalStack;
import dev.signet.testsupport.SealedCodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./bench/dispatcher}: the sms-dispatcher alone, on the local stack with its provider rate
 * limit lifted. Requested-challenge events (sealed codes, as challenge-service writes them) are
 * produced straight to {@code auth.challenge.requested.v1} at stepped rates; each message's latency
 * runs from the moment its event was produced to the moment the sandbox accepted the provider call
 * (the inbox's {@code receivedAt}, same machine clock). A step is sustained when every message
 * arrived and the last one within two seconds of the last event (no backlog). In the same run: the
 * sandbox's own ceiling (closed-loop SMS API calls, 32 in flight), the bare Kafka hop at the
 * latency-check rate, and CPU seconds per component.
 */
public final class DispatcherBench {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOPIC = "auth.challenge.requested.v1";
  private static final String POLICY_TOPIC = "auth.policy.send-policy.v1";

  private final Path root;
  private final Map<String, String> args;
  private final Map<String, Object> result = new LinkedHashMap<>();
  private final StringBuilder md = new StringBuilder();
  private final HttpClient http =
      HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
  private LocalStack stack;
  private double p99ThresholdMillis;
  private Properties secrets;

  private DispatcherBench(Path root, Map<String, String> args) {
    this.root = root;
    this.args = args;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    int status = new DispatcherBench(BenchMain.repositoryRoot(), args).run();
    System.exit(status);
  }

  private int run() throws Exception {
    String timestamp =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    int offset = Integer.parseInt(args.getOrDefault("port-offset", "900"));
    List<Integer> rates =
        List.of(args.getOrDefault("rates", "50,100,200,400,800").split(",")).stream()
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    Duration step = Duration.ofSeconds(Long.parseLong(args.getOrDefault("step-seconds", "10")));
    p99ThresholdMillis = Double.parseDouble(args.getOrDefault("p99-threshold", "250"));
    jit = args.getOrDefault("jit", "production");
    if (!jit.equals("production") && !jit.equals("local")) {
      throw new IllegalArgumentException("--jit is production or local: " + jit);
    }
    result.put("jit", jit);
    if (args.containsKey("provider-cpu")) {
      providerCores = Double.parseDouble(args.get("provider-cpu"));
      result.put("providerCpuCores", providerCores);
    }
    result.put("p99ThresholdMillis", p99ThresholdMillis);
    result.put("timestamp", timestamp);
    result.put("git", Machine.git(root));
    result.put("machine", Machine.describe());
    result.put("loadAverageBefore", Machine.loadAverage());
    say("machine: " + Machine.oneLine() + "; load " + Machine.loadAverage());
    boolean startHere = !args.containsKey("use-running-stack");
    Path dataDir =
        startHere
            ? root.resolve("bench/target/dispatcher-stack")
            : Path.of(args.get("use-running-stack"));
    if (startHere) {
      startStack(dataDir, offset);
    } else {
      // A stack started by hand (with SIGNET_SMS_PROVIDERRATEPERSECOND lifted), e.g. to profile it.
      say("using the running stack in " + dataDir);
      stack = BenchStack.attach(dataDir);
    }
    try {
      secrets = new Properties();
      try (InputStream in = Files.newInputStream(dataDir.resolve("secrets.properties"))) {
        secrets.load(in);
      }
      List<Map<String, Object>> steps = new ArrayList<>();
      int sustained = 0;
      try (KafkaProducer<String, Object> producer = producer()) {
        warmUp(producer);
        capProvider();
        for (int rate : rates) {
          Map<String, Object> s = step(producer, "r" + rate, rate, step);
          steps.add(s);
          if (Boolean.TRUE.equals(s.get("sustained"))) {
            sustained = rate;
          } else {
            break;
          }
        }
      }
      result.put("steps", steps);
      result.put("sustainedPerSecond", sustained);
      int half = Math.max(1, sustained / 2);
      // The step that was not sustained leaves a backlog (receipts, outbox, a grown store) that
      // would be measured with the next step: half the rate runs on a fresh stack, warmed up the
      // same way; on a stack started by hand, once it has settled.
      if (startHere) {
        say("restarting the stack for the step at half the sustained rate");
        stack.close();
        startStack(dataDir, offset);
      } else {
        settle(Duration.ofSeconds(60));
      }
      try (KafkaProducer<String, Object> producer = producer()) {
        if (startHere) {
          // As long as the step test's stack had run before its first step at this rate.
          warmUp(producer);
        }
        capProvider();
        Map<String, Object> latency = step(producer, "half", half, Duration.ofSeconds(20));
        result.put("halfRate", latency);
        Map<String, Object> kafka = kafkaHop(half, Duration.ofSeconds(10));
        result.put("kafkaHopAtHalfRate", kafka);
        // Last: its messages' delivery receipts keep the dispatcher busy for a while afterwards.
        double ceiling = sandboxCeiling(Duration.ofSeconds(10));
        result.put("sandboxCeilingPerSecond", ceiling);
        say(
            String.format(
                Locale.ROOT, "sandbox ceiling (32 SMS API calls in flight): %.0f/s", ceiling));
        writeReport(timestamp, ceiling, steps, sustained, half, latency, kafka);
      }
    } finally {
      if (providerCpuCap != null) {
        providerCpuCap.close();
      }
      stack.close();
    }
    return 0;
  }

  /** Starts the dispatcher-alone stack with the provider rate lifted, its topic created. */
  private void startStack(Path dataDir, int offset) throws Exception {
    say(
        "starting the dispatcher and what it needs ("
            + DISPATCHER_ALONE
            + ") at port offset "
            + offset
            + " with the provider rate lifted");
    stack =
        BenchStack.start(
            root,
            dataDir,
            offset,
            Duration.ofMinutes(4),
            env(jit),
            List.of("--only", DISPATCHER_ALONE));
    // challenge-service creates the topic (3 partitions) where it runs; here nothing does.
    createTopics();
  }

  /**
   * With {@code --provider-cpu}: the sandbox is held to that many cores of CPU time, from the end
   * of the warm-up on (a provider's servers do not compile their code while taking traffic; at 0.2
   * cores the sandbox's own JIT left it seconds behind during the warm-up).
   */
  private void capProvider() {
    if (providerCpuCap != null) {
      providerCpuCap.close();
      providerCpuCap = null;
    }
    if (providerCores != null) {
      providerCpuCap = CpuCap.apply(stack.pid("sandbox"), providerCores);
      say(String.format(Locale.ROOT, "the sandbox is held to %.2f cores", providerCores));
    }
  }

  /**
   * The JIT: {@code production} is the JVM's default (C1 then C2), as the production image runs;
   * {@code local} is the local stack's C1 only, which starts faster but runs each message at about
   * three times the CPU (at 100/s the dispatcher cost 6.6 CPU ms per message with C1, run
   * 20261126-015908, and 4.6 with C2 once compiled, run 20261126-020438; 1.0 at 800/s with C2, run
   * 20261126-020803).
   */
  private static Map<String, String> env(String jit) {
    Map<String, String> env = new LinkedHashMap<>(BenchStack.benchJvm(jit.equals("production")));
    env.put("SIGNET_SMS_PROVIDERRATEPERSECOND", "100000");
    env.put("SIGNET_SANDBOX_INBOX_CAPACITY", "200000");
    return env;
  }

  /** The components of the dispatcher-alone stack: no other service competes for the CPU. */
  static final String DISPATCHER_ALONE = "kafka,mongo,registry,sandbox,dispatcher";

  /**
   * The requested topic with 3 partitions, as challenge-service creates it, and the compacted
   * send-policy topic, as rules-service does: without it the dispatcher's policy consumer warns
   * about the missing topic every second.
   */
  private void createTopics() throws Exception {
    try (Admin admin = Admin.create(stack.kafkaAdminClient())) {
      Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      if (!existing.contains(TOPIC)) {
        missing.add(new NewTopic(TOPIC, 3, (short) 1));
      }
      if (!existing.contains(POLICY_TOPIC)) {
        missing.add(
            new NewTopic(POLICY_TOPIC, 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")));
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Waits (at most {@code max}) until the dispatcher's consumer group has no lag and the stack is
   * quiet: less than a fifth of a core busy over two seconds (delivery receipts and outbox
   * publishing of an overloaded step go on after its last message), then 5 s more.
   */
  private void settle(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    try (KafkaOffsets offsets = new KafkaOffsets(stack.kafkaAdminClient())) {
      while (System.nanoTime() < deadline
          && offsets.consumerLag().getOrDefault("sms-dispatcher", 0L) != 0L) {
        Thread.sleep(500);
      }
    }
    while (System.nanoTime() < deadline) {
      Resources a = Resources.sample(stack);
      Thread.sleep(2_000);
      Resources b = Resources.sample(stack);
      double busy =
          Resources.cpuDelta(a, b).entrySet().stream()
              .filter(e -> !e.getKey().equals("other") && !e.getKey().startsWith("machine"))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      if (busy / Resources.seconds(a, b) < 0.2) {
        break;
      }
    }
    Thread.sleep(5_000);
  }

  /**
   * Warm-up before the first step and before the half step: 30 s, as the C1-compiled services take
   * that long to reach their steady cost per message (with 10 s, the first step after it measured
   * 200/s p99 928 ms, run 20261126-013350, where a stack warmed longer held 300/s at p99 109 ms,
   * run 20261126-014305).
   */
  private static final Duration WARM_UP = Duration.ofSeconds(30);

  /** With the production JIT, a further warm-up: 18,000 messages (see {@link #warmUp}). */
  private static final Duration C2_WARM_UP = Duration.ofSeconds(120);

  private static final int C2_WARM_UP_RATE = 150;

  private String jit = "production";
  private Double providerCores;
  private CpuCap providerCpuCap;

  /** Some messages first so that JIT, pools and metadata are warm; not recorded. */
  private void warmUp(KafkaProducer<String, Object> producer) throws Exception {
    say("warm-up: 20/s for " + WARM_UP.toSeconds() + " s");
    step(producer, "warmup", 20, WARM_UP);
    if (jit.equals("production")) {
      // C2 compiles a method only after some ten thousand calls, and on two cores its compiler
      // threads compete with the load: a first step at 100/s right after the slow warm-up had
      // p99 684 ms, the same step again p99 47 ms (runs 20261126-020258, -020438); after 6,000
      // messages
      // 400/s still failed at p99 332 ms with 2.2 dispatcher CPU ms per message, where a stack
      // that had sent 30,000 held 800/s at 1.0 (runs 20261126-021104, -020803).
      say("warm-up for C2: " + C2_WARM_UP_RATE + "/s for " + C2_WARM_UP.toSeconds() + " s");
      step(producer, "warmup-c2", C2_WARM_UP_RATE, C2_WARM_UP);
    }
  }

  private Map<String, Object> step(
      KafkaProducer<String, Object> producer, String name, int rate, Duration duration)
      throws Exception {
    Map<String, Instant> sentAt = new ConcurrentHashMap<>();
    byte[] key = sealKey();
    long total = rate * duration.toSeconds();
    long started = System.nanoTime();
    long interval = 1_000_000_000L / rate;
    Resources before = Resources.sample(stack);
    Map<String, PrometheusHistogram> timersBefore = dispatcherTimers();
    for (long i = 0; i < total; i++) {
      long due = started + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      // Short: the attempt id is the Vonage client reference, at most 40 characters.
      String challengeId =
          "b-" + name + "-" + i + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
      String phone = String.format(Locale.ROOT, "+44770095%04d", i % 10_000);
      Instant now = Instant.now();
      sentAt.put(challengeId + ":1", now);
      producer.send(
          new ProducerRecord<>(
              TOPIC,
              challengeId,
              SealedCodes.smsChallenge(challengeId, challengeId, phone, "123456", key, now)));
    }
    producer.flush();
    Instant lastSent = Instant.now();
    Resources afterLoad = Resources.sample(stack);
    // Wait for every message (or 30 s).
    Map<String, Instant> received = new LinkedHashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      received = inbox(sentAt);
      if (received.size() >= total) {
        break;
      }
      Thread.sleep(500);
    }
    Resources afterDrain = Resources.sample(stack);
    Map<String, PrometheusHistogram> timers = dispatcherTimers();
    timers.replaceAll((timer, h) -> h.minus(timersBefore.get(timer)));
    PrometheusHistogram handoffs = timers.get("handoff");
    Latencies latencies = new Latencies();
    Instant lastReceived = Instant.EPOCH;
    for (Map.Entry<String, Instant> r : received.entrySet()) {
      Instant sent = sentAt.get(r.getKey());
      latencies.record(0, Duration.between(sent, r.getValue()).toNanos());
      if (r.getValue().isAfter(lastReceived)) {
        lastReceived = r.getValue();
      }
    }
    double backlogSeconds =
        received.isEmpty()
            ? Double.NaN
            : Duration.between(lastSent, lastReceived).toMillis() / 1000.0;
    // Sustained: every message, no backlog, and no queueing either (a p99 of seconds is a rate the
    // dispatcher only just keeps up with, not one it sustains).
    boolean sustained =
        received.size() == total
            && backlogSeconds <= 2.0
            && latencies.percentileMillis(99) <= p99ThresholdMillis;
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", name);
    s.put("ratePerSecond", rate);
    s.put("seconds", duration.toSeconds());
    s.put("events", total);
    s.put("messages", received.size());
    s.put("lastMessageAfterLastEventSeconds", Latencies.round(backlogSeconds));
    s.put("sustained", sustained);
    s.put("eventToProviderCall", latencies.summary());
    Map<String, Object> added = new LinkedHashMap<>();
    added.put("count", handoffs.count());
    added.put("p50MsAtMost", bucketMillis(handoffs.percentileMillis(50)));
    added.put("p99MsAtMost", bucketMillis(handoffs.percentileMillis(99)));
    s.put("dispatcherHandoff", added);
    for (String part : List.of("arrival", "providerCall")) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("count", timers.get(part).count());
      p.put("p50MsAtMost", bucketMillis(timers.get(part).percentileMillis(50)));
      p.put("p99MsAtMost", bucketMillis(timers.get(part).percentileMillis(99)));
      s.put(part, p);
    }
    // From the first event until the last message (or the wait gave up): the work of this step.
    s.put("cpuSecondsDuringLoad", Resources.cpuDelta(before, afterDrain));
    s.put(
        "cpuCoresDuringLoad",
        Latencies.round(
            (afterLoad.machineBusy() - before.machineBusy())
                / Resources.seconds(before, afterLoad)));
    say(
        String.format(
            Locale.ROOT,
            "%-7s %4d/s: %d/%d messages, last %.2f s after the last event, p50 %.1f ms, p99 %.1f"
                + " ms; in the dispatcher p50 <= %.1f ms, p99 <= %.1f ms (Kafka hop p50 <= %s, p99"
                + " <= %s; provider call p50 <= %s, p99 <= %s)%s",
            name,
            rate,
            received.size(),
            total,
            backlogSeconds,
            latencies.percentileMillis(50),
            latencies.percentileMillis(99),
            handoffs.percentileMillis(50),
            handoffs.percentileMillis(99),
            ((Map<?, ?>) s.get("arrival")).get("p50MsAtMost"),
            ((Map<?, ?>) s.get("arrival")).get("p99MsAtMost"),
            ((Map<?, ?>) s.get("providerCall")).get("p50MsAtMost"),
            ((Map<?, ?>) s.get("providerCall")).get("p99MsAtMost"),
            sustained ? "" : "  -> not sustained"));
    http.send(
        HttpRequest.newBuilder(URI.create(stack.url("sandbox") + "/inbox")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    return s;
  }

  private static Object bucketMillis(double millis) {
    return Double.isFinite(millis) ? Latencies.round(millis) : "-";
  }

  /**
   * The dispatcher's own timers: {@code arrival} (record timestamp to its listener: the Kafka hop),
   * {@code handoff} (arrival to the provider call) and {@code providerCall} (the SDK call).
   */
  private Map<String, PrometheusHistogram> dispatcherTimers() throws Exception {
    String url = stack.url("dispatcher");
    Map<String, PrometheusHistogram> timers = new LinkedHashMap<>();
    timers.put(
        "arrival",
        PrometheusHistogram.scrape(
            http, url, "signet_sms_dispatch_arrival_seconds", stack.managementSecret()));
    timers.put(
        "handoff",
        PrometheusHistogram.scrape(
            http, url, "signet_sms_dispatch_handoff_seconds", stack.managementSecret()));
    timers.put(
        "providerCall",
        PrometheusHistogram.scrape(
            http, url, "signet_sms_provider_call_seconds", stack.managementSecret()));
    return timers;
  }

  /** Messages of this step in the inbox, by client reference, with their receipt time. */
  private Map<String, Instant> inbox(Map<String, Instant> expected) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.url("sandbox") + "/inbox")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Instant> found = new LinkedHashMap<>();
    for (JsonNode m : JSON.readTree(response.body()).path("messages")) {
      String ref = m.path("clientRef").asString("");
      if (expected.containsKey(ref)) {
        found.put(ref, Instant.parse(m.path("receivedAt").asString()));
      }
    }
    return found;
  }

  /** The sandbox alone: closed-loop SMS API calls, 32 in flight, for {@code duration}. */
  private double sandboxCeiling(Duration duration) throws Exception {
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (secrets.getProperty("SIGNET_VONAGE_API_KEY")
                            + ":"
                            + secrets.getProperty("SIGNET_VONAGE_API_SECRET"))
                        .getBytes(StandardCharsets.UTF_8));
    AtomicLong ok = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    HttpClient client = HttpClient.newHttpClient();
    for (int t = 0; t < 32; t++) {
      int thread = t;
      pool.submit(
          () -> {
            int n = 0;
            while (System.nanoTime() < end) {
              String body =
                  "from=Signet&type=text&to=4477009"
                      + String.format(Locale.ROOT, "6%02d%02d", thread, n++ % 100)
                      + "&text="
                      + URLEncoder.encode("Your Signet code is 123456.", StandardCharsets.UTF_8);
              try {
                HttpResponse<String> r =
                    client.send(
                        HttpRequest.newBuilder(URI.create(stack.url("sandbox") + "/sms/json"))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"status\":\"0\"")) {
                  ok.incrementAndGet();
                }
              } catch (IOException | InterruptedException e) {
                return null;
              }
            }
            return null;
          });
    }
    pool.shutdown();
    pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
    http.send(
        HttpRequest.newBuilder(URI.create(stack.url("sandbox") + "/inbox")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    return ok.get() / (double) duration.toSeconds();
  }

  /** The bare Kafka produce-to-consume hop at {@code rate}, 300-byte records. */
  private Map<String, Object> kafkaHop(int rate, Duration duration) throws Exception {
    Latencies latencies = new Latencies();
    try (KafkaRoundTrip trip =
        new KafkaRoundTrip(stack.kafkaAdminClient(), "bench.dispatcher.hop." + System.nanoTime())) {
      long started = System.nanoTime();
      long interval = 1_000_000_000L / rate;
      List<java.util.concurrent.CompletableFuture<String>> all = new ArrayList<>();
      for (long i = 0; i < rate * duration.toSeconds(); i++) {
        long due = started + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        long t0 = System.nanoTime();
        all.add(
            trip.roundTrip().whenComplete((v, e) -> latencies.record(0, System.nanoTime() - t0)));
      }
      java.util.concurrent.CompletableFuture.allOf(
              all.toArray(new java.util.concurrent.CompletableFuture[0]))
          .get(30, TimeUnit.SECONDS);
    }
    return latencies.summary();
  }

  private KafkaProducer<String, Object> producer() {
    Properties p = new Properties();
    p.putAll(stack.kafkaAdminClient());
    p.put("basic.auth.credentials.source", "USER_INFO");
    p.put("basic.auth.user.info", stack.registryWriterUserInfo());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SignetAvroSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put("schema.registry.url", stack.url("registry"));
    return new KafkaProducer<>(p);
  }

  private byte[] sealKey() {
    return SealedCodes.firstKey(secrets.getProperty("SIGNET_SEAL_KEYS"));
  }

  @SuppressWarnings("unchecked")
  private void writeReport(
      String timestamp,
      double ceiling,
      List<Map<String, Object>> steps,
      int sustained,
      int half,
      Map<String, Object> latency,
      Map<String, Object> kafka)
      throws IOException {
    md.append("### sms-dispatcher alone, run ").append(timestamp).append("\n\n");
    md.append("Machine: ")
        .append(Machine.oneLine())
        .append("; load average before: ")
        .append(result.get("loadAverageBefore"))
        .append(" (shared with other engineers' builds).\n\n");
    md.append(
        jit.equals("production")
            ? "JIT: production (C1 then C2, as in the production image), warmed up 30 s at 20/s and"
                + " 120 s at 150/s."
            : "JIT: the local stack's (C1 only), warmed up 30 s at 20/s.");
    if (providerCores != null) {
      md.append(
          String.format(
              Locale.ROOT,
              " The sandbox is held to %.2f cores of CPU time (`--provider-cpu`).",
              providerCores));
    }
    md.append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Sandbox ceiling (the provider alone, 32 SMS API calls in flight): **%.0f SMS/s**.%n%n",
            ceiling));
    md.append(
        "| Rate /s | Events | Messages | Last message after last event | p50 ms | p99 ms | max ms |"
            + " In the dispatcher: p50 / p99 ms (at most) |"
            + " CPU ms per message: dispatcher / sandbox / kafka / mongo | CPU s of other processes"
            + " | Sustained |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    List<Map<String, Object>> all = new ArrayList<>(steps);
    all.add(latency);
    for (Map<String, Object> s : all) {
      Map<String, Object> l = (Map<String, Object>) s.get("eventToProviderCall");
      Map<String, Double> cpu = (Map<String, Double>) s.get("cpuSecondsDuringLoad");
      Map<String, Object> added = (Map<String, Object>) s.get("dispatcherHandoff");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s%s | %s | %s | %s s | %s | %s | %s | %s / %s | %.2f / %.2f / %.2f / %.2f | %s |"
                  + " %s |%n",
              s.get("ratePerSecond"),
              "half".equals(s.get("name")) ? " (half)" : "",
              s.get("events"),
              s.get("messages"),
              s.get("lastMessageAfterLastEventSeconds"),
              l.getOrDefault("p50Ms", "-"),
              l.getOrDefault("p99Ms", "-"),
              l.getOrDefault("maxMs", "-"),
              added.get("p50MsAtMost"),
              added.get("p99MsAtMost"),
              perMessage(cpu, "dispatcher", s),
              perMessage(cpu, "sandbox", s),
              perMessage(cpu, "kafka", s),
              perMessage(cpu, "mongo", s),
              cpu.getOrDefault("other", 0.0),
              Boolean.TRUE.equals(s.get("sustained")) ? "yes" : "no"));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nSustained: **%d SMS/s**. At half of it (%d/s) the event-to-provider-call latency was"
                + " p50 %s ms, p99 %s ms, of which in the dispatcher (arrival to provider call)"
                + " p50 at most %s ms, p99 at most %s ms; the bare Kafka hop at that rate (300-byte"
                + " records) p50 %s ms, p99 %s ms.%n",
            sustained,
            half,
            ((Map<String, Object>) latency.get("eventToProviderCall")).get("p50Ms"),
            ((Map<String, Object>) latency.get("eventToProviderCall")).get("p99Ms"),
            ((Map<String, Object>) latency.get("dispatcherHandoff")).get("p50MsAtMost"),
            ((Map<String, Object>) latency.get("dispatcherHandoff")).get("p99MsAtMost"),
            kafka.get("p50Ms"),
            kafka.get("p99Ms")));
    Path dir = root.resolve("bench/target/results");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("dispatcher-" + timestamp + ".json"), JSON.writeValueAsString(result));
    Files.writeString(dir.resolve("dispatcher-" + timestamp + ".md"), md.toString());
    System.out.println();
    System.out.println(md);
    say("results: bench/target/results/dispatcher-" + timestamp + ".{json,md}");
  }

  private static double perMessage(
      Map<String, Double> cpu, String component, Map<String, Object> s) {
    long messages = ((Number) s.get("messages")).longValue();
    return messages == 0 ? Double.NaN : cpu.getOrDefault(component, 0.0) * 1000 / messages;
  }

  private static void say(String line) {
    System.out.println("bench-dispatcher: " + line);
  }
}
