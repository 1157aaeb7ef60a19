package dev.signet.events.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of {@link SignetAvroSerializer} and {@link SignetAvroDeserializer}, read from the
 * same keys as Confluent's {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer} so that a
 * service can switch between the two serdes by changing only the class names.
 *
 * @param registryUrls registry base URLs, tried in order (failover)
 * @param autoRegisterSchemas register the record's schema on first use (otherwise look it up)
 * @param useLatestVersion serialise with the subject's latest registered schema
 * @param specificAvroReader deserialise into generated classes instead of {@code GenericRecord}
 * @param keySubjectNameStrategy subject naming of keys
 * @param valueSubjectNameStrategy subject naming of values
 * @param specificKeyType reader class for keys, overriding the class named by the writer schema
 * @param specificValueType reader class for values, overriding the class named by the writer schema
 * @param client HTTP behaviour of the registry client
 */
public record SignetSerdeConfig(
    List<URI> registryUrls,
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    boolean specificAvroReader,
    SubjectNameStrategy keySubjectNameStrategy,
    SubjectNameStrategy valueSubjectNameStrategy,
    Class<? extends SpecificRecord> specificKeyType,
    Class<? extends SpecificRecord> specificValueType,
    SchemaRegistryClient.Options client) {

  /** Comma-separated registry base URLs. Required unless a client is passed to the serde. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Register unknown schemas on serialisation (default {@code true}). */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Serialise with the latest schema of the subject instead of the record's (default false). */
  public static final String USE_LATEST_VERSION = "use.latest.version";

  /** Seconds the latest version of a subject is cached; -1 = forever (default 60). */
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  /** Deserialise into generated SpecificRecord classes (default false, as Confluent). */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** Reader class for keys (a generated class name or Class), overriding the writer's name. */
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";

  /** Reader class for values (a generated class name or Class), overriding the writer's name. */
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";

  /** Subject naming of keys: Confluent class name or short name (default TopicNameStrategy). */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** Subject naming of values: Confluent class name or short name (default TopicNameStrategy). */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /**
   * Where the registry's HTTP Basic credentials come from, as in Confluent's serde: {@code URL}
   * (default: the user info of the first registry URL, {@code https://user:password@host}), {@code
   * USER_INFO} ({@link #BASIC_AUTH_USER_INFO}) or {@code SASL_INHERIT} (the user name and password
   * of the client's {@code sasl.jaas.config}).
   */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

  /** {@code user:password} for HTTP Basic auth against the registry, read with USER_INFO. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"([^\"]*)\"");
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

  /** Connect timeout to the registry in milliseconds (default 5000). */
  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";

  /** Timeout of one registry request in milliseconds (default 10000). */
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

  /** Retries of a registry request after 408, 429, 5xx or an I/O error (default 3). */
  public static final String MAX_RETRIES = "max.retries";

  /** First back-off between retries in milliseconds, doubled on each retry (default 100). */
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";

  /** Upper bound of the back-off between retries in milliseconds (default 2000). */
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";

  /** Defaults used when a serde gets a client but no configuration. */
  public static SignetSerdeConfig defaults() {
    return parse(Map.of(), false);
  }

  /**
   * Reads the configuration from Kafka client properties (values may be strings or typed values).
   *
   * @param requireUrl whether {@link #SCHEMA_REGISTRY_URL} must be present
   * @throws ConfigException on a missing URL or a malformed value
   */
  public static SignetSerdeConfig parse(Map<String, ?> configs, boolean requireUrl) {
    Object url = configs.get(SCHEMA_REGISTRY_URL);
    List<URI> urls = url == null ? List.of() : parseUrls(url);
    if (requireUrl && urls.isEmpty()) {
      throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL + "\"");
    }
    SchemaRegistryClient.Options defaults = SchemaRegistryClient.Options.defaults();
    long ttl = number(configs, LATEST_CACHE_TTL_SEC, defaults.latestCacheTtl().toSeconds());
    SchemaRegistryClient.Options client =
        new SchemaRegistryClient.Options(
            Duration.ofMillis(
                number(configs, HTTP_CONNECT_TIMEOUT_MS, defaults.connectTimeout().toMillis())),
            Duration.ofMillis(
                number(configs, HTTP_READ_TIMEOUT_MS, defaults.requestTimeout().toMillis())),
            (int) number(configs, MAX_RETRIES, defaults.maxRetries()),
            Duration.ofMillis(
                number(configs, RETRIES_WAIT_MS, defaults.initialBackoff().toMillis())),
            Duration.ofMillis(
                number(configs, RETRIES_MAX_WAIT_MS, defaults.maxBackoff().toMillis())),
            ttl < 0 ? null : Duration.ofSeconds(ttl),
            basicAuthUserInfo(configs));
    return new SignetSerdeConfig(
        urls,
        bool(configs, AUTO_REGISTER_SCHEMAS, true),
        bool(configs, USE_LATEST_VERSION, false),
        bool(configs, SPECIFIC_AVRO_READER, false),
        SubjectNameStrategy.parse(configs.get(KEY_SUBJECT_NAME_STRATEGY)),
        SubjectNameStrategy.parse(configs.get(VALUE_SUBJECT_NAME_STRATEGY)),
        recordClass(configs, SPECIFIC_AVRO_KEY_TYPE),
        recordClass(configs, SPECIFIC_AVRO_VALUE_TYPE),
        client);
  }

  /** Subject naming for keys or values. */
  public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
    return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
  }

  /** The configured reader class for keys or values, or {@code null}. */
  public Class<? extends SpecificRecord> specificType(boolean isKey) {
    return isKey ? specificKeyType : specificValueType;
  }

  static List<URI> parseUrls(Object value) {
    List<String> parts =
        value instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : Arrays.asList(value.toString().split(","));
    return parts.stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(SignetSerdeConfig::parseUrl)
        .toList();
  }

  private static URI parseUrl(String url) {
    try {
      URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new ConfigException(SCHEMA_REGISTRY_URL, url, "expected an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SCHEMA_REGISTRY_URL, url, "not a URL: " + e.getMessage());
    }
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, value, "expected true or false");
    };
  }

  private static long number(Map<String, ?> configs, String key, long fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "expected a whole number");
    }
  }

  /** The Basic credentials named by the credentials source, or null for the URL's user info. */
  static String basicAuthUserInfo(Map<String, ?> configs) {
    String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE);
    switch (source == null ? "URL" : source.strip().toUpperCase(Locale.ROOT)) {
      case "URL":
        return null;
      case "USER_INFO":
        return string(configs, BASIC_AUTH_USER_INFO);
      case "SASL_INHERIT":
        String jaas = string(configs, "sasl.jaas.config");
        if (jaas == null) {
          throw new ConfigException(
              BASIC_AUTH_CREDENTIALS_SOURCE + "=SASL_INHERIT needs sasl.jaas.config");
        }
        Matcher user = JAAS_USERNAME.matcher(jaas);
        Matcher password = JAAS_PASSWORD.matcher(jaas);
        if (!user.find() || !password.find()) {
          throw new ConfigException(
              "sasl.jaas.config has no username and password for " + BASIC_AUTH_CREDENTIALS_SOURCE);
        }
        return user.group(1) + ":" + password.group(1);
      default:
        throw new ConfigException(
            BASIC_AUTH_CREDENTIALS_SOURCE
                + " must be URL, USER_INFO or SASL_INHERIT, not "
                + source);
    }
  }

  private static String string(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends SpecificRecord> recordClass(Map<String, ?> configs, String key) {
    Object value = configs.get(key);
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    Class<?> type;
    if (value instanceof Class<?> c) {
      type = c;
    } else {
      try {
        type =
            Class.forName(value.toString().trim(), true, SignetSerdeConfig.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ConfigException(key, value, "class not found");
      }
    }
    if (!SpecificRecord.class.isAssignableFrom(type)) {
      throw new ConfigException(key, value, "not a generated Avro SpecificRecord class");
    }
    return (Class<? extends SpecificRecord>) type;
  }
}
