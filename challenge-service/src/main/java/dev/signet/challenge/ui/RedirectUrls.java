package dev.signet.challenge.ui;

import dev.signet.challenge.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Checks a track's {@code redirectUrl}: the hosted page sends the browser there with a token, so an
 * unchecked URL would be an open redirect that hands tokens to whoever wrote it. Only absolute
 * http(s) URLs whose origin is one of {@code signet.challenge.ui.redirect-origins} pass; no user
 * info ({@code https://app.example@evil.test}), no backslash, whitespace or control character
 * (which browsers read differently from Java), no fragment. The URL is rebuilt from its parsed
 * parts, so what the page navigates to is exactly what was checked.
 */
@Component
public class RedirectUrls {

  /** Longest accepted redirect URL. */
  public static final int MAX_LENGTH = 2048;

  private final List<OriginPattern> allowed;

  RedirectUrls(UiProperties properties) {
    this.allowed = properties.redirectPatterns();
  }

  /** The checked, normalised URL; {@code invalid_request} for anything else. */
  public String check(String url) {
    if (url == null) {
      return null;
    }
    if (url.length() > MAX_LENGTH || !printableAscii(url)) {
      throw refused();
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused();
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!("https".equals(scheme) || "http".equals(scheme))
        || uri.isOpaque()
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw refused();
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (allowed.stream().noneMatch(p -> p.matches(scheme, host, uri.getPort()))) {
      throw ApiException.invalid(
          "redirectUrl must be on an origin listed in signet.challenge.ui.redirect-origins.");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return scheme
        + "://"
        + host
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
        + path
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static boolean printableAscii(String url) {
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static ApiException refused() {
    return ApiException.invalid(
        "redirectUrl must be an absolute http(s) URL without user info or fragment.");
  }
}
