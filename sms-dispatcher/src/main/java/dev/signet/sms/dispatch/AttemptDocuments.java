package dev.signet.sms.dispatch;

import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.Channel;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * The facts every event of an attempt repeats, as its {@code sms_attempts} document keeps them:
 * written with the claim, read back by the stale-claim sweep, receipts and fallbacks.
 */
final class AttemptDocuments {

  private AttemptDocuments() {}

  static AttemptFacts facts(Document doc) {
    Date requestedAt = doc.getDate("requestedAt");
    return new AttemptFacts(
        doc.getString("challengeId"),
        doc.getInteger("attempt", 0),
        Optional.ofNullable(doc.getString("correlationId")).orElse(""),
        doc.getString("userId"),
        Optional.ofNullable(doc.getString("action")).orElse(""),
        Channel.ofStored(doc.getString("channel")),
        Optional.ofNullable(doc.getString("phoneNumberMasked")).orElse(""),
        Optional.ofNullable(doc.getString("countryCode")).orElse(""),
        Optional.ofNullable(doc.getString("locale")).orElse(""),
        requestedAt == null ? Instant.EPOCH : requestedAt.toInstant());
  }

  static Document base(AttemptFacts facts) {
    return new Document("_id", facts.attemptId())
        .append("challengeId", facts.challengeId())
        .append("attempt", facts.attempt())
        .append("correlationId", facts.correlationId())
        .append("userId", facts.userId())
        .append("action", facts.action())
        .append("channel", facts.channel().name())
        .append("phoneNumberMasked", facts.phoneNumberMasked())
        .append("countryCode", facts.countryCode())
        .append("locale", facts.locale())
        .append("requestedAt", Date.from(facts.requestedAt()));
  }
}
