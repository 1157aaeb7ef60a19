package dev.signet.platform.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service warms up before it reports ready ({@code signet.warmup.*}).
 *
 * @param rounds how many times each {@link WarmUpCall} is sent; {@code 0} switches the warm-up off
 * @param timeout the longest the warm-up may delay readiness; what is not done by then is skipped
 * @param concurrency requests in flight at once
 */
@ConfigurationProperties("signet.warmup")
public record WarmUpSettings(Integer rounds, Duration timeout, Integer concurrency) {

  public WarmUpSettings {
    rounds = rounds == null ? 200 : rounds;
    timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
    concurrency = concurrency == null ? 4 : concurrency;
    if (rounds < 0 || concurrency < 1 || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "signet.warmup: rounds must be 0 or more, concurrency at least 1, timeout not negative");
    }
  }
}
