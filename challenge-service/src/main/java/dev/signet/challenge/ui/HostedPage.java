package dev.signet.challenge.ui;

import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.HttpError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Renders the hosted page: one HTML template ({@code ui/page.html}) whose only dynamic parts are
 * the language, the direction, the app name in the title and a JSON data block that the page's
 * module script reads. The data block is a {@code <script type="application/json">}, which the
 * browser never runs, and every {@code <}, {@code >} and {@code &} in it is escaped, so no value
 * (an app name, a redirect URL) can end it or add markup. Error pages are the same page with an
 * error key.
 */
@Component
class HostedPage {

  /** The languages of the page: the languages of the SMS templates (sms-dispatcher). */
  static final List<String> LANGUAGES = List.of("en", "es", "fr", "de", "pt", "ja", "zh", "ar");

  private final String template;
  private final UiProperties properties;

  HostedPage(UiProperties properties) {
    this.properties = properties;
    try (InputStream in = new ClassPathResource("ui/page.html").getInputStream()) {
      this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("ui/page.html is missing from the jar", e);
    }
  }

  /**
   * The page language: the user's locale when the page has it, else the browser's preferred one
   * among the page's languages, else English.
   */
  static String language(String userLocale, String acceptLanguage) {
    if (userLocale != null && !userLocale.isBlank()) {
      String language = Locale.forLanguageTag(userLocale.trim()).getLanguage();
      if (LANGUAGES.contains(language)) {
        return language;
      }
    }
    if (acceptLanguage != null && !acceptLanguage.isBlank() && acceptLanguage.length() <= 512) {
      try {
        String match = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), LANGUAGES);
        if (match != null) {
          return match;
        }
      } catch (IllegalArgumentException e) {
        // A malformed header: fall back to English.
      }
    }
    return "en";
  }

  /** Settings every state of the page needs. */
  Map<String, Object> baseConfig(String language) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("lang", language);
    config.put("appName", properties.branding().appName());
    config.put("logo", properties.branding().logoFile() != null);
    config.put(
        "frameOrigins", properties.framePatterns().stream().map(OriginPattern::pageForm).toList());
    return config;
  }

  String render(String language, Map<String, Object> config) {
    return template
        .replace("{{lang}}", language)
        .replace("{{dir}}", "ar".equals(language) ? "rtl" : "ltr")
        .replace("{{title}}", html(properties.branding().appName()))
        .replace("{{config}}", json(config));
  }

  Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String html) {
    var response = exchange.getResponse();
    response.setStatusCode(status);
    response
        .getHeaders()
        .setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
    var buffer = response.bufferFactory().wrap(html.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }

  /** The page in its error state, {@code error} naming the message the page shows. */
  Mono<Void> error(ServerWebExchange exchange, HttpStatus status, String error, String language) {
    Map<String, Object> config = baseConfig(language);
    config.put("error", error);
    return write(exchange, status, render(language, config));
  }

  /**
   * A refusal of the security chain: the page in its error state for a browser that asked for HTML,
   * the service's JSON error body for anything else (API clients, scanners).
   */
  Mono<Void> refuse(ServerWebExchange exchange, ErrorResponder errors, HttpError error) {
    var request = exchange.getRequest();
    boolean browser =
        request.getMethod() == org.springframework.http.HttpMethod.GET
            && UiSecurityConfiguration.PAGE.equals(
                request.getPath().pathWithinApplication().value())
            && request.getHeaders().getAccept().stream()
                .anyMatch(
                    type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
    if (!browser) {
      return errors.write(exchange, error);
    }
    String key =
        switch (error.code()) {
          case "expired_token" -> "link_expired";
          case "forbidden" -> "not_allowed";
          default -> "link_invalid";
        };
    String language =
        language(
            null,
            request.getHeaders().getFirst(org.springframework.http.HttpHeaders.ACCEPT_LANGUAGE));
    return error(exchange, error.status(), key, language);
  }

  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** JSON of strings, numbers, booleans, null, lists and maps, safe inside a script element. */
  static String json(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      string(out, String.valueOf(value));
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
