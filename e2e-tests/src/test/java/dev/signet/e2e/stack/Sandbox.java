package dev.signet.e2e.stack;

import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
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

  /** A number in Ofcom's fictional drama range that no other test uses. */
  public static String freshPhoneNumber() {
    return "+4477009" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
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
