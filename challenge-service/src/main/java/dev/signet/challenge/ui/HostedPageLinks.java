package dev.signet.challenge.ui;

import dev.signet.challenge.action.ActionState;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The {@code url} track returns: the hosted page on challenge-service's own origin with the track
 * token (never a code), for an action the page can complete: a {@code CHALLENGE_REQUIRED} action of
 * an enrolled user, or an allowed action whose token may add ({@code add:authenticators}) or change
 * ({@code update:authenticators}) a number. Otherwise {@code null}, as the page would refuse it.
 */
@Component
public class HostedPageLinks {

  private final UiProperties properties;

  HostedPageLinks(UiProperties properties) {
    this.properties = properties;
  }

  /**
   * The page URL, or null.
   *
   * @param requestUri the track request's URI, whose scheme and host are used when no {@code
   *     signet.challenge.ui.base-url} is set
   */
  public String url(
      ActionState state, boolean isEnrolled, String scope, String token, URI requestUri) {
    Set<String> scopes = scope == null || scope.isBlank() ? Set.of() : Set.of(scope.split(" +"));
    String mode = HostedPageController.mode(state, isEnrolled, scopes);
    if (mode.startsWith("!")) {
      return null;
    }
    String base = properties.baseUrl();
    if (base == null) {
      base =
          requestUri.getScheme()
              + "://"
              + requestUri.getHost()
              + (requestUri.getPort() == -1 ? "" : ":" + requestUri.getPort());
    }
    return base
        + UiSecurityConfiguration.PAGE
        + "?token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }
}
