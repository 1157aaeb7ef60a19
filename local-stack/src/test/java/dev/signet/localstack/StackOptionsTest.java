package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackOptionsTest {

  private static final Path ROOT = Path.of("/repo");

  @Test
  void defaultsToEverythingPersistentUnderDotSignetAtTheRepoRoot() {
    StackOptions options = StackOptions.parse(List.of(), Map.of(), ROOT);

    assertThat(options.dataDir()).isEqualTo(Path.of("/repo/.signet"));
    assertThat(options.inMemory()).isFalse();
    assertThat(options.portOffset()).isZero();
    assertThat(options.quiet()).isFalse();
    assertThat(options.components()).isEqualTo(EnumSet.allOf(Component.class));
    assertThat(options.httpTimeout()).isEqualTo(StackOptions.DEFAULT_HTTP_TIMEOUT);
  }

  @Test
  void takesTheDataFolderFromTheEnvironmentUnlessTheCommandLineNamesOne() {
    Map<String, String> env = Map.of("SIGNET_DATA_DIR", "/var/signet");

    assertThat(StackOptions.parse(List.of(), env, ROOT).dataDir())
        .isEqualTo(Path.of("/var/signet"));
    assertThat(StackOptions.parse(List.of("--data-dir", "/tmp/x"), env, ROOT).dataDir())
        .isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void parsesEveryOptionInBothSpellings() {
    StackOptions options =
        StackOptions.parse(
            List.of(
                "--in-memory",
                "--quiet",
                "--no-build",
                "--port-offset=100",
                "--data-dir=/tmp/e2e",
                "--only",
                "kafka, Mongo,challenge",
                "--timeout",
                "60"),
            Map.of(),
            ROOT);

    assertThat(options.inMemory()).isTrue();
    assertThat(options.quiet()).isTrue();
    assertThat(options.portOffset()).isEqualTo(100);
    assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/e2e"));
    assertThat(options.components())
        .containsExactly(Component.KAFKA, Component.MONGO, Component.CHALLENGE);
    assertThat(options.httpTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void namesTheKnownComponentsWhenOnlyListsAnUnknownOne() {
    assertThatThrownBy(
            () -> StackOptions.parse(List.of("--only", "kafka,zookeeper"), Map.of(), ROOT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zookeeper")
        .hasMessageContaining("kafka,mongo,registry,sandbox,challenge,rules,dispatcher,audit");
  }

  @Test
  void rejectsAnOffsetThatPushesAPortPast65535() {
    assertThatThrownBy(() -> StackOptions.parse(List.of("--port-offset", "40000"), Map.of(), ROOT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--port-offset 40000 puts mongo on port 67017");
    assertThat(
            StackOptions.parse(List.of("--port-offset", "40000", "--only", "audit"), Map.of(), ROOT)
                .portOffset())
        .isEqualTo(40000);
  }

  @Test
  void rejectsUnknownOptionsAndMissingOrMalformedValues() {
    assertThatThrownBy(() -> StackOptions.parse(List.of("--verbose"), Map.of(), ROOT))
        .hasMessage("Unknown option: --verbose");
    assertThatThrownBy(() -> StackOptions.parse(List.of("--data-dir"), Map.of(), ROOT))
        .hasMessage("--data-dir needs a value");
    assertThatThrownBy(() -> StackOptions.parse(List.of("--port-offset", "ten"), Map.of(), ROOT))
        .hasMessage("--port-offset needs a number, got ten");
    assertThatThrownBy(() -> StackOptions.parse(List.of("--port-offset", "-1"), Map.of(), ROOT))
        .hasMessageContaining("between 0 and 65535");
  }
}
