package dev.signet.e2e.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns a service's {@code /actuator/mappings} answer into {@link Route}s: annotated controllers
 * ({@code details.requestMappingConditions}), router functions (their {@code predicate} string) and
 * resource handlers. Anything it does not understand is an error, never skipped, so the hostile
 * suite cannot silently lose routes when a service adds a new kind of mapping.
 */
final class MappingsParser {

  /** The methods a mapping without a method condition answers; each is probed. */
  static final List<String> ANY_METHOD = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  private MappingsParser() {}

  /** A mapping the parser cannot turn into routes; the message says which and why. */
  static final class UnreadableMapping extends IllegalStateException {
    UnreadableMapping(String service, String why, Object mapping) {
      super(service + ": cannot read mapping (" + why + "): " + mapping);
    }
  }

  static List<Route> parse(String service, JsonNode root) {
    JsonNode contexts = root.path("contexts");
    if (!contexts.isObject() || contexts.isEmpty()) {
      throw new UnreadableMapping(service, "no contexts", root);
    }
    List<Route> routes = new ArrayList<>();
    for (var context : contexts.properties()) {
      JsonNode mappings = context.getValue().path("mappings");
      if (!mappings.isObject()) {
        throw new UnreadableMapping(service, "context without mappings", context.getKey());
      }
      for (var kind : mappings.properties()) {
        if (!kind.getKey().equals("dispatcherHandlers")) {
          // e.g. dispatcherServlets (a servlet stack) or a future kind: read it before trusting it
          throw new UnreadableMapping(service, "unknown mapping kind " + kind.getKey(), kind);
        }
        for (var handler : kind.getValue().properties()) {
          for (JsonNode mapping : handler.getValue()) {
            routes.addAll(parseOne(service, mapping));
          }
        }
      }
    }
    return routes;
  }

  private static List<Route> parseOne(String service, JsonNode mapping) {
    JsonNode details = mapping.path("details");
    String predicate = mapping.path("predicate").asString("");
    String handler = mapping.path("handler").asString("");
    if (details.has("requestMappingConditions")) {
      return handlerMethod(service, details.path("requestMappingConditions"), mapping);
    }
    if (details.has("handlerFunction")) {
      List<Route> routes = new ArrayList<>();
      for (Alternative alternative : new PredicateParser(service, predicate).parse()) {
        for (String method : alternative.methods() == null ? ANY_METHOD : alternative.methods()) {
          routes.add(
              new Route(
                  service, method, alternative.path(), Route.Source.ROUTER_FUNCTION, List.of()));
        }
      }
      return routes;
    }
    if ((details.isMissingNode() || details.isNull())
        && handler.startsWith("ResourceWebHandler")
        && predicate.startsWith("/")
        && !predicate.contains(" ")) {
      return List.of(
          new Route(service, "GET", predicate, Route.Source.RESOURCE_HANDLER, List.of()));
    }
    throw new UnreadableMapping(service, "unknown handler shape", mapping);
  }

