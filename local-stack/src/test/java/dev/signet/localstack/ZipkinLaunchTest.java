package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipkinLaunchTest {

  /**
   * Heap one stored span takes in the Zipkin server, measured with 200,000 posted spans of nine
   * tags each (about 94 MB live at 30,000 after a full collection, about 30 MB of it the server).
   */
  private static final long BYTES_PER_SPAN = 2_200;

  private static final long SERVER_BYTES = 30L << 20;

  @Test
  void theSpansItKeepsFitInItsHeapWithRoomToCollect() {
    List<String> command =
        ZipkinLaunch.zipkinCommand(
            "/jdk/bin/java",
            Layout.of(Path.of("/repo/local-stack/target"), "1.2.3", Path.of("/data"), true, 1),
            StackOptions.parse(List.of(), Map.of("SIGNET_DATA_DIR", "/data"), Path.of("/repo")),
            9411);
    long heap = megabytes(option(command, "-Xmx")) << 20;
    long spans = Long.parseLong(option(command, "--zipkin.storage.mem.max-spans="));

    // With 200,000 spans in 256 MB the server collected back to back and reset posts.
    assertThat(SERVER_BYTES + spans * BYTES_PER_SPAN).isLessThan(heap / 2);
  }

  private static String option(List<String> command, String prefix) {
    return command.stream()
        .filter(a -> a.startsWith(prefix))
        .map(a -> a.substring(prefix.length()))
        .findFirst()
        .orElseThrow();
  }

  private static long megabytes(String size) {
    assertThat(size).endsWith("m");
    return Long.parseLong(size.substring(0, size.length() - 1));
  }
}
