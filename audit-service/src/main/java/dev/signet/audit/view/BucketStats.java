package dev.signet.audit.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one time bucket for one country and action, accumulated from the per-challenge
 * views of the challenges requested in the bucket (a cohort: a challenge's sends, receipts and
 * verification count in the bucket of its request, so rates never exceed 1).
 */
final class BucketStats {

  long challenges;
  long sends;
  long deliveries;
  long undelivered;
  long dispatchFailures;
  long verifications;
  long verificationFailures;
  long blocked;
  long shadowBlocked;
  final Map<String, Long> blockedByReason = new TreeMap<>();
  final List<Long> deliveryMillis = new ArrayList<>();

  Double conversionRate() {
    return challenges == 0 ? null : round((double) verifications / challenges);
  }

  Double deliveryRate() {
    return sends == 0 ? null : round((double) Math.min(deliveries, sends) / sends);
  }

  /** Nearest-rank percentile of send-to-delivery times, or null without deliveries. */
  Long percentile(double p) {
    if (deliveryMillis.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(deliveryMillis);
    sorted.sort(null);
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
