package dev.signet.challenge.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.web.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectUrlsTest {

  private final RedirectUrls urls =
      new RedirectUrls(
          new UiProperties(
              null,
              List.of(),
              List.of("https://app.example.com", "https://*.shop.example", "http://localhost:[*]"),
              null));

  @Test
  void acceptsUrlsOnTheAllowedOriginsAndRebuildsThem() {
    assertThat(urls.check("https://app.example.com/done?order=42"))
        .isEqualTo("https://app.example.com/done?order=42");
    assertThat(urls.check("HTTPS://APP.example.com:443/x"))
        .isEqualTo("https://app.example.com:443/x");
    assertThat(urls.check("https://eu.shop.example/back"))
        .isEqualTo("https://eu.shop.example/back");
    assertThat(urls.check("http://localhost:5173")).isEqualTo("http://localhost:5173/");
    assertThat(urls.check(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//evil.example/done",
        "https://app.example.com.evil.example/done",
        "https://evilapp.example.com/done",
        "javascript:alert(1)",
        "JaVaScRiPt://app.example.com/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://app.example.com@evil.example/done",
        "https://evil.example@app.example.com/done",
        "https://evil.example\\@app.example.com/done",
        "https://app.example.com\\.evil.example/done",
        "https://app.example.com:8443/done",
        "http://app.example.com/done",
        "https://shop.example/done",
        "https://app.example.com/done#token",
        "https://app.example.com/ done",
        "https://app.example.com/\tdone",
        "https:app.example.com/done",
        "https:/app.example.com/done",
        "/relative/path",
        "https://аpp.example.com/done",
        "ftp://app.example.com/done"
      })
  void refusesEverythingElse(String url) {
    assertThatThrownBy(() -> urls.check(url)).isInstanceOf(ApiException.class);
  }

  @Test
  void refusesEveryUrlWhenNoOriginIsConfigured() {
    RedirectUrls none = new RedirectUrls(new UiProperties(null, null, null, null));
    assertThatThrownBy(() -> none.check("https://app.example.com/done"))
        .isInstanceOf(ApiException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*",
        "https://*",
        "https://app.example.com/path",
        "https://app.example.com; script-src *",
        "https://*.com",
        "app.example.com",
        "https://app.example.com:99999"
      })
  void refusesOriginSettingsThatWidenOrInject(String entry) {
    assertThatThrownBy(() -> new UiProperties(null, List.of(entry), List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framePolicyListsOnlyTheConfiguredOrigins() {
    UiProperties ui =
        new UiProperties(
            null, List.of("https://app.example.com", "http://127.0.0.1:[*]"), List.of(), null);
    assertThat(UiSecurityConfiguration.contentSecurityPolicy(ui.framePatterns()))
        .endsWith("frame-ancestors https://app.example.com http://127.0.0.1:*")
        .doesNotContain("unsafe-inline");
    assertThat(UiSecurityConfiguration.contentSecurityPolicy(List.of()))
        .endsWith("frame-ancestors 'none'");
  }

  @Test
  void refusesABrandColourWithoutEnoughContrast() {
    assertThatThrownBy(() -> new UiProperties.Branding(null, "#ffcc00", null))
        .hasMessageContaining("4.5:1");
    assertThat(new UiProperties.Branding(null, "#1d4ed8", null).primaryColor())
        .isEqualTo("#1d4ed8");
  }

  @Test
  void theDataBlockCannotBeClosedFromAValue() {
    String json =
        HostedPage.json(java.util.Map.of("appName", "</script><script>alert(1)</script>&"));
    assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&");
  }
}