  private static List<Route> handlerMethod(String service, JsonNode conditions, JsonNode mapping) {
    // A header or parameter condition means a plain request would not even match: probing it
    // properly needs to know what to send, so refuse rather than probe a route that never answers.
    if (!conditions.path("headers").isEmpty() || !conditions.path("params").isEmpty()) {
      throw new UnreadableMapping(service, "header or parameter conditions", mapping);
    }
    List<String> patterns = strings(conditions.path("patterns"));
    if (patterns.isEmpty()) {
      throw new UnreadableMapping(service, "no patterns", mapping);
    }
    List<String> methods = strings(conditions.path("methods"));
    for (String method : methods) {
      if (!METHODS.contains(method)) {
        throw new UnreadableMapping(service, "unknown method " + method, mapping);
      }
    }
    List<String> consumes = new ArrayList<>();
    for (JsonNode type : conditions.path("consumes")) {
      if (type.path("negated").asBoolean(false)) {
        continue;
      }
      consumes.add(type.path("mediaType").asString());
    }
    List<Route> routes = new ArrayList<>();
    for (String pattern : patterns) {
      if (!pattern.startsWith("/")) {
        throw new UnreadableMapping(service, "pattern " + pattern, mapping);
      }
      for (String method : methods.isEmpty() ? ANY_METHOD : methods) {
        routes.add(new Route(service, method, pattern, Route.Source.HANDLER_METHOD, consumes));
      }
    }
    return routes;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : array) {
      out.add(item.asString());
    }
    return out;
  }

  /** One way a router function's predicate can match: a set of methods (null: any) and a path. */
  record Alternative(Set<String> methods, String path) {}

  /**
   * Reads the {@code toString()} of WebFlux {@code RequestPredicates} as the mappings endpoint
   * prints it, e.g. {@code ((GET && /dashboard) || (GET && /))}: methods, path patterns, {@code
   * &&}, {@code ||} and parentheses. Nested routes combine as prefix + path. Anything else (header,
   * content-type, query or negated predicates) is refused.
   */
  static final class PredicateParser {
    private final String service;
    private final String text;
    private final List<String> tokens;
    private int next;

    PredicateParser(String service, String text) {
      this.service = service;
      this.text = text;
      this.tokens = tokenize(text);
    }

    List<Alternative> parse() {
      List<Alternative> out = or();
      if (next != tokens.size()) {
        throw fail("unexpected " + tokens.get(next));
      }
      for (Alternative alternative : out) {
        if (alternative.path() == null) {
          throw fail("an alternative without a path");
        }
      }
      return out;
    }

    private List<Alternative> or() {
      List<Alternative> out = new ArrayList<>(and());
      while (peek("||")) {
        next++;
        out.addAll(and());
      }
      return out;
    }

    private List<Alternative> and() {
      List<Alternative> out = unary();
      while (peek("&&")) {
        next++;
        List<Alternative> right = unary();
        List<Alternative> combined = new ArrayList<>();
        for (Alternative a : out) {
          for (Alternative b : right) {
            combined.add(new Alternative(intersect(a.methods(), b.methods()), join(a, b)));
          }
        }
        out = combined;
      }
      return out;
    }

    private List<Alternative> unary() {
      if (next >= tokens.size()) {
        throw fail("unexpected end");
      }
      String token = tokens.get(next++);
      if (token.equals("(")) {
        List<Alternative> inner = or();
        if (!peek(")")) {
          throw fail("missing )");
        }
        next++;
        return inner;
      }
      if (METHODS.contains(token)) {
        return List.of(new Alternative(Set.of(token), null));
      }
      if (token.startsWith("/")) {
        return List.of(new Alternative(null, token));
      }
      throw fail("unknown predicate " + token);
    }

    private String join(Alternative a, Alternative b) {
      if (a.path() == null) {
        return b.path();
      }
      if (b.path() == null) {
        return a.path();
      }
      // nest(path("/api"), route(GET("/x"))) prints as (/api && (GET && /x)): prefix + path
      String prefix =
          a.path().endsWith("/") ? a.path().substring(0, a.path().length() - 1) : a.path();
      return prefix + b.path();
    }

    private Set<String> intersect(Set<String> a, Set<String> b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      Set<String> both = new LinkedHashSet<>(a);
      both.retainAll(b);
      if (both.isEmpty()) {
        throw fail("no method satisfies " + a + " && " + b);
      }
      return both;
    }

    private boolean peek(String token) {
      return next < tokens.size() && tokens.get(next).equals(token);
    }

    private UnreadableMapping fail(String why) {
      return new UnreadableMapping(service, "router predicate: " + why, text);
    }

    private static List<String> tokenize(String text) {
      List<String> out = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '(' || c == ')' || Character.isWhitespace(c)) {
          if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
          }
          if (c == '(' || c == ')') {
            out.add(String.valueOf(c));
          }
        } else {
          word.append(c);
        }
      }
      if (word.length() > 0) {
        out.add(word.toString());
      }
      return out;
    }
  }
}
