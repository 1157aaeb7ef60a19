package dev.signet.challenge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientScopesTest {

  @Test
  void knownScopesAreGrantedAndUnknownOnesIgnored() {
    assertThat(ClientScopes.parse("  add:authenticators\tadmin:all  update:authenticators "))
        .containsExactlyInAnyOrder("add:authenticators", "update:authenticators");
    assertThat(ClientScopes.parse("read:authenticators ADD:AUTHENTICATORS add:authenticators2"))
        .isEmpty();
    assertThat(ClientScopes.parse("")).isEmpty();
    assertThat(ClientScopes.parse(null)).isEmpty();
  }

  @Test
  void allowedOriginsRefuseTheWildcardAndNonHttpOrigins() {
    assertThatThrownBy(() -> new ClientProperties(List.of("*"))).hasMessageContaining("not '*'");
    assertThatThrownBy(() -> new ClientProperties(List.of("app.example.com")))
        .hasMessageContaining("not an http(s) origin");
    assertThat(new ClientProperties(List.of(" https://a.example ", "")).allowedOrigins())
        .containsExactly("https://a.example");
    assertThat(new ClientProperties(null).allowedOrigins()).isEmpty();
  }
}
