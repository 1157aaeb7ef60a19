package dev.signet.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadGroupsTest {

  @Test
  void aPoolReadsAsOneGroup() {
    assertThat(ThreadGroups.normalise("reactor-http-epoll-3")).isEqualTo("reactor-http-epoll-N");
    assertThat(ThreadGroups.normalise("C2 CompilerThread0")).isEqualTo("CN CompilerThreadN");
    assertThat(ThreadGroups.normalise(null)).isEqualTo("?");
  }
}
