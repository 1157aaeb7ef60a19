package dev.signet.sms.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.testsupport.VonageForms;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny stand-in for Vonage's {@code POST /sms/json} (and the Messages API's {@code POST
 * /v1/messages} for SMS, which always accepts) on a real HTTP port, so the real SDK runs in
 * integration tests. It records every call and answers as Vonage does; faults can be queued for the
 * next SMS API calls. Neither sends delivery receipts. (End-to-end tests use the full SMS sandbox
 * instead.)
 */
public final class VonageStub implements AutoCloseable {

  /** What the next call answers. */
  public enum Fault {
    THROTTLE,
    SERVER_ERROR,
    REJECT,
    HANG
  }

  /** One call as received: form parameters. */
  public record Call(Map<String, String> params, String messageId) {
    public String to() {
      return params.get("to");
    }

    public String clientRef() {
      return params.get("client-ref");
    }

    public String text() {
      return params.get("text");
    }
  }

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Call> testTraffic = new CopyOnWriteArrayList<>();
  private final List<Call> messagesApi = new CopyOnWriteArrayList<>();
  private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final java.util.concurrent.CountDownLatch released =
      new java.util.concurrent.CountDownLatch(1);

  public VonageStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/sms/json", this::handle);
    // The sandbox's test-traffic inbox, where the dispatcher hands messages to test numbers.
    server.createContext("/inbox/test-traffic", this::testTraffic);
    server.createContext("/v1/messages", this::messages);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void failNext(Fault fault, int count) {
    for (int i = 0; i < count; i++) {
      faults.add(fault);
    }
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Messages to test numbers handed to the test-traffic inbox, for an attempt. */
  public List<Call> testTrafficFor(String challengeId, int attempt) {
    return testTraffic.stream()
        .filter(c -> (challengeId + ":" + attempt).equals(c.clientRef()))
        .toList();
  }

  /** Messages API calls whose client reference names the attempt {@code challengeId:attempt}. */
  public List<Call> messagesApiCallsFor(String challengeId, int attempt) {
    return messagesApi.stream()
        .filter(c -> (challengeId + ":" + attempt).equals(c.clientRef()))
        .toList();
  }

  /** Calls whose client reference names the attempt {@code challengeId:attempt}. */
  public List<Call> callsFor(String challengeId, int attempt) {
    return calls.stream().filter(c -> (challengeId + ":" + attempt).equals(c.clientRef())).toList();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params =
          VonageForms.parse(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Fault fault = faults.poll();
      String id = UUID.randomUUID().toString();
      if (fault == null) {
        calls.add(new Call(params, id));
        respond(
            exchange,
            200,
            "{\"message-count\":\"1\",\"messages\":[{\"to\":\""
                + params.get("to")
                + "\",\"message-id\":\""
                + id
                + "\",\"status\":\"0\",\"remaining-balance\":\"100.00000000\","
                + "\"message-price\":\"0.03330000\",\"network\":\"23410\"}]}");
        return;
      }
      calls.add(new Call(params, null));
      switch (fault) {
        case THROTTLE ->
            respond(
                exchange,
                200,
                "{\"message-count\":\"1\",\"messages\":[{\"status\":\"1\",\"error-text\":"
                    + "\"Throughput Rate Exceeded - please wait [ 1000 ] and retry\"}]}");
        case REJECT ->
            respond(
                exchange,
                200,
                "{\"message-count\":\"1\",\"messages\":[{\"status\":\"6\",\"error-text\":"
                    + "\"Unroutable message - rejected\"}]}");
        case SERVER_ERROR ->
            respond(
                exchange,
                500,
                "{\"type\":\"https://developer.vonage.com/api-errors\",\"title\":\"Internal"
                    + " Error\",\"detail\":\"injected\"}");
        case HANG -> {
          try {
            // Holds the connection past the SDK timeout, until the stub closes.
            released.await(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  private void testTraffic(HttpExchange exchange) throws IOException {
    try (exchange) {
      var json =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(exchange.getRequestBody().readAllBytes());
      Map<String, String> params = new LinkedHashMap<>();
      json.properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
      // Same parameter name as the SMS API's, so callsFor-style helpers read alike.
      params.put("client-ref", params.get("clientRef"));
      String id = UUID.randomUUID().toString();
      testTraffic.add(new Call(params, id));
      respond(exchange, 201, "{\"messageId\":\"" + id + "\"}");
    }
  }

  private void messages(HttpExchange exchange) throws IOException {
    try (exchange) {
      var json =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(exchange.getRequestBody().readAllBytes());
      Map<String, String> params = new LinkedHashMap<>();
      json.properties()
          .forEach(
              e ->
                  params.put(
                      e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : null));
      // Same parameter names as the SMS API's, so callsFor-style helpers read alike.
      params.put("client-ref", params.get("client_ref"));
      String id = UUID.randomUUID().toString();
      messagesApi.add(new Call(params, id));
      respond(exchange, 202, "{\"message_uuid\":\"" + id + "\"}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
