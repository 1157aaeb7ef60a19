package dev.signet.challenge.action;

/**
 * A rule behind an action's state, as {@code GET} of an action lists it ({@code rules}).
 *
 * @param ruleId the rule's id in rules-service, or {@link Action#FALLBACK_RULE_ID} for the fallback
 * @param name the rule's name
 * @param description the rule's description, or null
 */
public record ActionRule(String ruleId, String name, String description) {}
