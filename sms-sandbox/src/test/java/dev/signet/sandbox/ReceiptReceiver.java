package dev.signet.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real HTTP server standing in for the dispatcher's webhook: records every request and
 * answers with queued status codes (200 once the queue is empty).
 */
public final class ReceiptReceiver implements AutoCloseable {

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Integer> statuses = new ArrayDeque<>();

  public ReceiptReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The next requests are answered with these statuses, in order. */
  public synchronized void answer(Integer... codes) {
    statuses.addAll(List.of(codes));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void reset() {
    received.clear();
    synchronized (this) {
      statuses.clear();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            parse(exchange.getRequestURI().getRawQuery()),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Authorization"),
            new String(body, StandardCharsets.UTF_8)));
    int status;
    synchronized (this) {
      status = statuses.isEmpty() ? 200 : statuses.poll();
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /** Decodes {@code a=1&b=2} as servlet containers do (form encoding). */
  public static Map<String, String> parse(String encoded) {
    Map<String, String> params = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return params;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** One request as the webhook saw it. */
  public record Received(
      String method,
      String path,
      Map<String, String> query,
      String contentType,
      String authorization,
      String body) {}
}
