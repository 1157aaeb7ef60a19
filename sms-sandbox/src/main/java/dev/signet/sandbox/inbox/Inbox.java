package dev.signet.sandbox.inbox;

import dev.signet.sandbox.SandboxProperties;
import dev.signet.sandbox.phone.PhoneNumbers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Bounded in-memory store of delivered messages; the oldest are dropped beyond the capacity. */
@Component
public class Inbox {

  private final int capacity;
  private final Deque<InboxMessage> messages = new ArrayDeque<>();

  @Autowired
  public Inbox(SandboxProperties properties) {
    this(properties.inboxCapacity());
  }

  Inbox(int capacity) {
    this.capacity = capacity;
  }

  public synchronized void add(InboxMessage message) {
    messages.addFirst(message);
    while (messages.size() > capacity) {
      messages.removeLast();
    }
  }

  /** Newest first; all messages when {@code to} is empty. */
  public synchronized List<InboxMessage> list(Optional<String> to) {
    Optional<String> wanted = to.map(PhoneNumbers::e164);
    List<InboxMessage> result = new ArrayList<>();
    for (Iterator<InboxMessage> it = messages.iterator(); it.hasNext(); ) {
      InboxMessage message = it.next();
      if (wanted.isEmpty() || wanted.get().equals(message.to())) {
        result.add(message);
      }
    }
    return result;
  }

  public synchronized void clear() {
    messages.clear();
  }
}
