package dev.signet.challenge.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.user.UserItSupport;
import dev.signet.events.Topics;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.SendRefusalReason;
import dev.signet.testsupport.PrometheusScrape;
import dev.signet.testsupport.ServiceHttp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-IP send limit, switched on: sends to many numbers from one reported end-user address stop
 * at the limit, under concurrency, while other addresses and requests without one go on.
 */
@TestPropertySource(
    properties = {
      "signet.challenge.limits.sends-per-ip=3",
      "signet.challenge.limits.sends-per-ip-window=10m"
    })
class SendsPerIpIT extends UserItSupport {

  private static final long WINDOW_SECONDS = 600;
  private static final Path CLOCK_OFFSET = clockOffsetFile();
  private static Duration offset = Duration.ZERO;

  private static Path clockOffsetFile() {
    try {
      Path file = Files.createTempFile("sends-per-ip-clock", ".offset");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void clock(DynamicPropertyRegistry registry) {
    registry.add("signet.challenge.testing.clock-offset-file", CLOCK_OFFSET::toString);
  }

  /**
   * The limit counts in fixed windows: a test that crossed a window's end would see its count start
   * again. Each test therefore starts 5 s into a fresh window of the service's clock (moved forward
   * through the offset file, never back).
   */
  @BeforeEach
  void startInAFreshWindow() throws IOException {
    Instant now = Instant.now();
    long serviceNow = now.plus(offset).getEpochSecond();
    long freshWindow = (serviceNow / WINDOW_SECONDS + 1) * WINDOW_SECONDS + 5;
    offset = Duration.ofSeconds(freshWindow - now.getEpochSecond());
    Files.writeString(CLOCK_OFFSET, offset.toString());
  }

  @Test
  void parallelSendsToManyNumbersFromOneAddressStopAtTheLimit() {
    String address = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);

    List<Reply> replies =
        IntStream.range(0, 8).parallel().mapToObj(i -> challenge(freshPhone(), address)).toList();

    assertThat(replies).filteredOn(r -> r.status() == 200).hasSize(3);
    List<Reply> refused = replies.stream().filter(r -> r.status() != 200).toList();
    assertThat(refused).hasSize(5);
    for (Reply reply : refused) {
      assertThat(reply.status()).isEqualTo(429);
      assertThat(reply.text("error")).isEqualTo("too_many_requests");
      assertThat(reply.text("errorDescription")).contains("IP address");
      assertThat(reply.response().headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void anotherAddressAndRequestsWithoutOneAreNotCounted() {
    String busy = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
    for (int i = 0; i < 3; i++) {
      assertThat(challenge(freshPhone(), busy).status()).isEqualTo(200);
    }
    assertThat(challenge(freshPhone(), busy).status()).isEqualTo(429);

    assertThat(
            challenge(freshPhone(), "2001:db8::" + Integer.toHexString(busy.hashCode() & 0xfff))
                .status())
        .isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      assertThat(challenge(freshPhone(), null).status()).isEqualTo(200);
    }
  }

  @Test
  void everyAddressOfOneIpv6Slash64SharesTheLimitAndTheRefusalIsPublishedWithItsReason() {
    int site = ThreadLocalRandom.current().nextInt(0x10000);
    int subnet = ThreadLocalRandom.current().nextInt(0xffff);
    String net = String.format("2001:db8:%x:%x", site, subnet);
    String userId = "ip-user-" + UUID.randomUUID();
    String refusedByIp = "signet_challenge_sends_refused_total{reason=\"ip_velocity\"}";
    double refusedBefore = PrometheusScrape.of(port, MANAGEMENT_SECRET).value(refusedByIp);
    for (int i = 1; i <= 3; i++) {
      // A fresh interface id every time, as a privacy address changes.
      assertThat(challenge(freshPhone(), net + ":" + i + "::" + i, userId).status()).isEqualTo(200);
    }
    Reply refused = challenge(freshPhone(), net + ":ffff:1:2:3", userId);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.text("errorDescription")).contains("IP address");
    assertThat(PrometheusScrape.of(port, MANAGEMENT_SECRET).value(refusedByIp) - refusedBefore)
        .isEqualTo(1);
    // The next /64 is another subscriber.
    String next = String.format("2001:db8:%x:%x::1", site, subnet + 1);
    assertThat(challenge(freshPhone(), next, null).status()).isEqualTo(200);

    List<ChallengeSendRefused> events =
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    events()
                        .of(
                            Topics.CHALLENGE_SEND_REFUSED.name(),
                            userId,
                            ChallengeSendRefused.class),
                list -> !list.isEmpty());
    assertThat(events).hasSize(1);
    ChallengeSendRefused event = events.get(0);
    assertThat(event.getReason()).isEqualTo(SendRefusalReason.IP_VELOCITY);
    assertThat(event.getIpAddressKey()).isEqualTo(net + "::/64");
    assertThat(event.getLimit()).isEqualTo(3L);
    assertThat(event.getWindowSeconds()).isEqualTo(600);
    assertThat(event.getAction()).isEqualTo("signIn");
  }

  private Reply challenge(String phone, String ipAddress) {
    return challenge(phone, ipAddress, null);
  }

  private Reply challenge(String phone, String ipAddress, String userId) {
    Map<String, Object> body = new HashMap<>();
    if (userId != null) {
      body.put("userId", userId);
    }
    body.put("verificationMethod", "SMS");
    body.put("action", "signIn");
    body.put("phoneNumber", phone);
    if (ipAddress != null) {
      body.put("ipAddress", ipAddress);
    }
    return call("POST", "/v1/challenge", json(body));
  }

  private static String freshPhone() {
    return "+4477009" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
  }
}
