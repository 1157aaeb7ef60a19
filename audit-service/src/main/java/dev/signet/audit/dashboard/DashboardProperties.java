package dev.signet.audit.dashboard;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the operator dashboard ({@code signet.dashboard.*}).
 *
 * @param managementSecret the secret an operator types to sign in ({@code
 *     SIGNET_MANAGEMENT_SECRET}); it also keys the session cookie's HMAC, so rotating it signs
 *     every operator out
 * @param apiSecret challenge-service's server API secret ({@code SIGNET_API_SECRET}), used only for
 *     the review decisions the dashboard sends
 * @param challengeUrl base URL of challenge-service ({@code SIGNET_CHALLENGE_URL})
 * @param sessionTtl how long a sign-in lasts ({@code SIGNET_DASHBOARD_SESSION_TTL})
 * @param secureCookie whether the session cookie is marked {@code Secure} (sent over HTTPS only;
 *     {@code SIGNET_DASHBOARD_SECURE_COOKIE}); true whenever the dashboard is behind TLS
 * @param challengeTimeout how long a review decision waits for challenge-service
 */
@ConfigurationProperties("signet.dashboard")
record DashboardProperties(
    String managementSecret,
    String apiSecret,
    @DefaultValue("http://127.0.0.1:8080") URI challengeUrl,
    @DefaultValue("8h") Duration sessionTtl,
    @DefaultValue("false") boolean secureCookie,
    @DefaultValue("5s") Duration challengeTimeout) {}
