package dev.signet.platform.web;

import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.server.ServerWebExchange;

/**
 * The id that ties one request to the events it emits, its log line and the caller's own logs. A
 * caller may send {@code X-Correlation-Id} (1-128 URL-safe characters); anything else, or none,
 * gets a random UUID. {@link RequestLogFilter} resolves it once per request, stores it as the
 * exchange attribute {@link #ATTRIBUTE} (bind it with
 * {@code @RequestAttribute(CorrelationId.ATTRIBUTE)}), echoes it in the response header and logs
 * it.
 */
public final class CorrelationId {

  /** The request and response header. */
  public static final String HEADER = "X-Correlation-Id";

  /** The exchange attribute holding the resolved id. */
  public static final String ATTRIBUTE = "dev.signet.correlationId";

  private static final Pattern ACCEPTED = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");

  private CorrelationId() {}

  /** The caller's id when it is acceptable, a fresh random one otherwise. */
  public static String resolve(String header) {
    return header != null && ACCEPTED.matcher(header).matches()
        ? header
        : UUID.randomUUID().toString();
  }

  /** The id resolved for this exchange (resolving it now if no filter has). */
  public static String of(ServerWebExchange exchange) {
    String id = exchange.getAttribute(ATTRIBUTE);
    if (id == null) {
      id = resolve(exchange.getRequest().getHeaders().getFirst(HEADER));
      exchange.getAttributes().put(ATTRIBUTE, id);
    }
    return id;
  }
}
