package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the packaged launcher as its own process, its output appended to {@code log}. */
final class LauncherProcess {

  private LauncherProcess() {}

  static Process start(Path log, String... options) throws IOException {
    Path jar = Path.of("target", "local-stack-" + Layout.launcherVersion() + ".jar");
    assertThat(jar).exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(jar.toString());
    command.add(LocalStack.class.getName());
    command.addAll(List.of(options));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }
}
