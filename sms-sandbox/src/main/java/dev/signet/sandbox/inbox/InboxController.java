package dev.signet.sandbox.inbox;

import dev.signet.sandbox.phone.PhoneNumbers;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lets tests and developers read what was "sent to the phone". */
@RestController
class InboxController {

  private final Inbox inbox;

  InboxController(Inbox inbox) {
    this.inbox = inbox;
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
