package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  void parsesTheVmRssLineOfProcStatus() {
    assertThat(ProcessMemory.parseKib("VmRSS:\t  312456 kB")).isEqualTo(312_456);
  }

  @Test
  void readsTheResidentSetOfALiveProcessAndNothingForAMissingOne() {
    long own = ProcessMemory.rssKib(ProcessHandle.current().pid());

    assertThat(own).isGreaterThan(10_000);
    assertThat(ProcessMemory.rssKib(Long.MAX_VALUE)).isEqualTo(-1);
  }
}
