package dev.signet.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The filter in front of the dashboard, with a terminal handler that echoes the {@code
 * Authorization} header it receives: which requests get through, which get the management secret
 * added, and which headers every page carries.
 */
class DashboardSecurityFilterTest {

  private static final String SECRET = "mgmt-secret";
  private final SessionTokens tokens =
      new SessionTokens(SECRET, Duration.ofHours(1), Clock.systemUTC());
  private final SessionCookies cookies = new SessionCookies(false);
  private final WebTestClient client =
      WebTestClient.bindToWebHandler(
              exchange -> {
                String seen =
                    String.valueOf(
                        exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
                var response = exchange.getResponse();
                return response.writeWith(
                    Mono.just(
                        response
                            .bufferFactory()
                            .wrap(("reached " + seen).getBytes(StandardCharsets.UTF_8))));
              })
          .webFilter(
              new DashboardSecurityFilter(
                  tokens,
                  cookies,
                  new DashboardProperties(
                      SECRET,
                      "api",
                      URI.create("http://127.0.0.1:1"),
                      Duration.ofHours(1),
                      false,
                      Duration.ofSeconds(1))))
          .build();

  @Test
  void pagesCarryAStrictContentSecurityPolicy() {
    for (String path : new String[] {"/", "/dashboard/", "/dashboard/js/app.js"}) {
      client
          .get()
          .uri(path)
          .exchange()
          .expectHeader()
          .valueEquals("Content-Security-Policy", DashboardSecurityFilter.CONTENT_SECURITY_POLICY)
          .expectHeader()
          .valueEquals("X-Frame-Options", "DENY")
          .expectHeader()
          .valueEquals("X-Content-Type-Options", "nosniff");
    }
    assertThat(DashboardSecurityFilter.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "*");
  }

  @Test
  void dashboardCallsNeedTheHeaderAndAValidSession() {
    client.get().uri("/dashboard/api/session").exchange().expectStatus().isForbidden();
    client
        .get()
        .uri("/dashboard/api/session")
        .header("X-Signet-Dashboard", "1")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("unauthorized");
    String forged = new SessionTokens("guess", Duration.ofHours(1), Clock.systemUTC()).issue("x");
    client
        .get()
        .uri("/dashboard/api/session")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), forged)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    client
        .get()
        .uri("/dashboard/api/session")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), tokens.issue("Ada"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Cache-Control", "no-store");
  }

  @Test
  void signInNeedsTheHeaderButNoSession() {
    client.post().uri("/dashboard/api/login").exchange().expectStatus().isForbidden();
    client
        .post()
        .uri("/dashboard/api/login")
        .header("X-Signet-Dashboard", "1")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void aSignedInDashboardReadsTheQueryApiWithTheManagementSecret() {
    String session = tokens.issue("Ada");
    client
        .get()
        .uri("/v1/audit/actions")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), session)
        .exchange()
        .expectBody(String.class)
        .isEqualTo("reached Bearer " + SECRET);
  }

  @Test
  void theQueryApiGetsNoSecretWithoutSessionHeaderOrForWrites() {
    String session = tokens.issue("Ada");
    client
        .get()
        .uri("/v1/audit/actions")
        .cookie(cookies.name(), session)
        .exchange()
        .expectBody(String.class)
        .isEqualTo("reached null");
    client
        .get()
        .uri("/v1/audit/actions")
        .header("X-Signet-Dashboard", "1")
        .exchange()
        .expectBody(String.class)
        .isEqualTo("reached null");
    client
        .post()
        .uri("/v1/audit/actions")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), session)
        .exchange()
        .expectBody(String.class)
        .isEqualTo("reached null");
    client
        .get()
        .uri("/v1/audit/actions")
        .header("X-Signet-Dashboard", "1")
        .header(HttpHeaders.AUTHORIZATION, "Bearer wrong")
        .cookie(cookies.name(), session)
        .exchange()
        .expectBody(String.class)
        .isEqualTo("reached Bearer wrong");
    client
        .get()
        .uri("/v1/other")
        .header("X-Signet-Dashboard", "1")
        .cookie(cookies.name(), session)
        .exchange()
        .expectBody(String.class)
        .isEqualTo("reached null");
  }
}
