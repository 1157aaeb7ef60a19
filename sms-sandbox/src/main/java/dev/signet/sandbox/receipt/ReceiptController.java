package dev.signet.sandbox.receipt;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Shows which receipts were sent, how often they were tried and how it ended. */
@RestController
class ReceiptController {

  private final ReceiptLog log;

  ReceiptController(ReceiptLog log) {
    this.log = log;
  }

  @GetMapping("/receipts")
  ReceiptLog.Summary list(@RequestParam(name = "messageId", required = false) String messageId) {
    return log.summary(messageId);
  }

  @DeleteMapping("/receipts")
  ResponseEntity<Void> clear() {
    log.clear();
    return ResponseEntity.noContent().build();
  }
}
