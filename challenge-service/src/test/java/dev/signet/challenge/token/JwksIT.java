package dev.signet.challenge.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

class JwksIT extends TokenContextSupport {

  @Test
  void publishesThePublicKeyWithoutAuthenticationAndCacheable() {
    Reply reply = get("/.well-known/jwks.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.response().headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(reply.response().headers().firstValue("Cache-Control"))
        .hasValueSatisfying(cache -> assertThat(cache).contains("max-age=300").contains("public"));
    assertThat(reply.body().get("keys")).hasSize(1);
    var key = reply.body().get("keys").get(0);
    assertThat(key.get("kid").asString()).isEqualTo("t1");
    assertThat(key.get("alg").asString()).isEqualTo("ES256");
    assertThat(key.get("use").asString()).isEqualTo("sig");
    assertThat(key.get("kty").asString()).isEqualTo("EC");
    assertThat(key.get("crv").asString()).isEqualTo("P-256");
    assertThat(key.get("x").asString()).isEqualTo(SIGNING_KEY.getX().toString());
    assertThat(key.has("d")).isFalse();
  }

  @Test
  void publishesTheSameKeysUnderTheTenantPath() {
    Reply root = get("/.well-known/jwks.json");
    Reply tenant = get("/v1/client/public/tenant-1/.well-known/jwks");

    assertThat(tenant.status()).isEqualTo(200);
    assertThat(tenant.body()).isEqualTo(root.body());
    assertThat(tenant.response().headers().firstValue("Cache-Control")).isPresent();
  }

  @Test
  void refusesATenantIdThatIsNotUrlSafe() {
    Reply reply = get("/v1/client/public/a%20b/.well-known/jwks");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().get("error").asString()).isEqualTo("not_found");
  }

  @Test
  void anIssuedTokenVerifiesAgainstThePublishedKeysAlone() throws Exception {
    String token =
        tokens.issue(
            TokenKind.SUCCESS, new TokenClaims("user-1", "signIn", "idem-1", "", "tenant-1"));
    JWKSet published = JWKSet.parse(get("/.well-known/jwks.json").response().body());

    SignedJWT jwt = SignedJWT.parse(token);
    ECKey key = (ECKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());

    assertThat(key.isPrivate()).isFalse();
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
  }
}
