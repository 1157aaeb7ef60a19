package dev.signet.audit.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlTest {

  @Test
  void acceptsAnHttpsUrlWithPathAndQuery() {
    WebhookUrl url = WebhookUrl.parse("https://Hooks.Example.com/signet/in?x=1", false);
    assertThat(url.host()).isEqualTo("hooks.example.com");
    assertThat(url.port()).isEqualTo(443);
    assertThat(url.literalAddress()).isFalse();
  }

  @Test
  void plainHttpOnlyWithTheDevelopmentOverride() {
    assertThatThrownBy(() -> WebhookUrl.parse("http://127.0.0.1:9000/hook", false))
        .hasMessage("url must be an https URL.");
    WebhookUrl url = WebhookUrl.parse("http://127.0.0.1:9000/hook", true);
    assertThat(url.literalAddress()).isTrue();
    assertThat(url.port()).isEqualTo(9000);
    assertThat(WebhookUrl.parse("https://[::1]/x", false).host()).isEqualTo("::1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "hooks.example.com/in",
        "ftp://hooks.example.com/in",
        "file:///etc/passwd",
        "gopher://hooks.example.com/",
        "javascript:alert(1)",
        "https:///in",
        "https://user:pw@hooks.example.com/in",
        "https://hooks.example.com/in#frag",
        "https://hooks.example.com/ in",
        "https://hooks.example.com\\@evil.example/",
        "https://hooks.exa_mple.com/",
        "https://hooks.example.com:99999/"
      })
  void refusesWhatIsNotAPlainHttpsUrl(String raw) {
    assertThatThrownBy(() -> WebhookUrl.parse(raw, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesOverlongUrls() {
    String raw = "https://hooks.example.com/" + "a".repeat(WebhookUrl.MAX_LENGTH);
    assertThatThrownBy(() -> WebhookUrl.parse(raw, false)).hasMessageContaining("at most 2048");
  }
}
