package dev.signet.rules.management;

import static dev.signet.rules.management.BodyFields.absent;
import static dev.signet.rules.management.BodyFields.known;
import static dev.signet.rules.management.BodyFields.text;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.signet.platform.web.HttpErrorException;
import dev.signet.rules.evaluation.ActionAttributes;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.RiskSignals;
import dev.signet.rules.evaluation.Rule;
import dev.signet.rules.management.RuleRequests.DefaultsBody;
import dev.signet.rules.management.RuleRequests.RuleBody;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The dry run's request body, read into what {@link DryRunController} evaluates. */
final class DryRunRequests {

  static final int MAX_CUSTOM_KEYS = 100;
  static final int MAX_CANDIDATES = 100;

  private DryRunRequests() {}

  /**
   * {@code {attributes?, rules?, defaults?, signals?, at?}}: sample attributes shaped like the
   * track request, candidate rules (default: the stored ones), default outcomes (default: the
   * stored ones), a fixed history (default: the user's recorded one) and the time of evaluation.
   */
  record DryRunBody(
      AttributesBody attributes,
      JsonNode rules,
      DefaultsBody defaults,
      SignalsBody signals,
      String at,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    /** The run; {@code recorded} are the signals to read when the body gives none. */
    DryRun toDryRun(String actionCode, Clock clock, RiskSignals recorded) {
      known(unknown, "");
      ActionAttributes attributes =
          (this.attributes == null ? AttributesBody.EMPTY : this.attributes)
              .toAttributes(actionCode);
      Clock at = clock;
      if (this.at != null) {
        try {
          at = Clock.fixed(Instant.parse(text(this.at, "at", 64, true)), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw HttpErrorException.invalid(
              "at must be an ISO-8601 instant, like 2026-11-25T18:00:00Z.");
        }
      }
      RiskSignals history =
          signals != null
              ? signals.toSignals()
              : attributes.userId().isEmpty() ? new FixedSignals(false, 0, 0, 0) : recorded;
      return new DryRun(
          attributes,
          candidates(actionCode),
          defaults == null ? null : defaults.toDefaults(actionCode),
          history,
          at);
    }

    private List<Rule> candidates(String actionCode) {
      if (absent(rules)) {
        return null;
      }
      if (!rules.isArray() || rules.size() > MAX_CANDIDATES) {
        throw HttpErrorException.invalid(
            "rules must be an array of at most " + MAX_CANDIDATES + " rules.");
      }
      List<Rule> candidates = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        RuleBody rule =
            BodyFields.object(rules.get(i), RuleBody.class, "rules[" + i + "] must be an object.");
        candidates.add(
            rule.toRule("draft-" + (i + 1), actionCode, (i + 1) * RulesController.PRIORITY_STEP));
      }
      return candidates;
    }
  }

  /**
   * What a dry run evaluates; {@code rules} and {@code defaults} are {@code null} where the stored
   * ones apply.
   */
  record DryRun(
      ActionAttributes attributes,
      List<Rule> rules,
      ActionDefaults defaults,
      RiskSignals signals,
      Clock at) {}

  /** Sample attributes: {@code {userId?, ipAddress?, userAgent?, deviceId?, custom?, ...}}. */
  record AttributesBody(
      String userId,
      String ipAddress,
      String userAgent,
      String deviceId,
      Map<String, Object> custom,
      Boolean isEnrolled,
      String phoneCountry,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    static final AttributesBody EMPTY =
        new AttributesBody(null, null, null, null, null, null, null, Map.of());

    ActionAttributes toAttributes(String actionCode) {
      known(unknown, "attributes.");
      Map<String, Object> custom = customData();
      String userId = text(this.userId, "attributes.userId", 128, false);
      return new ActionAttributes(
          "dry-run",
          userId == null ? "" : userId,
          actionCode,
          text(ipAddress, "attributes.ipAddress", 64, false),
          text(userAgent, "attributes.userAgent", 2048, false),
          text(deviceId, "attributes.deviceId", 256, false),
          custom,
          isEnrolled != null && isEnrolled,
          text(phoneCountry, "attributes.phoneCountry", 2, false));
    }

    /** Custom data is free-form by contract: any key, primitive values only. */
    private Map<String, Object> customData() {
      Map<String, Object> out = new LinkedHashMap<>();
      if (custom == null) {
        return out;
      }
      if (custom.size() > MAX_CUSTOM_KEYS) {
        throw HttpErrorException.invalid(
            "attributes.custom has more than " + MAX_CUSTOM_KEYS + " keys.");
      }
      for (Map.Entry<String, Object> e : custom.entrySet()) {
        Object v = e.getValue();
        if (v instanceof BigInteger big) {
          v = big.doubleValue();
        } else if (v instanceof Integer i) {
          v = i.longValue();
        }
        if (v != null
            && !(v instanceof String
                || v instanceof Long
                || v instanceof Double
                || v instanceof Boolean)) {
          throw HttpErrorException.invalid(
              "attributes.custom." + e.getKey() + " must be a string, number, boolean or null.");
        }
        out.put(e.getKey(), v);
      }
      return out;
    }
  }

  /** A fixed history: {@code {deviceSeenBefore?, actions?, failedVerifications?, ...}}. */
  record SignalsBody(
      Boolean deviceSeenBefore,
      JsonNode actions,
      JsonNode failedVerifications,
      JsonNode failedDeliveries,
      @JsonAnySetter Map<String, JsonNode> unknown) {

    FixedSignals toSignals() {
      known(unknown, "signals.");
      return new FixedSignals(
          deviceSeenBefore != null && deviceSeenBefore,
          count(actions, "signals.actions"),
          count(failedVerifications, "signals.failedVerifications"),
          count(failedDeliveries, "signals.failedDeliveries"));
    }

    private static long count(JsonNode value, String field) {
      if (absent(value)) {
        return 0;
      }
      if (!value.isInt() || value.intValue() < 0) {
        throw HttpErrorException.invalid(field + " must be a non-negative integer.");
      }
      return value.intValue();
    }
  }

  /**
   * Signals given in a dry run: the same history for every window. {@code actions} counts earlier
   * actions; the evaluated one is added by the evaluator as always.
   */
  record FixedSignals(
      boolean deviceSeen, long actions, long failedVerifications, long failedDeliveries)
      implements RiskSignals {
    @Override
    public boolean deviceSeenBefore(String userId, String deviceId, String currentEventId) {
      return deviceSeen;
    }

    @Override
    public long actionsSince(String userId, String actionCode, Instant since, String eventId) {
      return actions;
    }

    @Override
    public long failedVerificationsSince(String userId, Instant since) {
      return failedVerifications;
    }

    @Override
    public long failedDeliveriesSince(String userId, Instant since) {
      return failedDeliveries;
    }
  }
}
