package dev.signet.platform.web;

import dev.signet.platform.logging.LogText;
import dev.signet.platform.warmup.WarmUp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per HTTP request: method, path (as sent, control characters escaped), status and
 * duration with the request id and the {@link CorrelationId}, which is resolved here (before the
 * security chain, so refused requests carry it too) and echoed in the response. Never bodies or
 * query strings, which can hold phone numbers and codes; never the actuator's answered probes and
 * scrapes, which would drown the rest (a refused actuator request is logged like any other). The
 * service's own {@link WarmUp} requests are logged at DEBUG.
 */
public final class RequestLogFilter implements WebFilter {

  private static final Logger log = LoggerFactory.getLogger("signet.request");
  private static final String LINE =
      "request id={} correlationId={} method={} path={} status={} durationMs={}";

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long started = System.nanoTime();
    String correlationId = CorrelationId.of(exchange);
    exchange.getResponse().getHeaders().set(CorrelationId.HEADER, correlationId);
    return chain
        .filter(exchange)
        .doFinally(
            signal -> {
              var request = exchange.getRequest();
              String path = request.getPath().value();
              var status = exchange.getResponse().getStatusCode();
              if (path.startsWith("/actuator/") && status != null && status.is2xxSuccessful()) {
                return;
              }
              boolean warmUp = WarmUp.isOwn(request.getHeaders().getFirst(WarmUp.HEADER));
              if (warmUp && !log.isDebugEnabled()) {
                return;
              }
              Object[] fields = {
                request.getId(),
                correlationId,
                request.getMethod(),
                LogText.escape(path),
                status == null ? 0 : status.value(),
                (System.nanoTime() - started) / 1_000_000
              };
              if (warmUp) {
                log.debug(LINE, fields);
              } else {
                log.info(LINE, fields);
              }
            });
  }
}
