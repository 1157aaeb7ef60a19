package dev.signet.challenge.ui;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the hosted (pre-built) page under {@code signet.challenge.ui} (docs/hosted-ui.md).
 *
 * @param baseUrl the public base URL browsers reach challenge-service at ({@code
 *     SIGNET_UI_BASE_URL}, e.g. {@code https://auth.example.com}); track's {@code url} is {@code
 *     <baseUrl>/ui?token=...}. Blank: the scheme and host the track request was sent to.
 * @param frameOrigins origins of the apps that may show the page in the SDK's popup (an iframe:
 *     {@code frame-ancestors}) or open it in a window, and so receive its messages with the token
 *     ({@code SIGNET_UI_FRAME_ORIGINS}). Empty (the default): no site may frame the page and it
 *     posts to no window, so only redirect mode works.
 * @param redirectOrigins origins a track's {@code redirectUrl} may point to ({@code
 *     SIGNET_UI_REDIRECT_ORIGINS}). Empty (the default): track refuses every {@code redirectUrl}.
 * @param branding the app's name, colour and logo on the page
 */
@ConfigurationProperties("signet.challenge.ui")
public record UiProperties(
    String baseUrl, List<String> frameOrigins, List<String> redirectOrigins, Branding branding) {

  private static final Pattern BASE_URL =
      Pattern.compile("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$");

  public UiProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.trim().replaceAll("/+$", "");
    if (baseUrl != null && !BASE_URL.matcher(baseUrl).matches()) {
      throw new IllegalArgumentException(
          "signet.challenge.ui.base-url must be scheme://host[:port] without a path, not '"
              + baseUrl
              + "'");
    }
    frameOrigins = clean(frameOrigins);
    redirectOrigins = clean(redirectOrigins);
    frameOrigins.forEach(o -> OriginPattern.parse(o, "signet.challenge.ui.frame-origins"));
    redirectOrigins.forEach(o -> OriginPattern.parse(o, "signet.challenge.ui.redirect-origins"));
    branding = branding == null ? new Branding(null, null, null) : branding;
  }

  List<OriginPattern> framePatterns() {
    return frameOrigins.stream()
        .map(o -> OriginPattern.parse(o, "signet.challenge.ui.frame-origins"))
        .toList();
  }

  List<OriginPattern> redirectPatterns() {
    return redirectOrigins.stream()
        .map(o -> OriginPattern.parse(o, "signet.challenge.ui.redirect-origins"))
        .toList();
  }

  private static List<String> clean(List<String> entries) {
    return entries == null
        ? List.of()
        : entries.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
  }

  /**
   * The app's look on the page.
   *
   * @param appName shown in the page's heading and title (default {@code Signet}), at most 64
   *     visible characters
   * @param primaryColor buttons, links and the focus ring, {@code #rrggbb} (default {@code
   *     #1d4ed8}); it must contrast at least 4.5:1 with white, the page's background and the
   *     buttons' text (WCAG AA), else the service refuses to start
   * @param logoFile a PNG, JPEG, WebP or SVG file of at most 256 KB shown above the heading
   *     (default none), served from the page's own origin at {@code /ui/brand/logo}
   */
  public record Branding(String appName, String primaryColor, String logoFile) {

    private static final Pattern COLOR = Pattern.compile("^#[0-9a-fA-F]{6}$");

    /** WCAG AA for normal text. */
    static final double MIN_CONTRAST = 4.5;

    public Branding {
      appName = appName == null || appName.isBlank() ? "Signet" : appName.trim();
      if (appName.length() > 64 || appName.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "signet.challenge.ui.branding.app-name must be at most 64 visible characters");
      }
      primaryColor =
          primaryColor == null || primaryColor.isBlank()
              ? "#1d4ed8"
              : primaryColor.trim().toLowerCase(Locale.ROOT);
      if (!COLOR.matcher(primaryColor).matches()) {
        throw new IllegalArgumentException(
            "signet.challenge.ui.branding.primary-color must be #rrggbb, not '"
                + primaryColor
                + "'");
      }
      double contrast = contrastWithWhite(primaryColor);
      if (contrast < MIN_CONTRAST) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "signet.challenge.ui.branding.primary-color %s contrasts %.2f:1 with white; the"
                    + " page needs at least %.1f:1 (WCAG AA) for its buttons and links",
                primaryColor,
                contrast,
                MIN_CONTRAST));
      }
      logoFile = logoFile == null || logoFile.isBlank() ? null : logoFile.trim();
    }

    /** WCAG 2 contrast ratio of {@code #rrggbb} against white. */
    static double contrastWithWhite(String color) {
      double l = luminance(color);
      return 1.05 / (l + 0.05);
    }

    private static double luminance(String color) {
      double r = channel(Integer.parseInt(color.substring(1, 3), 16));
      double g = channel(Integer.parseInt(color.substring(3, 5), 16));
      double b = channel(Integer.parseInt(color.substring(5, 7), 16));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }

    private static double channel(int value) {
      double c = value / 255.0;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
  }
}
