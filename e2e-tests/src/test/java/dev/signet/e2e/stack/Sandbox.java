package dev.signet.e2e.stack;

import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** The SMS sandbox seen from a test: fresh phone numbers and the codes that reach them. */
public final class Sandbox {

  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private final RunningStack stack;
  private final Http http;

  public Sandbox(RunningStack stack, Http http) {
    this.stack = stack;
    this.http = http;
  }

  /**
   * Numbers +447700930000 to +447700999999. Below them: the fixed numbers tests name, such as the
   * configured test number (+447700900xxx), and the Node SDK tests' numbers (up to 929999).
   */
  private static final int FRESH_FIRST = 30_000;

  private static final int FRESH_COUNT = 70_000;

  /** A step coprime to {@link #FRESH_COUNT}: successive numbers walk a permutation of the range. */
  private static final int FRESH_STEP = 7_919;

  private static final int FRESH_START = ThreadLocalRandom.current().nextInt(FRESH_COUNT);
  private static final AtomicLong FRESH_ISSUED = new AtomicLong();

  /**
   * A number in the fictional range that no other test of this run uses: the first 70,000 calls in
   * a test JVM return distinct numbers (random draws collided: one test's refused number got
   * another test's code), starting at a random place so that consecutive runs differ.
   */
  public static String freshPhoneNumber() {
    long issued = FRESH_ISSUED.getAndIncrement();
    if (issued >= FRESH_COUNT) {
      throw new IllegalStateException("all " + FRESH_COUNT + " fresh numbers are used");
    }
    long index = (FRESH_START + issued * FRESH_STEP) % FRESH_COUNT;
    return "+4477009" + String.format("%05d", FRESH_FIRST + index);
  }

  public JsonNode messages(String phone) {
    return http.get(
            stack.url("sandbox") + "/inbox?to=" + URLEncoder.encode(phone, StandardCharsets.UTF_8),
            null)
        .body()
        .path("messages");
  }

  /** Waits for the {@code count}-th message to {@code phone} and returns the code in the newest. */
  public String awaitCode(String phone, int count) {
    AtomicReference<String> code = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode messages = messages(phone);
              if (messages.size() < count) {
                return false;
              }
              Matcher matcher = CODE.matcher(messages.get(0).path("text").asText());
              if (!matcher.find()) {
                throw new AssertionError("no code in " + messages.get(0));
              }
              code.set(matcher.group(1));
              return true;
            });
    return code.get();
  }
}
