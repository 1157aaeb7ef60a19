package dev.signet.challenge.testnumber;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.platform.config.TestNumberList;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Configured test numbers with a fixed code ({@code SIGNET_TEST_NUMBERS}, {@code +E164:code,...},
 * shared with sms-dispatcher): a challenge to one gets the fixed code instead of a random one, is
 * never held to the per-number limits, and its requested event is marked {@code testNumber} so the
 * dispatcher never sends it to a provider. A fixed code is a standing credential, so the service
 * refuses to start with test numbers under the {@code production} profile.
 */
@Component
public class TestNumbers {

  private final Map<String, String> codes;

  public TestNumbers(
      @Value("${signet.challenge.test-numbers:}") String config,
      ChallengeProperties properties,
      Environment environment) {
    this.codes = parse(config, properties.codeLength());
    TestNumberList.refuseInProduction(codes.size(), "signet.challenge.test-numbers", environment);
  }

  static Map<String, String> parse(String config, int codeLength) {
    Map<String, String> codes = TestNumberList.parse(config);
    codes.forEach(
        (number, code) -> {
          if (!code.matches("[0-9]{" + codeLength + "}")) {
            throw new IllegalArgumentException(
                "SIGNET_TEST_NUMBERS: the code of "
                    + number
                    + " must be "
                    + codeLength
                    + " digits (signet.challenge.code-length)");
          }
        });
    return codes;
  }

  public boolean contains(String phoneNumber) {
    return phoneNumber != null && codes.containsKey(phoneNumber);
  }

  /** The fixed code of a test number, else a fresh one from {@code random}. */
  public String code(String phoneNumber, Supplier<String> random) {
    return Optional.ofNullable(phoneNumber).map(codes::get).orElseGet(random);
  }

  /**
   * The per-phone send slot a send takes: the counted slot for an ordinary number, a slot of its
   * own outside the counted ones for a test number, so a test number never runs out of sends.
   */
  public String sendSlot(String phoneNumber, String countedSlot) {
    return contains(phoneNumber) ? phoneNumber + "|test|" + UUID.randomUUID() : countedSlot;
  }

  /** Applies a per-number limit, except to a test number. */
  public Mono<Void> limited(String phoneNumber, Supplier<Mono<Void>> limit) {
    return contains(phoneNumber) ? Mono.empty() : Mono.defer(limit);
  }
}
