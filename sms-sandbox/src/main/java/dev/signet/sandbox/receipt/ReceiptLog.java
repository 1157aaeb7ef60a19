package dev.signet.sandbox.receipt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** The last receipts and their attempts, plus lifetime counters, for tests and operators. */
@Component
class ReceiptLog {

  private static final int CAPACITY = 10_000;

  private final Deque<ReceiptRecord> records = new ArrayDeque<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  synchronized void add(ReceiptRecord record) {
    records.addFirst(record);
    while (records.size() > CAPACITY) {
      records.removeLast();
    }
  }

  void finished(ReceiptRecord record, ReceiptRecord.Outcome outcome) {
    record.finish(outcome);
    (outcome == ReceiptRecord.Outcome.DELIVERED ? delivered : failed).incrementAndGet();
  }

  /** Newest first, optionally only those of one message. */
  synchronized Summary summary(String messageId) {
    List<ReceiptView> views = new ArrayList<>();
    long pending = 0;
    for (ReceiptRecord record : records) {
      if (record.outcome() == ReceiptRecord.Outcome.PENDING) {
        pending++;
      }
      if (messageId == null || messageId.equals(record.messageId())) {
        views.add(record.view());
      }
    }
    return new Summary(delivered.get(), failed.get(), pending, views);
  }

  synchronized void clear() {
    records.clear();
    delivered.set(0);
    failed.set(0);
  }

  /**
   * @param delivered receipts acknowledged with a 2xx
   * @param failed receipts given up after all attempts
   * @param pending receipts still waiting or retrying
   * @param receipts the receipts, newest first
   */
  record Summary(long delivered, long failed, long pending, List<ReceiptView> receipts) {}
}
