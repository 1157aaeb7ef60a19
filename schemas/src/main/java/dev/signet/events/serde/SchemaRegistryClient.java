package dev.signet.events.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A caching client of the Confluent Schema Registry REST API (the subset Kafka serdes use), which
 * Signet's own registry and Confluent's registry both serve.
 *
 * <p>Schema ids are immutable, so ids, schemas and registrations are cached for the life of the
 * client; only the latest version of a subject expires (see {@link Options#latestCacheTtl()}).
 * Requests are retried with bounded exponential back-off only when a retry can help (408, 429, 5xx
 * and I/O errors), rotating through the configured URLs; any other 4xx fails at once with the
 * registry's {@code error_code} and {@code message}. The client is thread-safe.
 */
public final class SchemaRegistryClient {

  /** Media type of the registry API. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * HTTP behaviour of the client.
   *
   * @param connectTimeout TCP connect timeout
   * @param requestTimeout timeout of one request
   * @param maxRetries retries after the first attempt (0 = no retry)
   * @param initialBackoff back-off before the first retry, doubled on each further retry
   * @param maxBackoff upper bound of one back-off
   * @param latestCacheTtl how long the latest version of a subject is cached; {@code null} =
   *     forever
   * @param basicAuthUserInfo {@code user:password} for HTTP Basic auth, or {@code null}
   */
  public record Options(
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration latestCacheTtl,
      String basicAuthUserInfo) {

    public Options {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0");
      }
    }

    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          3,
          Duration.ofMillis(100),
          Duration.ofSeconds(2),
          Duration.ofSeconds(60),
          null);
    }

    public Options withRetries(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
      return new Options(
          connectTimeout,
          requestTimeout,
          maxRetries,
          initialBackoff,
          maxBackoff,
          latestCacheTtl,
          basicAuthUserInfo);
    }
  }

  /** One registered version of a subject. */
  public record SchemaVersion(String subject, int id, int version, Schema schema) {}

  /** Result of a compatibility check against the latest version of a subject. */
  public record CompatibilityResult(boolean compatible, List<String> messages) {
    public CompatibilityResult {
      messages = List.copyOf(messages);
    }
  }

  private record Registration(String subject, Schema schema) {}

  private record Timed<T>(T value, long loadedAtNanos) {}

  private final List<URI> urls;
  private final Options options;
  private final RegistryHttp http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<Registration, Integer> idsByRegistration = new ConcurrentHashMap<>();
  private final Map<String, Timed<SchemaVersion>> latestBySubject = new ConcurrentHashMap<>();

  /** A client with default options for a comma-separated list of base URLs. */
  public SchemaRegistryClient(String urls) {
    this(SignetSerdeConfig.parseUrls(urls), Options.defaults());
  }

  public SchemaRegistryClient(List<URI> urls, Options options) {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException("At least one schema registry URL is required");
    }
    this.urls = List.copyOf(urls);
    this.options = Objects.requireNonNull(options, "options");
    this.http = new RegistryHttp(this.urls, options);
  }

  /** A client for the URLs and options of a serde configuration. */
  public static SchemaRegistryClient fromConfig(SignetSerdeConfig config) {
    return new SchemaRegistryClient(config.registryUrls(), config.client());
  }

  public List<URI> urls() {
    return urls;
  }

  /** HTTP requests sent so far (retries included); for metrics and tests. */
  public long requestCount() {
    return http.requestCount();
  }

  /**
   * Registers the schema under the subject ({@code POST /subjects/{subject}/versions}) and returns
   * its global id; registering a schema the subject already has returns the existing id.
   *
   * @throws SchemaRegistryException e.g. 409 when the schema is incompatible with the subject
   */
  public int register(String subject, Schema schema) {
    Registration key = new Registration(subject, schema);
    Integer cached = idsByRegistration.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode response = http.send("POST", "/subjects/" + encode(subject) + "/versions", body);
    int id = RegistryHttp.requiredInt(response, "id");
    idsByRegistration.put(key, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * Looks up the version of the subject that has this schema ({@code POST /subjects/{subject}}).
   *
   * @throws SchemaRegistryException 404 (error code 40401 or 40403) when it is not registered
   */
  public SchemaVersion lookup(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode response = http.send("POST", "/subjects/" + encode(subject), body);
    SchemaVersion version = version(response, subject);
    idsByRegistration.put(new Registration(subject, schema), version.id());
    schemasById.putIfAbsent(version.id(), version.schema());
    return version;
  }

  /** The id of a schema already registered under the subject, cached. */
  public int getId(String subject, Schema schema) {
    Integer cached = idsByRegistration.get(new Registration(subject, schema));
    return cached != null ? cached : lookup(subject, schema).id();
  }

  /**
   * The schema with this global id ({@code GET /schemas/ids/{id}}), cached forever (ids are
   * immutable).
   *
   * @throws SchemaRegistryException 404 (error code 40403) for an unknown id
   */
  public Schema getSchemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode response = http.send("GET", "/schemas/ids/" + id, null);
    Schema schema = RegistryHttp.parseSchema(response, "schema id " + id);
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  /** The latest version of the subject, cached for {@link Options#latestCacheTtl()}. */
  public SchemaVersion getLatestVersion(String subject) {
    Timed<SchemaVersion> cached = latestBySubject.get(subject);
    Duration ttl = options.latestCacheTtl();
    if (cached != null
        && (ttl == null || System.nanoTime() - cached.loadedAtNanos() < ttl.toNanos())) {
      return cached.value();
    }
    SchemaVersion latest = fetchVersion(subject, "latest");
    latestBySubject.put(subject, new Timed<>(latest, System.nanoTime()));
    return latest;
  }

  /** A given version of the subject ({@code GET /subjects/{subject}/versions/{version}}). */
  public SchemaVersion getVersion(String subject, int version) {
    return fetchVersion(subject, Integer.toString(version));
  }

  /** The versions of the subject ({@code GET /subjects/{subject}/versions}). */
  public List<Integer> getVersions(String subject) {
    JsonNode response = http.send("GET", "/subjects/" + encode(subject) + "/versions", null);
    List<Integer> versions = new ArrayList<>();
    response.forEach(node -> versions.add(node.asInt()));
    return versions;
  }

  /** All subjects ({@code GET /subjects}). */
  public List<String> getSubjects() {
    JsonNode response = http.send("GET", "/subjects", null);
    List<String> subjects = new ArrayList<>();
    response.forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  /**
   * Whether the schema could be registered under the subject given its compatibility level ({@code
   * POST /compatibility/subjects/{subject}/versions/latest?verbose=true}). A subject with no
   * version yet is compatible.
   */
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode response;
    try {
      response =
          http.send(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
              body);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound() && (e.errorCode() == 40401 || e.errorCode() == 40402)) {
        return new CompatibilityResult(true, List.of());
      }
      throw e;
    }
    List<String> messages = new ArrayList<>();
    response.path("messages").forEach(node -> messages.add(node.asText()));
    return new CompatibilityResult(response.path("is_compatible").asBoolean(false), messages);
  }

  private SchemaVersion fetchVersion(String subject, String version) {
    JsonNode response =
        http.send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    SchemaVersion result = version(response, subject);
    schemasById.putIfAbsent(result.id(), result.schema());
    return result;
  }

  private SchemaVersion version(JsonNode response, String subject) {
    return new SchemaVersion(
        response.path("subject").asText(subject),
        RegistryHttp.requiredInt(response, "id"),
        RegistryHttp.requiredInt(response, "version"),
        RegistryHttp.parseSchema(response, "subject " + subject));
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
