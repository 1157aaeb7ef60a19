package dev.signet.challenge.action;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of tracked actions under {@code signet.challenge.actions}.
 *
 * @param decisionTimeout how long track waits for rules-service's decision before it applies the
 *     fallback (default 1 s)
 * @param instanceId this instance's reply address for decisions ({@code replyTo}); random per start
 *     when blank, which is what every instance behind a load balancer wants
 * @param fallback the fallback of every action without its own entry in {@code fallbacks}
 * @param fallbacks fallbacks per action code
 */
@ConfigurationProperties("signet.challenge.actions")
public record ActionProperties(
    Duration decisionTimeout,
    String instanceId,
    Fallback fallback,
    Map<String, Fallback> fallbacks) {

  /** States an action may start in: the outcomes of a decision. */
  static final Set<ActionState> INITIAL_STATES =
      EnumSet.of(
          ActionState.ALLOW,
          ActionState.BLOCK,
          ActionState.CHALLENGE_REQUIRED,
          ActionState.REVIEW_REQUIRED);

  /**
   * The state an action gets when no decision arrived in time.
   *
   * @param enrolled for a user with an authenticator (default CHALLENGE_REQUIRED: fail closed)
   * @param unenrolled for a user without one (default ALLOW, as the default outcome)
   */
  public record Fallback(ActionState enrolled, ActionState unenrolled) {
    public Fallback {
      enrolled = enrolled == null ? ActionState.CHALLENGE_REQUIRED : enrolled;
      unenrolled = unenrolled == null ? ActionState.ALLOW : unenrolled;
      if (!INITIAL_STATES.contains(enrolled) || !INITIAL_STATES.contains(unenrolled)) {
        throw new IllegalArgumentException(
            "signet.challenge.actions fallbacks must be one of " + INITIAL_STATES);
      }
      if (unenrolled == ActionState.CHALLENGE_REQUIRED) {
        throw new IllegalArgumentException(
            "a user without an authenticator cannot be challenged: the unenrolled fallback must"
                + " not be CHALLENGE_REQUIRED");
      }
    }

    ActionState of(boolean isEnrolled) {
      return isEnrolled ? enrolled : unenrolled;
    }
  }

  public ActionProperties {
    decisionTimeout = decisionTimeout == null ? Duration.ofSeconds(1) : decisionTimeout;
    if (decisionTimeout.isNegative() || decisionTimeout.isZero()) {
      throw new IllegalArgumentException("signet.challenge.actions.decision-timeout must be > 0");
    }
    fallback = fallback == null ? new Fallback(null, null) : fallback;
    fallbacks = fallbacks == null ? Map.of() : Map.copyOf(fallbacks);
  }

  /** The fallback of this action code. */
  Fallback fallbackFor(String actionCode) {
    return fallbacks.getOrDefault(actionCode, fallback);
  }
}
