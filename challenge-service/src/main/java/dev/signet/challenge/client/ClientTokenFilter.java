package dev.signet.challenge.client;

import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.token.TokenService;
import dev.signet.challenge.token.TokenVerification;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ErrorBodies;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Bearer authentication of the client API. The token is verified before anything else of the
 * request is read (ES256 only, a configured {@code kid}, {@code exp}, {@code aud}, the required
 * claims; see {@link TokenService#verify}) and must name this deployment's tenant. An expired token
 * is told apart ({@code expired_token}) because the browser SDK reacts to it; every other rejection
 * is {@code unauthorized}. The public JWKS under {@code /v1/client/public/} needs no token.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ClientTokenFilter implements WebFilter {

  private static final String PUBLIC_PREFIX = "/v1/client/public/";

  private final TokenService tokens;
  private final String tenantId;

  ClientTokenFilter(TokenService tokens, ChallengeProperties properties) {
    this.tokens = tokens;
    this.tenantId = properties.tenantId();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (!path.startsWith(ErrorBodies.CLIENT_PREFIX) || path.startsWith(PUBLIC_PREFIX)) {
      return chain.filter(exchange);
    }
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return ErrorBodies.write(
          exchange,
          ApiError.UNAUTHORIZED,
          "The request needs a token: Authorization: Bearer <token from track or verify>.");
    }
    TokenVerification verification = tokens.verify(header.substring(7).trim());
    if (verification instanceof TokenVerification.Rejected rejected) {
      ApiError error =
          rejected.reason() == TokenVerification.Reason.EXPIRED
              ? ApiError.EXPIRED_TOKEN
              : ApiError.UNAUTHORIZED;
      return ErrorBodies.write(exchange, error, rejected.reason().description());
    }
    TokenVerification.Valid valid = (TokenVerification.Valid) verification;
    if (!tenantId.equals(valid.claims().tenantId())) {
      return ErrorBodies.write(
          exchange, ApiError.UNAUTHORIZED, "The token was issued for another tenant.");
    }
    exchange
        .getAttributes()
        .put(
            ClientToken.ATTRIBUTE,
            new ClientToken(
                valid.claims(), valid.tokenId(), ClientScopes.parse(valid.claims().scope())));
    return chain.filter(exchange);
  }
}
