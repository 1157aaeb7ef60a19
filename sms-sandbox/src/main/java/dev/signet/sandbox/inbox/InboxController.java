package dev.signet.sandbox.inbox;

import dev.signet.sandbox.MessageIds;
import dev.signet.sandbox.phone.PhoneNumbers;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets tests and developers read what was "sent to the phone", and takes the dispatcher's messages
 * to test numbers, which never go through a provider API: they land in the inbox marked as test
 * traffic, without charge, faults or delivery receipt.
 */
@RestController
class InboxController {

  private final Inbox inbox;
  private final MessageIds ids;
  private final Clock clock;

  InboxController(Inbox inbox, MessageIds ids, Clock clock) {
    this.inbox = inbox;
    this.ids = ids;
    this.clock = clock;
  }

  /** One message to a test number: {@code to}, {@code from}, {@code text}, {@code channel}. */
  record TestTraffic(String to, String from, String text, String channel, String clientRef) {}

  @PostMapping("/inbox/test-traffic")
  ResponseEntity<Map<String, String>> testTraffic(@RequestBody(required = false) TestTraffic body) {
    Optional<String> to = body == null ? Optional.empty() : PhoneNumbers.digits(body.to());
    if (to.isEmpty() || body.text() == null || body.text().isEmpty()) {
      return ResponseEntity.badRequest()
          .body(Map.of("error", "invalid_request", "errorDescription", "to and text are required"));
    }
    String channel = "whatsapp".equals(body.channel()) ? "whatsapp" : "sms";
    String id = ids.next();
    inbox.add(
        new InboxMessage(
            id,
            PhoneNumbers.e164(to.get()),
            body.from() == null ? "" : body.from(),
            body.text(),
            channel,
            clock.instant(),
            "test",
            "text",
            1,
            body.clientRef(),
            true));
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("messageId", id));
  }

  @GetMapping("/inbox")
  ResponseEntity<InboxView> list(@RequestParam(name = "to", required = false) String to) {
    if (to == null || to.isBlank()) {
      return ResponseEntity.ok(new InboxView(inbox.list(Optional.empty())));
    }
    return PhoneNumbers.digits(to)
        .map(digits -> ResponseEntity.ok(new InboxView(inbox.list(Optional.of(digits)))))
        .orElseGet(() -> ResponseEntity.ok(new InboxView(List.of())));
  }

  @DeleteMapping("/inbox")
  ResponseEntity<Void> clear() {
    inbox.clear();
    return ResponseEntity.noContent().build();
  }

  record InboxView(List<InboxMessage> messages) {}
}
