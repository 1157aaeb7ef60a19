package dev.signet.audit.dashboard;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the operator dashboard ({@code signet.dashboard.*}).
 *
 * @param operators the operator accounts ({@code SIGNET_DASHBOARD_OPERATORS}): {@code
 *     name:{bcrypt}$2a$...} entries separated by commas or white space (see {@link
 *     OperatorAccounts})
 * @param apiSecret challenge-service's server API secret ({@code SIGNET_API_SECRET}), used only for
 *     the review decisions the dashboard sends
 * @param challengeManagementSecret challenge-service's management secret ({@code
 *     SIGNET_CHALLENGE_MANAGEMENT_SECRET}, by default {@code SIGNET_MANAGEMENT_SECRET}), used only
 *     to read and reset verification locks
 * @param challengeUrl base URL of challenge-service ({@code SIGNET_CHALLENGE_URL})
 * @param sessionTtl how long a sign-in lasts ({@code SIGNET_DASHBOARD_SESSION_TTL})
 * @param secureCookie whether the session cookie is marked {@code Secure} (sent over HTTPS only;
 *     {@code SIGNET_DASHBOARD_SECURE_COOKIE}); true whenever the dashboard is behind TLS
 * @param challengeTimeout how long a dashboard call waits for another service (challenge-service,
 *     rules-service, sms-dispatcher)
 * @param rulesUrl base URL of rules-service ({@code SIGNET_RULES_URL}), for the routing rules
 * @param rulesManagementSecret rules-service's management secret ({@code
 *     SIGNET_RULES_MANAGEMENT_SECRET}, by default {@code SIGNET_MANAGEMENT_SECRET}), used only to
 *     read and replace the routing rules
 * @param dispatcherUrl base URL of an sms-dispatcher instance ({@code SIGNET_DISPATCHER_URL}),
 *     whose metrics tell each route's circuit state
 * @param dispatcherManagementSecret its management secret ({@code
 *     SIGNET_DISPATCHER_MANAGEMENT_SECRET}, by default {@code SIGNET_MANAGEMENT_SECRET}), used only
 *     to read its metrics
 * @param oidc sign-in through an OpenID Connect provider; off while its issuer URI is empty
 */
@ConfigurationProperties("signet.dashboard")
record DashboardProperties(
    String operators,
    String apiSecret,
    String challengeManagementSecret,
    @DefaultValue("http://127.0.0.1:8080") URI challengeUrl,
    @DefaultValue("8h") Duration sessionTtl,
    @DefaultValue("false") boolean secureCookie,
    @DefaultValue("5s") Duration challengeTimeout,
    @DefaultValue Oidc oidc,
    @DefaultValue("http://127.0.0.1:8081") URI rulesUrl,
    String rulesManagementSecret,
    @DefaultValue("http://127.0.0.1:8082") URI dispatcherUrl,
    String dispatcherManagementSecret) {

  /**
   * OpenID Connect sign-in ({@code signet.dashboard.oidc.*}).
   *
   * @param issuerUri the provider's issuer ({@code SIGNET_DASHBOARD_OIDC_ISSUER_URI}); empty: off
   * @param clientId the dashboard's client id at the provider
   * @param clientSecret its client secret
   * @param usernameClaim the ID token claim that names the operator (recorded as reviewer)
   * @param allowedUsers the operators (values of the user name claim) who may sign in
   * @param requiredClaim a claim that must hold {@code requiredValue} (e.g. {@code groups})
   * @param requiredValue the value (or one of the list values) {@code requiredClaim} must hold
   */
  record Oidc(
      String issuerUri,
      String clientId,
      String clientSecret,
      @DefaultValue("preferred_username") String usernameClaim,
      @DefaultValue List<String> allowedUsers,
      String requiredClaim,
      String requiredValue) {

    boolean enabled() {
      return issuerUri != null && !issuerUri.isBlank();
    }
  }
}
