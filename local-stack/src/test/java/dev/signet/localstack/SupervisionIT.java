package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The launcher supervises: a component of a running stack killed with {@code kill -9} is started
 * again, says so in the launcher's log, is ready again, and stack.json names its new pid; the stack
 * keeps running and still stops cleanly.
 */
class SupervisionIT {

  private static final int OFFSET = FreePortOffset.find();
  private static final Path LOG = Path.of("target", "supervision-it-launcher.log");

  @TempDir Path dataDir;

  private Process launcher;

  @AfterEach
  void stop() throws InterruptedException {
    if (launcher != null) {
      launcher.toHandle().destroy();
      if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
      }
    }
  }

  @Test
  void restartsAServiceKilledWithSignalNineUntilItIsReadyAgain() throws Exception {
    Files.deleteIfExists(LOG);
    launcher =
        LauncherProcess.start(
            LOG,
            "--only",
            "kafka,mongo,registry",
            "--in-memory",
            "--port-offset",
            Integer.toString(OFFSET),
            "--data-dir",
            dataDir.toString(),
            "--quiet");
    JsonNode stack = awaitStackJson(-1);
    long killed = stack.at("/components/registry/pid").asLong();
    String health = stack.at("/components/registry/url").asString() + "/actuator/health";

    ProcessHandle.of(killed).orElseThrow().destroyForcibly(); // SIGKILL, as kill -9

    JsonNode again = awaitStackJson(killed);
    long restarted = again.at("/components/registry/pid").asLong();
    assertThat(ProcessHandle.of(restarted).map(ProcessHandle::isAlive)).contains(true);
    assertThat(launcher.descendants().map(ProcessHandle::pid)).contains(restarted);
    HttpResponse<String> up =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(health)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"UP\"");
    assertThat(Files.readString(LOG))
        .contains("registry exited with code 137; restarting it in 1 s")
        .contains("registry is running again")
        .doesNotContain("Stopping the stack");
    assertThat(launcher.isAlive()).isTrue();

    launcher.toHandle().destroy();
    assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessHandle.of(restarted).filter(ProcessHandle::isAlive)).isEmpty();
  }

  /** stack.json once it names a registry pid other than {@code not}. */
  private JsonNode awaitStackJson(long not) {
    Path file = dataDir.resolve("stack.json");
    JsonNode[] json = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(launcher.isAlive()).as("launcher alive; see " + LOG).isTrue();
              json[0] = JsonMapper.builder().build().readTree(Files.readString(file));
              long pid = json[0].at("/components/registry/pid").asLong();
              return pid > 0 && pid != not;
            });
    return json[0];
  }
}
