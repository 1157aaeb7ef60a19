package dev.signet.platform.logging;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the plain-text console log escape CR and LF inside every message, whoever logged it: a
 * value an attacker controls (a path, a webhook's message id) can never start a line of its own.
 * Added as the lowest-precedence default, so a service's own {@code logging.pattern.console}, or
 * the structured JSON logs of production (JSON escapes them anyway), still win.
 */
public final class LogLineSafety implements EnvironmentPostProcessor, Ordered {

  /** The message with CR and LF shown as {@code \\r} and {@code \\n}. */
  static final String ESCAPED_MESSAGE = "%replace(%replace(%m){'\\r','\\\\r'}){'\\n','\\\\n'}";

  /** Boot's console pattern with {@code %m} replaced by {@link #ESCAPED_MESSAGE}. */
  static final String CONSOLE_PATTERN =
      "%clr(%d{${LOG_DATEFORMAT_PATTERN:yyyy-MM-dd'T'HH:mm:ss.SSSXXX}}){faint}"
          + " %clr(${LOG_LEVEL_PATTERN:%5p}) %clr(${PID:}){magenta} %clr(---"
          + " %esb(){APPLICATION_NAME}%esb{APPLICATION_GROUP}[%15.15t]"
          + " ${LOG_CORRELATION_PATTERN:-}){faint}%clr(%-40.40logger{39}){cyan} %clr(:){faint}"
          + " "
          + ESCAPED_MESSAGE
          + "%n${LOG_EXCEPTION_CONVERSION_WORD:%wEx}";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                "signetLogLineSafety", Map.of("logging.pattern.console", CONSOLE_PATTERN)));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
