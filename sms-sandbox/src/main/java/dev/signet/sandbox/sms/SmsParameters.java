package dev.signet.sandbox.sms;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SMS API's parameters wherever Vonage accepts them: the query string, then a form body or a
 * JSON object of values; the first value of a repeated name wins.
 */
final class SmsParameters {

  private SmsParameters() {}

  static Mono<Map<String, String>> read(ServerWebExchange exchange, JsonMapper json) {
    Map<String, String> params = new LinkedHashMap<>();
    exchange.getRequest().getQueryParams().forEach((name, values) -> put(params, name, values));
    MediaType contentType = exchange.getRequest().getHeaders().getContentType();
    if (contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
      return exchange
          .getRequest()
          .getBody()
          .reduce(new StringBuilder(), SmsParameters::append)
          .map(
              body -> {
                readJson(json, body.toString(), params);
                return params;
              })
          .defaultIfEmpty(params);
    }
    return exchange
        .getFormData()
        .map(
            form -> {
              form.forEach((name, values) -> put(params, name, values));
              return params;
            });
  }

  private static StringBuilder append(StringBuilder sb, DataBuffer buffer) {
    sb.append(buffer.toString(StandardCharsets.UTF_8));
    DataBufferUtils.release(buffer);
    return sb;
  }

  private static void readJson(JsonMapper json, String body, Map<String, String> params) {
    if (body.isBlank()) {
      return;
    }
    try {
      JsonNode node = json.readTree(body);
      node.properties()
          .forEach(
              e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                  params.put(e.getKey(), e.getValue().asString());
                }
              });
    } catch (JacksonException e) {
      // Vonage treats an unreadable body as missing parameters.
    }
  }

  private static void put(Map<String, String> params, String name, List<String> values) {
    if (!values.isEmpty() && values.get(0) != null) {
      params.put(name, values.get(0));
    }
  }
}
