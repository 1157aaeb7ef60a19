package dev.signet.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.junit.jupiter.api.Test;

class LeavingConsumerTest {

  private final MockConsumer<String, String> mock =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  private final Consumer<String, String> consumer = LeavingConsumer.wrap(mock);

  @Test
  void theUnsubscribeBeforeCloseLeavesTheGroupAndTheCloseAfterItDoesNothing() {
    consumer.subscribe(List.of("auth.challenge.requested.v1"));

    consumer.unsubscribe();
    assertThat(mock.closed()).isTrue();

    consumer.close();
    assertThat(mock.closed()).isTrue();
  }

  @Test
  void everyOtherCallGoesToTheConsumer() {
    consumer.subscribe(List.of("auth.challenge.requested.v1"));

    assertThat(consumer.subscription()).containsExactly("auth.challenge.requested.v1");
    assertThat(mock.closed()).isFalse();
  }
}
