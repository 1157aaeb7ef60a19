package dev.signet.challenge.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenClaims;
import dev.signet.challenge.token.TokenKind;
import dev.signet.challenge.token.TokenProperties;
import dev.signet.challenge.token.TokenService;
import dev.signet.testsupport.ServiceHttp.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hosted page behind track's {@code url}: its chain (track token in the query, strict CSP with
 * the configured frame-ancestors, no X-Frame-Options, no Referer), once per action attempt, and the
 * redirectUrl check at track.
 */
class HostedPageIT extends ActionItSupport {

  private static final AtomicInteger PHONES = new AtomicInteger(7000);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Autowired TokenService tokens;
  @Autowired ChallengeProperties properties;
  @Autowired TokenProperties tokenProperties;

  @Test
  void trackReturnsThePageUrlWhichOpensOnceWithAStrictPolicy() throws Exception {
    String userId = enrolledUser();
    Reply tracked =
        call(
            "POST",
            "/v1/users/" + userId + "/actions/signIn",
            json(Map.of("redirectUrl", "https://app.example.com/back?x=1")));
    assertThat(tracked.status()).as(tracked.raw()).isEqualTo(200);
    String url = tracked.text("url");
    assertThat(url)
        .isEqualTo(
            "http://127.0.0.1:"
                + port
                + "/ui?token="
                + URLEncoder.encode(tracked.text("token"), StandardCharsets.UTF_8));

    HttpResponse<String> page = get(url, "text/html");
    assertThat(page.statusCode()).isEqualTo(200);
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains(
            "script-src 'self'", "default-src 'none'", "frame-ancestors https://app.example.com")
        .doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(page.body())
        .contains("\"mode\":\"challenge\"", "\"redirectUrl\":\"https://app.example.com/back?x=1\"")
        .doesNotContain(tracked.text("token"));

    HttpResponse<String> again = get(url, "text/html");
    assertThat(again.statusCode()).isEqualTo(410);
    assertThat(again.body()).contains("\"error\":\"link_used\"");

    // A second track of the same attempt (same idempotency key) gets a fresh token, whose link is
    // refused too: one open per action attempt, not per token.
    Reply retracked =
        call(
            "POST",
            "/v1/users/" + userId + "/actions/signIn",
            json(Map.of("idempotencyKey", tracked.text("idempotencyKey"))));
    assertThat(retracked.status()).as(retracked.raw()).isEqualTo(200);
    assertThat(retracked.text("url")).isNotEqualTo(url);
    assertThat(get(retracked.text("url"), "text/html").statusCode()).isEqualTo(410);
  }

  @Test
  void trackRefusesARedirectUrlOffTheAllowedOrigins() {
    String userId = newUserId();
    for (String url :
        new String[] {
          "https://app.example.com.evil.test/x",
          "https://app.example.com@evil.test/x",
          "//evil.test/x",
          "javascript:alert(1)",
          "https://evil.test/x"
        }) {
      Reply refused =
          call("POST", "/v1/users/" + userId + "/actions/signIn", json(Map.of("redirectUrl", url)));
      assertThat(refused.status()).as(url).isEqualTo(400);
      assertThat(refused.text("error")).isEqualTo("invalid_request");
    }
  }

  @Test
  void onlyATrackTokenOpensThePage() throws Exception {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/signIn", "{}");
    TokenClaims claims = claimsOf(userId, tracked);
    for (TokenKind kind : new TokenKind[] {TokenKind.ACCESS, TokenKind.SUCCESS}) {
      HttpResponse<String> refused =
          get(
              "http://127.0.0.1:" + port + "/ui?token=" + tokens.issue(kind, claims),
              "application/json");
      assertThat(refused.statusCode()).as(kind.name()).isEqualTo(401);
      assertThat(refused.body()).contains("\"error\":\"unauthorized\"");
    }
    HttpResponse<String> none = get("http://127.0.0.1:" + port + "/ui", "text/html");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"error\":\"link_invalid\"");
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ui?token=x"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isIn(401, 403);
    HttpResponse<String> script = get("http://127.0.0.1:" + port + "/ui/assets/ui.js", "*/*");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
  }

  @Test
  void anExpiredTrackTokenOpensNothingAndDoesNotUseTheAttempt() throws Exception {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/signIn", "{}");
    TokenClaims claims = claimsOf(userId, tracked);
    // The same signing key, issued an hour ago: past the track token's lifetime.
    String expired =
        new TokenService(
                tokenProperties,
                Clock.fixed(Instant.now().minus(1, ChronoUnit.HOURS), ZoneOffset.UTC),
                new SecureRandom(),
                new SimpleMeterRegistry())
            .issue(TokenKind.TRACK, claims);
    String link =
        "http://127.0.0.1:"
            + port
            + "/ui?token="
            + URLEncoder.encode(expired, StandardCharsets.UTF_8);

    HttpResponse<String> page = get(link, "text/html");
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body()).contains("\"error\":\"link_expired\"");
    HttpResponse<String> api = get(link, "application/json");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).contains("\"error\":\"unauthorized\"");

    // The refused link did not use the attempt: the attempt's live link still opens, once.
    assertThat(get(tracked.text("url"), "text/html").statusCode()).isEqualTo(200);
  }

  @Test
  void enrolmentNeedsTheScope() {
    String userId = newUserId();
    Reply without = call("POST", "/v1/users/" + userId + "/actions/signIn", "{}");
    assertThat(without.text("state")).isEqualTo("ALLOW");
    assertThat(without.body().has("url")).isFalse();
    Reply with =
        call(
            "POST",
            "/v1/users/" + userId + "/actions/signIn",
            json(Map.of("scope", "add:authenticators")));
    assertThat(with.text("url")).contains("/ui?token=");
  }

  @Test
  void theBrandingIsServedFromThePagesOwnOriginAndEscaped() throws Exception {
    String userId = enrolledUser();
    Reply tracked = call("POST", "/v1/users/" + userId + "/actions/signIn", "{}");
    HttpResponse<String> page = get(tracked.text("url"), "text/html");
    assertThat(page.body())
        .contains("<title>Acme &lt;Bank&gt; &amp; Co</title>")
        .contains("\"appName\":\"Acme \\u003cBank\\u003e \\u0026 Co\"")
        .contains("\"logo\":true")
        .doesNotContain("<Bank>");
    HttpResponse<String> css = get("http://127.0.0.1:" + port + "/ui/brand.css", "text/css");
    assertThat(css.body()).contains("--brand: #0b5d1e;");
    HttpResponse<String> logo = get("http://127.0.0.1:" + port + "/ui/brand/logo", "image/*");
    assertThat(logo.statusCode()).isEqualTo(200);
    assertThat(logo.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
    assertThat(logo.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
  }

  /** The claims of the track token of a tracked signIn of userId. */
  private TokenClaims claimsOf(String userId, Reply tracked) {
    return new TokenClaims(
        userId, "signIn", tracked.text("idempotencyKey"), "", properties.tenantId());
  }

  private static HttpResponse<String> get(String url, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(15))
            .header("Accept", accept)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String enrolledUser() {
    String userId = newUserId();
    Reply enrolled =
        call(
            "POST",
            "/v1/users/" + userId + "/authenticators",
            json(
                Map.of(
                    "verificationMethod",
                    "SMS",
                    "phoneNumber",
                    "+44770090" + String.format("%04d", PHONES.incrementAndGet()))));
    assertThat(enrolled.status()).as(enrolled.raw()).isEqualTo(200);
    return userId;
  }
}
