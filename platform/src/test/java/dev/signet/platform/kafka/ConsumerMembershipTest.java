package dev.signet.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerMembershipTest {

  private static final Duration SESSION = Duration.ofSeconds(6);

  @Test
  void aConfiguredInstanceIdIsUsedAsItIsAndNamesEachListener() {
    ConsumerMembership m = ConsumerMembership.of("dispatcher-a", 8082, SESSION);
    try {
      assertThat(m.instanceId()).isEqualTo("dispatcher-a");
      assertThat(m.groupInstanceId("challenge-requested"))
          .isEqualTo("dispatcher-a-challenge-requested");
      assertThat(m.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    } finally {
      m.release();
    }
  }

  @Test
  void theDerivedIdIsStableForAHostAndPortAndDiffersBetweenPorts() {
    ConsumerMembership first = ConsumerMembership.of("", 18082, SESSION);
    String id = first.instanceId();
    first.release();
    ConsumerMembership again = ConsumerMembership.of(null, 18082, SESSION);
    ConsumerMembership other = ConsumerMembership.of(null, 18083, SESSION);
    try {
      assertThat(again.instanceId()).isEqualTo(id).endsWith("-18082");
      assertThat(other.instanceId()).isNotEqualTo(id).endsWith("-18083");
    } finally {
      again.release();
      other.release();
    }
  }

  @Test
  void aSecondContextInTheSameJvmNeverFencesTheFirst() {
    ConsumerMembership first = ConsumerMembership.of("svc", 0, SESSION);
    ConsumerMembership second = ConsumerMembership.of("svc", 0, SESSION);
    try {
      assertThat(second.instanceId()).isEqualTo("svc-2");
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void refusesAnIdKafkaWouldRefuseAndANonPositiveSession() {
    assertThatThrownBy(() -> new ConsumerMembership("a b", SESSION))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConsumerMembership("ok", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
