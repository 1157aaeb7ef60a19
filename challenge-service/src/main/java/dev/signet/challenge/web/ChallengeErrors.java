package dev.signet.challenge.web;

import dev.signet.platform.web.ErrorBody;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * The error bodies of challenge-service's two surfaces (docs/api.md, errors): the server API's
 * {@code {"error","errorDescription"}} with a Basic challenge, and under {@code /v1/client/**} the
 * client API's {@code {"error","errorCode","errorDescription"}} with a Bearer challenge (the
 * browser SDK detects a failure by {@code error} and reads {@code errorCode}). The surface is
 * decided on the decoded path, the one the router and the security rules match, never on the raw
 * string.
 */
public final class ChallengeErrors implements ErrorResponder {

  /** The client API, matched like the security rules and the routes match it. */
  public static final PathPattern CLIENT_API =
      PathPatternParser.defaultInstance.parse("/v1/client/**");

  static final String BASIC_CHALLENGE = "Basic realm=\"signet\"";
  static final String BEARER_CHALLENGE = "Bearer realm=\"signet\", error=\"invalid_token\"";
  static final String NO_TOKEN =
      "The request needs a token: Authorization: Bearer <token from track or verify>.";

  /** The server API's session routes, whose errors repeat the code as {@code errorCode}. */
  public static final PathPattern SESSIONS =
      PathPatternParser.defaultInstance.parse("/v1/sessions/**");

  /** True when {@code exchange} is a client API request. */
  public static boolean isClientApi(ServerWebExchange exchange) {
    return CLIENT_API.matches(exchange.getRequest().getPath().pathWithinApplication());
  }

  @Override
  public Mono<Void> write(ServerWebExchange exchange, HttpError error) {
    boolean client = isClientApi(exchange);
    HttpError written = error;
    if (error.status() == HttpStatus.UNAUTHORIZED) {
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.WWW_AUTHENTICATE, client ? BEARER_CHALLENGE : BASIC_CHALLENGE);
      if (!client) {
        // The official server SDKs show this exact text for any rejected API secret.
        written = HttpError.unauthorized(ApiError.UNAUTHORIZED_DESCRIPTION);
      }
    }
    boolean withErrorCode =
        client || SESSIONS.matches(exchange.getRequest().getPath().pathWithinApplication());
    return ErrorBody.write(exchange.getResponse(), written, withErrorCode);
  }

  @Override
  public String unauthorizedDescription(ServerWebExchange exchange) {
    return isClientApi(exchange) ? NO_TOKEN : ApiError.UNAUTHORIZED_DESCRIPTION;
  }
}
