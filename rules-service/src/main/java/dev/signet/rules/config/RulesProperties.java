package dev.signet.rules.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of rules-service ({@code signet.rules.*}).
 *
 * @param managementSecret secret of the management API ({@code SIGNET_MANAGEMENT_SECRET}), sent as
 *     a Bearer token or as the Basic user name
 */
@ConfigurationProperties("signet.rules")
public record RulesProperties(String managementSecret) {}
