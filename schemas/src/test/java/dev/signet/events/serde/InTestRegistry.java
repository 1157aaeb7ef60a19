package dev.signet.events.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A small in-memory schema registry speaking the Confluent REST subset the serde uses, on a real
 * HTTP port, with injectable failures. BACKWARD compatibility per subject, like Confluent's
 * default. Shared with the services' Spring integration tests through this module's test jar.
 */
public final class InTestRegistry implements AutoCloseable {

  record Fault(int status, String body, String retryAfter) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Schema> schemas = new CopyOnWriteArrayList<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
  private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  public InTestRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code count} requests answer {@code status} with a Confluent error body. */
  void failNext(int status, int count) {
    failNext(status, count, null);
  }

  void failNext(int status, int count, String retryAfter) {
    for (int i = 0; i < count; i++) {
      faults.add(
          new Fault(
              status,
              "{\"error_code\":" + (status * 100 + 1) + ",\"message\":\"injected " + status + "\"}",
              retryAfter));
    }
  }

  int requests() {
    return requests.get();
  }

  int requests(String path) {
    AtomicInteger count = requestsByPath.get(path);
    return count == null ? 0 : count.get();
  }

  List<String> authorizations() {
    return authorizations;
  }

  synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  /** Registers directly (no HTTP) and returns the id. */
  synchronized int register(String subject, Schema schema) {
    int id = idOf(schema);
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  private int idOf(Schema schema) {
    int index = schemas.indexOf(schema);
    if (index < 0) {
      schemas.add(schema);
      index = schemas.size() - 1;
    }
    return index + 1;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getRawPath();
      requestsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizations.add(auth);
      }
      Fault fault = faults.poll();
      if (fault != null) {
        if (fault.retryAfter() != null) {
          exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
        }
        respond(exchange, fault.status(), fault.body());
        return;
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String[] parts = path.substring(1).split("/");
      for (int i = 0; i < parts.length; i++) {
        parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
      }
      String method = exchange.getRequestMethod();
      synchronized (this) {
        route(exchange, method, parts, body);
      }
    }
  }

  private void route(HttpExchange exchange, String method, String[] p, String body)
      throws IOException {
    if (method.equals("GET") && p.length == 1 && p[0].equals("subjects")) {
      ArrayNode array = JSON.createArrayNode();
      subjects.keySet().forEach(array::add);
      respond(exchange, 200, array.toString());
    } else if (method.equals("GET") && p.length == 3 && p[0].equals("schemas")) {
      int id = Integer.parseInt(p[2]);
      if (id < 1 || id > schemas.size()) {
        error(exchange, 404, 40403, "Schema " + id + " not found");
        return;
      }
      respond(
          exchange,
          200,
          JSON.createObjectNode().put("schema", schemas.get(id - 1).toString()).toString());
    } else if (p.length >= 2 && p[0].equals("subjects")) {
      subject(exchange, method, p, body);
    } else if (method.equals("POST") && p.length == 5 && p[0].equals("compatibility")) {
      List<Integer> versions = subjects.get(p[2]);
      if (versions == null) {
        error(exchange, 404, 40401, "Subject '" + p[2] + "' not found.");
        return;
      }
      Schema candidate = parse(exchange, body);
      if (candidate == null) {
        return;
      }
      boolean compatible =
          compatible(candidate, schemas.get(versions.get(versions.size() - 1) - 1));
      ObjectNode result = JSON.createObjectNode().put("is_compatible", compatible);
      result.putArray("messages");
      respond(exchange, 200, result.toString());
    } else {
      error(exchange, 404, 404, "HTTP 404 Not Found");
    }
  }

  private void subject(HttpExchange exchange, String method, String[] p, String body)
      throws IOException {
    String subject = p[1];
    List<Integer> versions = subjects.get(subject);
    if (method.equals("POST") && p.length == 3 && p[2].equals("versions")) {
      Schema schema = parse(exchange, body);
      if (schema == null) {
        return;
      }
      if (versions != null
          && !versions.isEmpty()
          && !versions.contains(schemas.indexOf(schema) + 1)) {
        Schema latest = schemas.get(versions.get(versions.size() - 1) - 1);
        if (!compatible(schema, latest)) {
          error(
              exchange, 409, 409, "Schema being registered is incompatible with an earlier schema");
          return;
        }
      }
      int id = register(subject, schema);
      respond(exchange, 200, JSON.createObjectNode().put("id", id).toString());
      return;
    }
    if (versions == null) {
      error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
      return;
    }
    if (method.equals("POST") && p.length == 2) {
      Schema schema = parse(exchange, body);
      if (schema == null) {
        return;
      }
      int index = versions.indexOf(schemas.indexOf(schema) + 1);
      if (index < 0) {
        error(exchange, 404, 40403, "Schema not found");
        return;
      }
      respond(exchange, 200, version(subject, index + 1, versions.get(index)));
    } else if (method.equals("GET") && p.length == 3 && p[2].equals("versions")) {
      ArrayNode array = JSON.createArrayNode();
      for (int v = 1; v <= versions.size(); v++) {
        array.add(v);
      }
      respond(exchange, 200, array.toString());
    } else if (method.equals("GET") && p.length == 4 && p[2].equals("versions")) {
      int v = p[3].equals("latest") ? versions.size() : Integer.parseInt(p[3]);
      if (v < 1 || v > versions.size()) {
        error(exchange, 404, 40402, "Version " + p[3] + " not found.");
        return;
      }
      respond(exchange, 200, version(subject, v, versions.get(v - 1)));
    } else {
      error(exchange, 405, 405, "HTTP 405 Method Not Allowed");
    }
  }

  private String version(String subject, int version, int id) {
    return JSON.createObjectNode()
        .put("subject", subject)
        .put("version", version)
        .put("id", id)
        .put("schema", schemas.get(id - 1).toString())
        .toString();
  }

  /** BACKWARD: the new schema must read data written with the latest one. */
  private static boolean compatible(Schema candidate, Schema latest) {
    return SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  private Schema parse(HttpExchange exchange, String body) throws IOException {
    try {
      JsonNode json = JSON.readTree(body);
      return new Schema.Parser().parse(json.path("schema").asText());
    } catch (IOException | SchemaParseException e) {
      error(exchange, 422, 42201, "Invalid schema");
      return null;
    }
  }

  private static void error(HttpExchange exchange, int status, int code, String message)
      throws IOException {
    respond(
        exchange,
        status,
        JSON.createObjectNode().put("error_code", code).put("message", message).toString());
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
