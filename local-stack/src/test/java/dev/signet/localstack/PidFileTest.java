package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

  @TempDir Path dir;

  @Test
  void recordsTheLauncherAndItsChildrenAndRecognisesThemWhileTheyLive() {
    PidFile file = new PidFile(dir.resolve("stack.pids"));
    ProcessHandle self = ProcessHandle.current();

    file.begin(self);
    file.add("kafka", self);

    assertThat(file.read())
        .extracting(PidFile.Entry::name, PidFile.Entry::pid)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("launcher", self.pid()),
            org.assertj.core.groups.Tuple.tuple("kafka", self.pid()));
    assertThat(file.read().get(0).live()).contains(self);
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNotOurs() {
    PidFile.Entry entry = PidFile.Entry.of("mongo", ProcessHandle.current());
    PidFile.Entry recycled = new PidFile.Entry("mongo", entry.pid(), entry.startMillis() - 60_000);

    assertThat(entry.live()).isPresent();
    assertThat(recycled.live()).isEmpty();
  }

  @Test
  void startsEmptyAndForgetsEverythingWhenDeleted() {
    PidFile file = new PidFile(dir.resolve("stack.pids"));
    assertThat(file.read()).isEmpty();

    file.begin(ProcessHandle.current());
    file.delete();

    assertThat(file.read()).isEmpty();
  }
}
