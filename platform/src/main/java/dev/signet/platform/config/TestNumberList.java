package dev.signet.platform.config;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The test numbers of {@code SIGNET_TEST_NUMBERS} ({@code +E164:code,+E164:code}), read alike by
 * every service that honours them. A fixed code is a standing credential, so {@link
 * #refuseInProduction} stops a service that has test numbers under the {@code production} profile.
 */
public final class TestNumberList {

  public static final String PRODUCTION_PROFILE = "production";

  private TestNumberList() {}

  /** Number → code as written (the code may be empty); refuses an entry that is not E.164. */
  public static Map<String, String> parse(String config) {
    if (config == null || config.isBlank()) {
      return Map.of();
    }
    return Arrays.stream(config.split(","))
        .map(String::trim)
        .filter(entry -> !entry.isEmpty())
        .map(
            entry -> {
              int colon = entry.indexOf(':');
              String number = (colon < 0 ? entry : entry.substring(0, colon)).trim();
              String code = colon < 0 ? "" : entry.substring(colon + 1).trim();
              if (!number.matches("\\+[1-9][0-9]{6,14}")) {
                throw new IllegalArgumentException(
                    "SIGNET_TEST_NUMBERS: '"
                        + number
                        + "' is not an E.164 number (+ and 7 to 15 digits); expected"
                        + " +E164:code,+E164:code");
              }
              return Map.entry(number, code);
            })
        .collect(
            Collectors.toUnmodifiableMap(
                Map.Entry::getKey, Map.Entry::getValue, TestNumberList::sameCode));
  }

  private static String sameCode(String one, String other) {
    if (!one.equals(other)) {
      throw new IllegalArgumentException(
          "SIGNET_TEST_NUMBERS lists a number twice with different codes");
    }
    return one;
  }

  /** Whether the production profile is active. */
  public static boolean production(Environment environment) {
    return environment.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE));
  }

  /** Throws when test numbers are configured and the production profile is active. */
  public static void refuseInProduction(int count, String property, Environment environment) {
    if (count > 0 && production(environment)) {
      throw new IllegalStateException(
          "SIGNET_TEST_NUMBERS ("
              + property
              + ") lists "
              + count
              + " test number(s) but the production profile is active: test numbers with fixed"
              + " codes are refused in production. Unset SIGNET_TEST_NUMBERS or the profile.");
    }
  }
}
