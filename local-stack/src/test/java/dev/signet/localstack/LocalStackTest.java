package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  private int run(Layout layout, String... args) {
    StackOptions options = StackOptions.parse(List.of(args), Map.of(), dir);
    return new LocalStack(
            options, layout, new PrintStream(output, true, StandardCharsets.UTF_8), Map.of())
        .run();
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  @Test
  void namesTheMissingJarAndStartsNothing() {
    Path data = dir.resolve("data");
    Layout layout = Layout.of(dir.resolve("repo/local-stack/target"), "9.9.9", data, false, 1);

    int exit = run(layout, "--data-dir", data.toString(), "--only", "registry,sandbox");

    assertThat(exit).isEqualTo(2);
    assertThat(output())
        .contains(
            "cannot start registry: schema-registry/target/schema-registry-9.9.9.jar is missing")
        .contains("cannot start sandbox: sms-sandbox/target/sms-sandbox-9.9.9.jar is missing")
        .contains("--only");
    assertThat(Files.exists(data.resolve("stack.pids"))).isFalse();
  }

  @Test
  void runsACopyOfEachServiceJarSoThatARebuildCannotPullItAway() throws Exception {
    Path repo = dir.resolve("repo");
    Path jar = repo.resolve("audit-service/target/audit-service-9.9.9.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "not really a jar");
    Path data = dir.resolve("data");
    Layout layout = Layout.of(repo.resolve("local-stack/target"), "9.9.9", data, false, 1);

    int exit = run(layout, "--data-dir", data.toString(), "--only", "audit", "--timeout", "5");

    assertThat(exit).isEqualTo(1);
    assertThat(data.resolve("jars/audit-service.jar")).hasContent("not really a jar");
    assertThat(output())
        .contains("FAILED: audit exited with code 1 before it was ready")
        .contains("logs/audit.log");
  }

  @Test
  void refusesADataFolderThatARunningLauncherOwns() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    ProcessHandle other = ProcessHandle.current().parent().orElseThrow();
    new PidFile(data.resolve("stack.pids")).begin(other);
    Layout layout = Layout.of(dir.resolve("repo/local-stack/target"), "9.9.9", data, false, 1);

    int exit = run(layout, "--data-dir", data.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(output())
        .contains("another local stack (launcher pid " + other.pid() + ") is running");
  }
}
