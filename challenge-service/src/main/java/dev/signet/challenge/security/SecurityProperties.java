package dev.signet.challenge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shared secrets under {@code signet.challenge} that the security chain checks. Neither has a
 * default: the service refuses to start without them, so it never starts open.
 *
 * @param apiSecret the server API secret ({@code SIGNET_API_SECRET}), sent as the Basic user name
 * @param managementSecret the management secret ({@code SIGNET_MANAGEMENT_SECRET}) for the
 *     actuator, as a Bearer value or the Basic user name
 */
@ConfigurationProperties("signet.challenge")
record SecurityProperties(String apiSecret, String managementSecret) {}
