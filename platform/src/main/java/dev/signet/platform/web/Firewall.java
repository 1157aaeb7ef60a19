package dev.signet.platform.web;

import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * The strict exchange firewall in front of every route: a path with {@code ;}, an encoded {@code
 * /}, {@code \}, {@code %} or {@code .}, a NUL, CR or LF, {@code //}, {@code /./} or {@code /../},
 * or any other non-normalised spelling is refused with 400 before security or routing look at it.
 * Such spellings are how a matcher on one form of the path and a router on another disagree.
 */
public final class Firewall {

  /** The answer to every refused spelling. */
  public static final HttpError REJECTED =
      HttpError.badRequest(
          "The request was rejected: its path is not normalised or holds a forbidden character.");

  private Firewall() {}

  /** Spring Security's strict firewall with its defaults (which forbid all of the above). */
  public static ServerWebExchangeFirewall strict() {
    return new StrictServerWebExchangeFirewall();
  }

  /** Answers a refused exchange with the service's own 400 body. */
  public static ServerExchangeRejectedHandler rejectedHandler(ErrorResponder errors) {
    return (exchange, rejected) -> errors.write(exchange, REJECTED);
  }
}
