package dev.signet.sms.testnumber;

import dev.signet.sms.config.DispatcherProperties;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The configured test numbers ({@code SIGNET_TEST_NUMBERS}, shared with challenge-service, which
 * gives them a fixed code): the dispatcher never sends them to a provider and never counts them
 * against the send guard. A fixed code is a standing credential, so a dispatcher started with test
 * numbers under the {@code production} profile refuses to start.
 */
@Component
public class TestNumbers {

  public static final String PRODUCTION_PROFILE = "production";

  private final Set<String> numbers;
  private final boolean production;

  public TestNumbers(DispatcherProperties properties, Environment environment) {
    this.numbers = parse(properties.testNumbers());
    this.production = environment.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE));
    if (production && !numbers.isEmpty()) {
      throw new IllegalStateException(
          "SIGNET_TEST_NUMBERS (signet.sms.test-numbers) lists "
              + numbers.size()
              + " test number(s) but the production profile is active: test numbers with fixed"
              + " codes are refused in production. Unset SIGNET_TEST_NUMBERS or the profile.");
    }
  }

  /** Numbers of {@code +E164:code,...}; the codes are challenge-service's, ignored here. */
  static Set<String> parse(String config) {
    if (config == null || config.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(config.split(","))
        .map(String::trim)
        .filter(entry -> !entry.isEmpty())
        .map(
            entry -> {
              int colon = entry.indexOf(':');
              String number = (colon < 0 ? entry : entry.substring(0, colon)).trim();
              if (!number.matches("\\+[1-9][0-9]{6,14}")) {
                throw new IllegalArgumentException(
                    "SIGNET_TEST_NUMBERS: '"
                        + number
                        + "' is not an E.164 number (+ and 7 to 15 digits); expected"
                        + " +E164:code,+E164:code");
              }
              return number;
            })
        .collect(Collectors.toUnmodifiableSet());
  }

  public boolean contains(String e164) {
    return e164 != null && numbers.contains(e164);
  }

  /** Whether the production profile is active (test traffic is then refused). */
  public boolean production() {
    return production;
  }
}
