package dev.signet.sms.testnumber;

import dev.signet.platform.config.TestNumberList;
import dev.signet.sms.config.DispatcherProperties;
import java.util.Set;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The configured test numbers ({@code SIGNET_TEST_NUMBERS}, shared with challenge-service, which
 * gives them a fixed code): the dispatcher never sends them to a provider and never counts them
 * against the send guard. A fixed code is a standing credential, so a dispatcher started with test
 * numbers under the {@code production} profile refuses to start.
 */
@Component
public class TestNumbers {

  private final Set<String> numbers;
  private final boolean production;

  public TestNumbers(DispatcherProperties properties, Environment environment) {
    this.numbers = parse(properties.testNumbers());
    this.production = TestNumberList.production(environment);
    TestNumberList.refuseInProduction(numbers.size(), "signet.sms.test-numbers", environment);
  }

  /** Numbers of {@code +E164:code,...}; the codes are challenge-service's, ignored here. */
  static Set<String> parse(String config) {
    return TestNumberList.parse(config).keySet();
  }

  public boolean contains(String e164) {
    return e164 != null && numbers.contains(e164);
  }

  /** Whether the production profile is active (test traffic is then refused). */
  public boolean production() {
    return production;
  }
}
