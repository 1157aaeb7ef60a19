package dev.signet.e2e.resilience;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Light, steady load for failure drills: one SMS challenge for a fresh number every {@code period},
 * each request and its answer recorded, so a test can tell when sends stopped and started again and
 * whether every acknowledged challenge was sent.
 */
final class ChallengeLoad implements AutoCloseable {

  /** One request: the number, when it was sent and answered, the status (-1: no answer). */
  record Request(String phone, Instant requestedAt, Instant answeredAt, int status, String error) {
    Duration took() {
      return Duration.between(requestedAt, answeredAt);
    }
  }

  private final String challengeUrl;
  private final String authorization;
  private final Http http = new Http();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);

  ChallengeLoad(String challengeUrl, String apiSecret, Duration period) {
    this.challengeUrl = challengeUrl + "/v1/challenge";
    this.authorization = Http.basic(apiSecret);
    scheduler.scheduleAtFixedRate(this::request, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void request() {
    String phone = Sandbox.freshPhoneNumber();
    Instant at = Instant.now();
    int status;
    String error = "";
    try {
      Http.Reply reply =
          http.post(
              challengeUrl,
              authorization,
              "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                  + phone
                  + "\"}");
      status = reply.status();
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
    requests.add(new Request(phone, at, Instant.now(), status, error));
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> acknowledged() {
    return requests.stream().filter(r -> r.status() == 200).toList();
  }

  /** When the sandbox received the (first) message to {@code phone}, if it did. */
  static Optional<Instant> sentAt(Sandbox sandbox, String phone) {
    JsonNode messages = sandbox.messages(phone);
    if (messages.size() == 0) {
      return Optional.empty();
    }
    JsonNode at = messages.get(messages.size() - 1).path("receivedAt");
    return Optional.of(
        at.isNumber()
            ? Instant.ofEpochMilli(Math.round(at.asDouble() * 1000))
            : Instant.parse(at.asText()));
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    scheduler.awaitTermination(30, TimeUnit.SECONDS);
  }
}
