package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {

  @Test
  void parsesTheVmRssLineOfProcStatus() {
    assertThat(ProcFs.parseKib("VmRSS:\t  312456 kB")).isEqualTo(312_456);
  }

  @Test
  void readsTheResidentSetOfALiveProcessAndNothingForAMissingOne() {
    long own = ProcFs.rssKib(ProcessHandle.current().pid());

    assertThat(own).isGreaterThan(10_000);
    assertThat(ProcFs.rssKib(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void readsTheStateAfterACommandNameWithSpacesAndParentheses() {
    assertThat(ProcFs.stateOf("1234 (java (x) y) Z 1 1234 1234 0 -1")).isEqualTo('Z');
    assertThat(ProcFs.stateOf("1234 (java) S 1 1234")).isEqualTo('S');
    assertThat(ProcFs.isZombie(ProcessHandle.current().pid())).isFalse();
  }
}
