package dev.signet.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.testsupport.VonageForms;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
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
            VonageForms.parse(exchange.getRequestURI().getRawQuery()),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Authorization"),
            new String(body, StandardCharsets.UTF_8),
            exchange.getRequestHeaders().getFirst("X-Twilio-Signature")));
    int status;
    synchronized (this) {
      status = statuses.isEmpty() ? 200 : statuses.poll();
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
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
      String body,
      String twilioSignature) {

    /** The body read as a form. */
    public Map<String, String> form() {
      return VonageForms.parse(body);
    }
  }
}
