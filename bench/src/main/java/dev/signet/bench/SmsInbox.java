package dev.signet.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Matches every message in the SMS sandbox's inbox to the challenge that caused it, by the unique
 * phone number each request used, and measures end-to-end latency from the request's intended start
 * to the sandbox's {@code receivedAt} (the moment the provider call reached it; same machine, same
 * clock). Counts what does not match: messages for unknown numbers, second messages for one number,
 * and messages for requests that failed.
 */
final class SmsInbox {

  private static final Pattern CODE = Pattern.compile("\\b(\\d{4,10})\\b");

  /** A request that may produce one SMS. */
  static final class Expected {
    final String phase;
    final long intendedEpochNanos;
    final int second;
    final Latencies e2e;
    volatile String challengeId;
    volatile boolean requestSucceeded;
    volatile boolean requestFailed;
    volatile String code;
    volatile boolean delivered;

    Expected(String phase, long intendedEpochNanos, int second, Latencies e2e) {
      this.phase = phase;
      this.intendedEpochNanos = intendedEpochNanos;
      this.second = second;
      this.e2e = e2e;
    }
  }

  private final Api api;
  private final String inboxUrl;
  private final Map<String, Expected> byPhone = new ConcurrentHashMap<>();
  private final Set<String> seenMessageIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong foreign = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong afterFailedRequest = new AtomicLong();
  private final AtomicLong withoutCode = new AtomicLong();
  private final AtomicLong polls = new AtomicLong();

  SmsInbox(Api api, String sandboxUrl) {
    this.api = api;
    this.inboxUrl = sandboxUrl + "/inbox";
  }

  void expect(String phone, Expected expected) {
    if (byPhone.putIfAbsent(phone, expected) != null) {
      throw new IllegalStateException("phone number reused within a run: " + phone);
    }
  }

  /** Reads the whole inbox once and matches the messages not seen before; returns new matches. */
  synchronized int poll() {
    HttpResponse<String> response = api.sendNow("GET", inboxUrl, null);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /inbox answered " + response.statusCode());
    }
    polls.incrementAndGet();
    int matched = 0;
    for (JsonNode m : Api.parse(response.body()).path("messages")) {
      String id = m.path("messageId").asText();
      if (!seenMessageIds.add(id)) {
        continue;
      }
      Expected e = byPhone.get(m.path("to").asText());
      if (e == null) {
        foreign.incrementAndGet();
        continue;
      }
      if (e.delivered) {
        duplicates.incrementAndGet();
        continue;
      }
      e.delivered = true;
      if (e.requestFailed) {
        afterFailedRequest.incrementAndGet();
      }
      Matcher code = CODE.matcher(m.path("text").asText());
      if (code.find()) {
        e.code = code.group(1);
      } else {
        withoutCode.incrementAndGet();
      }
      Instant received = Instant.parse(m.path("receivedAt").asText());
      long receivedEpochNanos = received.getEpochSecond() * 1_000_000_000L + received.getNano();
      e.e2e.record(e.second, receivedEpochNanos - e.intendedEpochNanos);
      matched++;
    }
    return matched;
  }

  /** Marks what is already in the inbox (another run's messages) as seen, without counting it. */
  synchronized int baseline() {
    HttpResponse<String> response = api.sendNow("GET", inboxUrl, null);
    int n = 0;
    for (JsonNode m : Api.parse(response.body()).path("messages")) {
      seenMessageIds.add(m.path("messageId").asText());
      n++;
    }
    return n;
  }

  /** Empties the sandbox inbox; only call once nothing is pending, or a message could be lost. */
  synchronized void clear() {
    api.sendNow("DELETE", inboxUrl, null);
  }

  long pending(String phase) {
    return byPhone.values().stream()
        .filter(e -> e.phase.equals(phase) && e.requestSucceeded && !e.delivered)
        .count();
  }

  long delivered(String phase) {
    return byPhone.values().stream().filter(e -> e.phase.equals(phase) && e.delivered).count();
  }

  /** Polls until every successful request of the phase has its SMS or the time is up. */
  boolean drain(String phase, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      poll();
      if (pending(phase) == 0) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(500_000_000L);
    }
  }

  Optional<Map.Entry<String, Expected>> find(String phone) {
    Expected e = byPhone.get(phone);
    return e == null ? Optional.empty() : Optional.of(Map.entry(phone, e));
  }

  Map<String, Expected> phase(String phase) {
    Map<String, Expected> m = new LinkedHashMap<>();
    byPhone.forEach(
        (phone, e) -> {
          if (e.phase.equals(phase)) {
            m.put(phone, e);
          }
        });
    return m;
  }

  /** SMS accounting of one phase (expected = successful challenge requests). */
  Map<String, Object> accounting(String phase) {
    Map<String, Object> a = new LinkedHashMap<>();
    long expected =
        byPhone.values().stream().filter(e -> e.phase.equals(phase) && e.requestSucceeded).count();
    a.put("expected", expected);
    a.put("matched", delivered(phase));
    a.put("missing", pending(phase));
    return a;
  }

  Map<String, Object> globalAccounting() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("messagesSeen", seenMessageIds.size());
    a.put("forUnknownNumbers", foreign.get());
    a.put("duplicates", duplicates.get());
    a.put("forFailedRequests", afterFailedRequest.get());
    a.put("withoutCode", withoutCode.get());
    a.put("inboxPolls", polls.get());
    return a;
  }

  long foreign() {
    return foreign.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long withoutCode() {
    return withoutCode.get();
  }
}
