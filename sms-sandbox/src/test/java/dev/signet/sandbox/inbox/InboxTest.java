package dev.signet.sandbox.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboxTest {

  @Test
  void listsNewestFirstAndFiltersByRecipient() {
    // given
    Inbox inbox = new Inbox(10);
    inbox.add(message("m1", "+447700900001"));
    inbox.add(message("m2", "+447700900002"));
    inbox.add(message("m3", "+447700900001"));

    // when / then
    assertThat(inbox.list(Optional.empty()))
        .extracting(InboxMessage::messageId)
        .containsExactly("m3", "m2", "m1");
    assertThat(inbox.list(Optional.of("447700900001")))
        .extracting(InboxMessage::messageId)
        .containsExactly("m3", "m1");
  }

  @Test
  void dropsTheOldestBeyondItsCapacity() {
    // given
    Inbox inbox = new Inbox(2);

    // when
    inbox.add(message("m1", "+447700900001"));
    inbox.add(message("m2", "+447700900001"));
    inbox.add(message("m3", "+447700900001"));

    // then
    assertThat(inbox.list(Optional.empty()))
        .extracting(InboxMessage::messageId)
        .containsExactly("m3", "m2");
  }

  private static InboxMessage message(String id, String to) {
    return new InboxMessage(
        id, to, "Signet", "hi", "sms", Instant.now(), "sms", "text", 1, null, false);
  }
}
