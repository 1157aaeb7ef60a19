package dev.signet.rules.management;

import dev.signet.rules.policy.SendPolicy;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bson.Document;

/** The send-policy API's answers, their JSON members in the order of the components. */
final class SendPolicyViews {

  private SendPolicyViews() {}

  /** The policy in force: its settings and the blocks active now. */
  record PolicyView(
      String policyId,
      long version,
      List<String> allowedCountries,
      boolean shadowMode,
      VelocityView perNumber,
      VelocityView perPrefix,
      VelocityView perCountry,
      Long dailyGlobalBudget,
      double minConversionRate,
      int conversionMinVolume,
      long conversionWindowSeconds,
      long autoBlockSeconds,
      List<BlockView> blockedPrefixes,
      List<BlockView> blockedCountries,
      String updatedBy,
      String updatedAt) {

    static PolicyView of(SendPolicy p, Instant now) {
      SendPolicy.Settings s = p.settings();
      return new PolicyView(
          p.policyId(),
          p.version(),
          s.allowedCountries(),
          s.shadowMode(),
          VelocityView.of(s.perNumber()),
          VelocityView.of(s.perPrefix()),
          VelocityView.of(s.perCountry()),
          s.dailyGlobalBudget(),
          s.minConversionRate(),
          s.conversionMinVolume(),
          s.conversionWindow().toSeconds(),
          s.autoBlockDuration().toSeconds(),
          BlockView.active(p.blockedPrefixes(), now),
          BlockView.active(p.blockedCountries(), now),
          p.updatedBy(),
          p.updatedAt().toString());
    }
  }

  /** A velocity limit: {@code maxCount} sends per window. */
  record VelocityView(int maxCount, long windowSeconds) {
    static VelocityView of(SendPolicy.Velocity v) {
      return new VelocityView(v.maxCount(), v.window().toSeconds());
    }
  }

  /** A block in force; {@code until} null while it lasts until lifted. */
  record BlockView(String value, String reason, String until, String blockedAt) {
    static List<BlockView> active(List<SendPolicy.Block> blocks, Instant now) {
      return blocks.stream()
          .filter(b -> b.activeAt(now))
          .map(
              b ->
                  new BlockView(
                      b.value(),
                      b.reason(),
                      b.until() == null ? null : b.until().toString(),
                      b.at().toString()))
          .toList();
    }
  }

  /** What the pumping guard detected for one destination and reason. */
  record Detection(
      String kind,
      String value,
      String reason,
      Long observed,
      Long limit,
      Long windowSeconds,
      String detail,
      Boolean shadow,
      Long count,
      String firstAt,
      String lastAt) {

    static Detection of(Document d) {
      return new Detection(
          d.getString("kind").toLowerCase(Locale.ROOT),
          d.getString("value"),
          d.getString("reason"),
          number(d, "observed"),
          number(d, "limit"),
          number(d, "windowSeconds"),
          d.getString("detail"),
          d.getBoolean("shadow"),
          number(d, "count"),
          instant(d.getDate("firstAt")),
          instant(d.getDate("lastAt")));
    }

    /** A count as stored (an int or a long, by how it was written). */
    private static Long number(Document d, String field) {
      return d.get(field) instanceof Number n ? n.longValue() : null;
    }

    private static String instant(Date date) {
      return date == null ? null : date.toInstant().toString();
    }
  }

  /** The latest detections, newest first. */
  record Detections(List<Detection> detections) {}
}
