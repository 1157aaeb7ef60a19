package dev.signet.audit.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.ActivityCategory;
import dev.signet.audit.activity.ActivityOutcome;
import dev.signet.audit.activity.ActivitySeverity;
import dev.signet.audit.activity.ActivityTypes;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class ChallengeViewUpdatesTest {

  @Test
  void aFallbackNotSentIsKeptOnTheChallengeAndIsNoDispatchFailureOfItsSentAttempt() {
    Document update =
        ChallengeViewUpdates.update(
            dispatchFailed(
                Map.of(
                    "attempt",
                    "1",
                    "reason",
                    "FALLBACKS_EXHAUSTED",
                    "fallback",
                    "2",
                    "fallbackReason",
                    "NO_DELIVERY_IN_WINDOW")));

    Document added = update.get("$addToSet", Document.class);
    assertThat(added.get("fallbacksNotSent"))
        .isEqualTo(
            new Document("attempt", 1)
                .append("fallback", 2)
                .append("reason", "FALLBACKS_EXHAUSTED"));
    assertThat(added).doesNotContainKey("dispatchFailures");
    assertThat(update.get("$max", Document.class).getInteger("deliveryRank"))
        .isLessThan(ChallengeRanks.delivery("FAILED"));
  }

  @Test
  void aFailedAttemptIsStillADispatchFailure() {
    Document update =
        ChallengeViewUpdates.update(dispatchFailed(Map.of("attempt", "2", "reason", "REJECTED")));

    Document added = update.get("$addToSet", Document.class);
    assertThat(added.get("dispatchFailures"))
        .isEqualTo(new Document("attempt", 2).append("reason", "REJECTED"));
    assertThat(added).doesNotContainKey("fallbacksNotSent");
    assertThat(update.get("$max", Document.class).getInteger("deliveryRank"))
        .isEqualTo(ChallengeRanks.delivery("FAILED"));
  }

  private static Activity dispatchFailed(Map<String, String> attributes) {
    return new Activity(
        "act-" + attributes.get("attempt"),
        ActivityTypes.SMS_DISPATCH_FAILED,
        ActivityCategory.SMS,
        ActivityOutcome.FAILURE,
        ActivitySeverity.WARNING,
        "summary",
        Instant.parse("2026-12-07T10:00:00Z"),
        "corr",
        null,
        "chl-1",
        "signIn",
        null,
        null,
        "+44******6666",
        null,
        "GB",
        null,
        false,
        "auth.sms.dispatch-failed.v1",
        "evt-" + attributes.get("attempt"),
        new TreeMap<>(attributes),
        null);
  }
}
