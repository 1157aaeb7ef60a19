package dev.signet.e2e.security;

import java.util.List;

/**
 * One route a running service answers, as its own {@code /actuator/mappings} describes it: the
 * method, the path pattern (with {@code {variables}} and wildcards still in it), what kind of
 * handler serves it and the media types it consumes.
 */
record Route(String service, String method, String pattern, Source source, List<String> consumes) {

  /** The three kinds of handler a WebFlux application maps requests to. */
  enum Source {
    /**
     * An annotated controller method ({@code @GetMapping} and friends), or an actuator endpoint.
     */
    HANDLER_METHOD,
    /** A functional route ({@code RouterFunctions.route(...)}). */
    ROUTER_FUNCTION,
    /** Static files ({@code ResourceWebHandler}). */
    RESOURCE_HANDLER
  }

  Route {
    consumes = List.copyOf(consumes);
  }

  @Override
  public String toString() {
    return service + " " + method + " " + pattern;
  }
}
