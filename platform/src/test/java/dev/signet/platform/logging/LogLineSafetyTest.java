package dev.signet.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LogLineSafetyTest {

  @Test
  void aMessageWithLineBreaksStaysOnOneLine() {
    LoggerContext context = new LoggerContext();
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern(LogLineSafety.ESCAPED_MESSAGE + "%n");
    layout.start();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("test"),
            Level.INFO,
            "receipt messageId={}",
            null,
            new Object[] {"abc\r\n2026-12-06 INFO forged line"});

    String line = layout.doLayout(event);

    assertThat(line)
        .isEqualTo(
            "receipt messageId=abc\\r\\n2026-12-06 INFO forged line" + System.lineSeparator());
  }

  @Test
  void theConsolePatternUsesTheEscapedMessage() {
    assertThat(LogLineSafety.CONSOLE_PATTERN)
        .contains(LogLineSafety.ESCAPED_MESSAGE)
        .doesNotContain(" %m%n");
  }
}
