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
    assertThat(options.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(options.fictionalNumberPrefixes()).isEqualTo("+4477009");
  }

  @Test
  void takesAnIpAddressToBindToAndConnectsOverLoopbackWhenItIsAWildcard() {
    StackOptions wildcard =
        StackOptions.parse(List.of("--bind-address", "0.0.0.0"), Map.of(), ROOT);
    StackOptions ipv6Wildcard = StackOptions.parse(List.of("--bind-address=[::]"), Map.of(), ROOT);
    StackOptions lan =
        StackOptions.parse(List.of("--bind-address", "192.168.1.20"), Map.of(), ROOT);
    StackOptions ipv6 = StackOptions.parse(List.of("--bind-address", "::1"), Map.of(), ROOT);

    assertThat(wildcard.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(wildcard.connectAddress()).isEqualTo("127.0.0.1");
    assertThat(ipv6Wildcard.bindAddress()).isEqualTo("::");
    assertThat(ipv6Wildcard.bindUrlHost()).isEqualTo("[::]");
    assertThat(ipv6Wildcard.urlHost()).isEqualTo("127.0.0.1");
    assertThat(lan.connectAddress()).isEqualTo("192.168.1.20");
    assertThat(ipv6.urlHost()).isEqualTo("[::1]");
  }

  @Test
  void refusesABindAddressThatIsNoIpAddress() {
    for (String address : List.of("localhost", "example.com", "256.1.1.1", "1.2.3", ":::1:::")) {
      assertThatThrownBy(
              () -> StackOptions.parse(List.of("--bind-address", address), Map.of(), ROOT))
          .as(address)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--bind-address needs an IP address");
    }
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
        .hasMessageContaining(
            "kafka,mongo,zipkin,registry,sandbox,challenge,rules,dispatcher,audit");
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
