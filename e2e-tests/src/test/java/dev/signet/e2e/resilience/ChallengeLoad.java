package dev.signet.e2e.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.Sandbox;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Light, steady load for failure drills: one SMS challenge for a fresh number every {@code period},
 * each request and its answer recorded, so a test can tell when sends stopped and started again and
 * whether every acknowledged challenge was sent.
 */
final class ChallengeLoad implements AutoCloseable {

  /** One request: the number, when it was sent and answered, the status (-1: no answer). */
  record Request(
      String phone,
      String challengeId,
      Instant requestedAt,
      Instant answeredAt,
      int status,
      String error) {
    Duration took() {
      return Duration.between(requestedAt, answeredAt);
    }
  }

  private final String challengeUrl;
  private final String inboxUrl;
  private final String authorization;
  private final Http http = new Http();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  /** Each request on a thread of its own: a slow answer never holds the next one back. */
  private final ExecutorService workers = Executors.newCachedThreadPool();

  /** Starts the load on the stack whose challenge-service and sandbox are at these URLs. */
  ChallengeLoad(String challengeUrl, String sandboxUrl, String apiSecret, Duration period) {
    this.challengeUrl = challengeUrl + "/v1/challenge";
    this.inboxUrl = sandboxUrl + "/inbox?to=";
    this.authorization = Http.basic(apiSecret);
    scheduler.scheduleAtFixedRate(
        () -> workers.execute(this::request), 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void request() {
    String phone = Sandbox.freshPhoneNumber();
    Instant at = Instant.now();
    int status;
    String error = "";
    String challengeId = "";
    try {
      Http.Reply reply =
          http.post(
              challengeUrl,
              authorization,
              "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                  + phone
                  + "\"}");
      status = reply.status();
      challengeId = reply.body().path("challengeId").asText();
      if (status != 200) {
        error =
            reply.body().path("error").asText()
                + " Retry-After="
                + reply.raw().headers().firstValue("Retry-After").orElse("none");
      }
    } catch (RuntimeException e) {
      status = -1;
      error = e.toString();
    }
    requests.add(new Request(phone, challengeId, at, Instant.now(), status, error));
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> acknowledged() {
    return requests.stream().filter(r -> r.status() == 200).toList();
  }

  /** The messages the sandbox holds for {@code phone}. */
  JsonNode messages(String phone) {
    return http.get(inboxUrl + URLEncoder.encode(phone, StandardCharsets.UTF_8), null)
        .body()
        .path("messages");
  }

  /** When the sandbox received the (first) message to {@code phone}, if it did. */
  Optional<Instant> sentAt(String phone) {
    JsonNode messages = messages(phone);
    if (messages.size() == 0) {
      return Optional.empty();
    }
    JsonNode at = messages.get(messages.size() - 1).path("receivedAt");
    return Optional.of(
        at.isNumber()
            ? Instant.ofEpochMilli(Math.round(at.asDouble() * 1000))
            : Instant.parse(at.asText()));
  }

  /** Waits until {@code count} acknowledged challenges were sent: the load is flowing. */
  void awaitSent(int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                acknowledged().stream().filter(r -> sentAt(r.phone()).isPresent()).count()
                    >= count);
  }

  /** How many challenges requested after {@code at} were acknowledged and sent. */
  long sentAfter(Instant at) {
    return acknowledged().stream()
        .filter(r -> r.requestedAt().isAfter(at))
        .filter(r -> sentAt(r.phone()).isPresent())
        .count();
  }

  /**
   * What became of the acknowledged challenges: sent (twice: also counted in sent), or consumed and
   * claimed by the dispatcher but not sent (its attempt recorded FAILED, or left CLAIMED/UNKNOWN
   * when the store went away between the claim and the send: at most once per attempt).
   */
  record Outcomes(long sent, long twice, long claimedNotSent) {}

  /**
   * Waits until every one of {@code requests} (all acknowledged) is accounted for: its SMS reached
   * the number, or the dispatcher consumed its event and claimed the attempt ({@code sms_attempts}
   * in {@code mongoUri}), so no consumer skipped it. A challenge with neither was lost, and the
   * wait fails.
   */
  Outcomes awaitEachAccountedFor(List<Request> requests, String mongoUri, Duration within) {
    assertThat(requests).isNotEmpty().allMatch(r -> r.status() == 200);
    try (MongoClient client = MongoClients.create(mongoUri)) {
      MongoCollection<Document> attempts =
          client.getDatabase("signet-sms-dispatcher").getCollection("sms_attempts");
      await()
          .atMost(within)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                for (Request r : requests) {
                  assertThat(messages(r.phone()).size() > 0 || claimed(attempts, r))
                      .as("challenge %s to %s sent or claimed", r.challengeId(), r.phone())
                      .isTrue();
                }
              });
      long sent = requests.stream().filter(r -> messages(r.phone()).size() > 0).count();
      long twice = requests.stream().filter(r -> messages(r.phone()).size() > 1).count();
      return new Outcomes(sent, twice, requests.size() - sent);
    }
  }

  static boolean claimed(MongoCollection<Document> attempts, Request r) {
    return attempts.find(new Document("_id", r.challengeId() + ":1")).first() != null;
  }

  /** The pid {@code stack.json} names now (the launcher rewrites it after a restart). */
  static long currentPid(Path dataDir, String component) throws IOException {
    return JsonMapper.builder()
        .build()
        .readTree(Files.readString(dataDir.resolve("stack.json")))
        .at("/components/" + component + "/pid")
        .asLong();
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    scheduler.awaitTermination(30, TimeUnit.SECONDS);
    workers.shutdown();
    workers.awaitTermination(30, TimeUnit.SECONDS);
  }
}
