package dev.signet.sms.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.testsupport.VonageForms;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny stand-in for Twilio's {@code POST /2010-04-01/Accounts/{sid}/Messages.json} on a real HTTP
 * port, so the real Twilio SDK runs in integration tests: it records every call and answers 201
 * with a message resource, or the queued fault. (End-to-end tests use the SMS sandbox.)
 */
public final class TwilioStub implements AutoCloseable {

  public static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  public static final String AUTH_TOKEN = "it-twilio-auth-token";

  /** One call as received: the path and the form parameters. */
  public record Call(String path, String authorization, Map<String, String> params, String sid) {
    public String to() {
      return params.get("To");
    }

    public String body() {
      return params.get("Body");
    }

    public String statusCallback() {
      return params.get("StatusCallback");
    }
  }

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Deque<Integer> faults = new ConcurrentLinkedDeque<>();

  public TwilioStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/2010-04-01/Accounts/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code count} calls answer {@code httpStatus} with a Twilio error body. */
  public void failNext(int httpStatus, int count) {
    for (int i = 0; i < count; i++) {
      faults.add(httpStatus);
    }
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Calls to {@code phone} (E.164). */
  public List<Call> callsTo(String phone) {
    return calls.stream().filter(c -> phone.equals(c.to())).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> params =
          VonageForms.parse(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String path = exchange.getRequestURI().getPath();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Integer fault = faults.poll();
      if (fault != null) {
        calls.add(new Call(path, authorization, params, null));
        respond(
            exchange,
            fault,
            "{\"code\":"
                + (fault == 429 ? 20429 : 20500)
                + ",\"message\":\"injected\",\"more_info\":\"https://www.twilio.com/docs/errors\","
                + "\"status\":"
                + fault
                + "}");
        return;
      }
      String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
      calls.add(new Call(path, authorization, params, sid));
      respond(
          exchange,
          201,
          "{\"sid\":\""
              + sid
              + "\",\"account_sid\":\""
              + ACCOUNT_SID
              + "\",\"status\":\"queued\",\"num_segments\":\"1\",\"price\":null,"
              + "\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\","
              + "\"date_created\":\"Mon, 07 Dec 2026 09:00:00 +0000\"}");
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
