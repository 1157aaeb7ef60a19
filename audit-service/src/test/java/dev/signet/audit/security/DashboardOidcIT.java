package dev.signet.audit.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.oidcprovider.OidcProvider;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OIDC sign-in to the dashboard against a real OpenID Connect provider: Spring Authorization Server
 * started in this JVM on a free port, with a registered client and two users. An HTTP client that
 * follows redirects and keeps cookies walks the authorization code flow like a browser, logs in on
 * the provider's form and ends with a dashboard session naming the provider's user; a user the
 * dashboard does not allow ends without one.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = "spring.main.web-application-type=reactive")
class DashboardOidcIT {

  static final int AUDIT_PORT = freePort();
  static final int PROVIDER_PORT = freePort();
  static final String ISSUER = "http://localhost:" + PROVIDER_PORT;
  static final ConfigurableApplicationContext PROVIDER = startProvider();
  static final ObjectMapper JSON = new ObjectMapper();

  static ConfigurableApplicationContext startProvider() {
    String client = "spring.security.oauth2.authorizationserver.client.dashboard.registration.";
    return new SpringApplicationBuilder(OidcProvider.class)
        .web(WebApplicationType.SERVLET)
        // As arguments: read before any config file, so audit-service's application.yml stays out.
        .run(
            "--spring.main.web-application-type=servlet",
            "--spring.config.name=oidc-provider-none",
            "--server.port=" + PROVIDER_PORT,
            "--spring.application.name=oidc-provider",
            "--spring.security.oauth2.authorizationserver.issuer=" + ISSUER,
            "--" + client + "client-id=signet-dashboard",
            "--" + client + "client-secret={noop}provider-client-secret",
            "--" + client + "client-authentication-methods=client_secret_basic",
            "--" + client + "authorization-grant-types=authorization_code",
            "--"
                + client
                + "redirect-uris=http://127.0.0.1:"
                + AUDIT_PORT
                + "/login/oauth2/code/oidc",
            "--" + client + "scopes=openid,profile,email",
            "--management.endpoint.health.validate-group-membership=false",
            "--management.endpoints.access.default=none");
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    AuditStack.properties(registry, "signet-audit-oidc-it");
    registry.add("server.port", () -> AUDIT_PORT);
    registry.add("signet.dashboard.oidc.issuer-uri", () -> ISSUER);
    registry.add("signet.dashboard.oidc.client-id", () -> "signet-dashboard");
    registry.add("signet.dashboard.oidc.client-secret", () -> "provider-client-secret");
    // Spring Authorization Server names the user in "sub".
    registry.add("signet.dashboard.oidc.username-claim", () -> "sub");
    registry.add("signet.dashboard.oidc.allowed-users", () -> "olivia");
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.close();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient browser =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.ALWAYS)
          .cookieHandler(cookies)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Starts at the dashboard's OIDC link, logs in on the provider's form, follows it home. */
  private HttpResponse<String> signInAtProvider(String username, String password) throws Exception {
    HttpResponse<String> form =
        get("http://127.0.0.1:" + AUDIT_PORT + "/oauth2/authorization/oidc", "Accept", "text/html");
    assertThat(form.uri().toString()).startsWith(ISSUER + "/login");
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.body());
    assertThat(csrf.find()).as(form.body()).isTrue();
    String body =
        "username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
    return browser.send(
        HttpRequest.newBuilder(URI.create(ISSUER + "/login"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String dashboardCookie() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("signet-dashboard"))
        .map(c -> c.getValue())
        .findFirst()
        .orElse(null);
  }

  @Test
  void anAllowedUserOfTheProviderGetsADashboardSessionInTheirName() throws Exception {
    HttpResponse<String> home = signInAtProvider("olivia", "provider-password");

    assertThat(home.uri().toString()).isEqualTo("http://127.0.0.1:" + AUDIT_PORT + "/dashboard/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(dashboardCookie()).isNotNull();
    HttpResponse<String> session =
        get("http://127.0.0.1:" + AUDIT_PORT + "/dashboard/api/session", "X-Signet-Dashboard", "1");
    assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    assertThat(JSON.readTree(session.body()).path("operator").asText()).isEqualTo("olivia");
    assertThat(JSON.readTree(session.body()).path("method").asText()).isEqualTo("oidc");
    assertThat(
            get(
                    "http://127.0.0.1:" + AUDIT_PORT + "/dashboard/api/login",
                    "X-Signet-Dashboard",
                    "1")
                .body())
        .contains("\"oidc\":true");
  }

  @Test
  void aUserOfTheProviderWhoIsNoOperatorGetsNoSession() throws Exception {
    HttpResponse<String> page = signInAtProvider("mallory", "provider-password");

    assertThat(page.uri().toString())
        .isEqualTo("http://127.0.0.1:" + AUDIT_PORT + "/dashboard/?signin=refused");
    assertThat(dashboardCookie()).isNull();
    assertThat(
            get(
                    "http://127.0.0.1:" + AUDIT_PORT + "/dashboard/api/session",
                    "X-Signet-Dashboard",
                    "1")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void aWrongPasswordAtTheProviderGivesNoSession() throws Exception {
    HttpResponse<String> page = signInAtProvider("olivia", "wrong");

    assertThat(page.uri().toString()).startsWith(ISSUER + "/login");
    assertThat(dashboardCookie()).isNull();
  }
}
