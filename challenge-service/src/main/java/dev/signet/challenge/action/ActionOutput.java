package dev.signet.challenge.action;

/**
 * What the rules decided for an action, kept apart from its current state (which a challenge, a
 * review or a manual change moves on): reported as {@code output} by {@code GET} of an action.
 *
 * @param state the first state the decision gave the action
 * @param decision rules-service's outcome (ALLOW, BLOCK, CHALLENGE, REVIEW) when it decided in
 *     time, else null
 * @param decidedBy how the first state came about: {@code DECISION} (rules-service), {@code
 *     DECISION_TIMEOUT_FALLBACK}, {@code NOT_ENROLLED} (a challenge asked of a user without
 *     authenticator became ALLOW) or {@code CLAIM} (the action of a claimed sign-in challenge)
 */
public record ActionOutput(ActionState state, String decision, String decidedBy) {}
