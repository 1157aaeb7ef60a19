package dev.signet.localstack;

import java.io.File;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one process of a component is started: its name ({@code challenge}, or {@code challenge-2}
 * for a second instance in cluster mode), its command line, the environment added to the launcher's
 * own, the address and main port other programs reach it on, the URL they use, and its log file.
 */
record Launch(
    Component component,
    String name,
    List<String> command,
    Map<String, String> environment,
    String host,
    int port,
    String url,
    Path log) {

  /**
   * Heap and JIT settings for the Spring Boot components: small heaps and C1 only, which starts
   * them faster on two shared cores; local runs never reach the throughput where C2 would pay.
   */
  static final List<String> HTTP_JVM_OPTIONS =
      List.of(
          "-Xms32m",
          "-Xmx256m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:ReservedCodeCacheSize=64m",
          "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.signet.events");

  static final List<String> MONGO_JVM_OPTIONS =
      List.of(
          "-Xms64m",
          "-Xmx1g",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
          // one line per client connection is noise at this level
          "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn",
          // mongo-java-server ignores an aggregation's cursor batch size and warns on every one;
          // the answer is the same (the whole result in the first batch), so nothing to act on.
          "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.backend.aggregation.Aggregation=error");

  /** Builds the launch of every selected component, in start order. */
  static List<Launch> plan(StackOptions options, Layout layout, Secrets secrets, String javaBin) {
    List<Launch> launches = new ArrayList<>();
    for (Component c : options.components()) {
      for (int n = 1; n <= options.topology().instances(c); n++) {
        launches.add(of(c, n, options, layout, secrets, javaBin));
      }
    }
    launches.sort(
        Comparator.comparingInt((Launch l) -> l.component().startPhase())
            .thenComparing(l -> l.component().ordinal())
            .thenComparing(Launch::name));
    return List.copyOf(launches);
  }

  static Launch of(
      Component c, StackOptions options, Layout layout, Secrets secrets, String javaBin) {
    return of(c, 1, options, layout, secrets, javaBin);
  }

  /** The launch of instance {@code n} (from 1) of {@code c}. */
  static Launch of(
      Component c, int n, StackOptions options, Layout layout, Secrets secrets, String javaBin) {
    String name = Topology.name(c, n);
    int port = options.topology().port(c, n, options.portOffset());
    String host = options.connectAddress();
    return switch (c.kind()) {
      case KAFKA ->
          new Launch(
              c,
              name,
              KafkaBroker.serverCommand(javaBin, layout.kafkaLib(), layout.kafkaConfig(name)),
              Map.of(),
              host,
              port,
              options.urlHost() + ":" + port,
              layout.log(name));
      case MONGO -> {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(MONGO_JVM_OPTIONS);
        cmd.addAll(options.mongoJavaOptions());
        cmd.add("-cp");
        cmd.add(Layout.launcherCode() + File.pathSeparator + layout.mongoLib().resolve("*"));
        cmd.add(MongoWireServer.class.getName());
        cmd.add("--bind");
        cmd.add(options.bindAddress());
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        if (options.inMemory()) {
          cmd.add("--in-memory");
        } else {
          cmd.add("--file");
          cmd.add(layout.mongoStore().toString());
        }
        yield new Launch(
            c, name, List.copyOf(cmd), Map.of(), host, port, mongoUri(options), layout.log(name));
      }
      case ZIPKIN -> ZipkinLaunch.of(c, options, layout, javaBin);
      case HTTP -> {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(HTTP_JVM_OPTIONS);
        cmd.addAll(options.serviceJavaOptions());
        cmd.add("-jar");
        cmd.add(layout.stagedJar(c).toString());
        yield new Launch(
            c,
            name,
            List.copyOf(cmd),
            httpEnvironment(c, n, options, layout, secrets),
            host,
            port,
            "http://" + options.urlHost() + ":" + port,
            layout.log(name));
      }
    };
  }

  /**
   * The shared environment conventions: every HTTP component learns the address and port it listens
   * on, its own Mongo database, Kafka, the registry and the API/management secrets; the sealing
   * keys, the code HMAC key, the Vonage settings and the sandbox's fictional phone range go only to
   * the components that use them.
   */
  static Map<String, String> httpEnvironment(
      Component c, StackOptions options, Layout layout, Secrets secrets) {
    return httpEnvironment(c, 1, options, layout, secrets);
  }

  /** As above for instance {@code n} of the component: its own port, folder and instance id. */
  static Map<String, String> httpEnvironment(
      Component c, int n, StackOptions options, Layout layout, Secrets secrets) {
    String name = Topology.name(c, n);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SIGNET_PORT", Integer.toString(options.topology().port(c, n, options.portOffset())));
    // Spring Boot's server.address: without it a component listens on every interface.
    env.put("SERVER_ADDRESS", options.bindAddress());
    env.put("SIGNET_MONGODB_URI", mongoUri(options) + "/signet-" + c.module());
    env.put("SIGNET_KAFKA_BOOTSTRAP", kafkaBootstrap(options));
    env.put("SIGNET_SCHEMA_REGISTRY_URL", httpUrl(options, Component.REGISTRY));
    env.put("SIGNET_DATA_DIR", layout.componentDir(name).toString());
    KafkaPrincipal.of(c)
        .ifPresent(
            principal -> {
              // Every Kafka client authenticates as its own principal (deploy/kafka/acls.conf).
              env.put("SIGNET_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
              env.put("SIGNET_KAFKA_SASL_MECHANISM", KafkaBroker.MECHANISM);
              env.put("SIGNET_KAFKA_USERNAME", principal.username());
              env.put("SIGNET_KAFKA_PASSWORD", secrets.kafkaPassword(principal));
            });
    if (c == Component.REGISTRY) {
      env.put(
          Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD,
          secrets.get(Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD));
    } else if (KafkaPrincipal.of(c).isPresent()) {
      // The services register their event schemas: the registry's writer credential.
      env.put("SIGNET_SCHEMA_REGISTRY_USER_INFO", registryUserInfo(secrets));
      // Static consumer-group membership: a restarted service takes its partitions back at once.
      env.put("SIGNET_INSTANCE_ID", "local-" + name);
      // A dead instance that is not restarted loses its partitions to the others within about
      // 3.5 s (the broker allows sessions this short: KafkaBroker.MIN_SESSION_TIMEOUT_MS).
      if (System.getenv(SESSION_TIMEOUT_ENV) == null) {
        env.put(SESSION_TIMEOUT_ENV, LOCAL_SESSION_TIMEOUT);
      }
    }
    if (options.components().contains(Component.ZIPKIN)) {
      ZipkinLaunch.tracingEnvironment(env, c, options);
    }
    env.put(Secrets.API_SECRET, secrets.apiSecret());
    env.put(Secrets.MANAGEMENT_SECRET, secrets.managementSecret());
    switch (c) {
      case CHALLENGE -> challengeEnvironment(env, options, secrets);
      case DISPATCHER -> dispatcherEnvironment(env, options, secrets);
      case SANDBOX -> sandboxEnvironment(env, options, secrets);
      case AUDIT -> auditEnvironment(env, options, secrets);
      default -> {
        // registry and rules need only the shared settings
      }
    }
    return env;
  }

  private static void challengeEnvironment(
      Map<String, String> env, StackOptions options, Secrets secrets) {
    seal(env, secrets);
    env.put(Secrets.CODE_HMAC_KEY, secrets.get(Secrets.CODE_HMAC_KEY));
    env.put(Secrets.TOKEN_SIGNING_KEYS, secrets.get(Secrets.TOKEN_SIGNING_KEYS));
    env.put(Secrets.TOKEN_ACTIVE_KEY_ID, secrets.get(Secrets.TOKEN_ACTIVE_KEY_ID));
    // The sandbox's phones are fictional numbers, which challenge-service refuses unless told.
    env.put(StackOptions.FICTIONAL_NUMBER_PREFIXES_ENV, options.fictionalNumberPrefixes());
  }

  private static void dispatcherEnvironment(
      Map<String, String> env, StackOptions options, Secrets secrets) {
    seal(env, secrets);
    env.put("SIGNET_VONAGE_BASE_URI", httpUrl(options, Component.SANDBOX));
    env.put(Secrets.VONAGE_API_KEY, secrets.get(Secrets.VONAGE_API_KEY));
    env.put(Secrets.VONAGE_API_SECRET, secrets.get(Secrets.VONAGE_API_SECRET));
    env.put(Secrets.VONAGE_SIGNATURE_SECRET, secrets.get(Secrets.VONAGE_SIGNATURE_SECRET));
    // WhatsApp senders are numbers; a fictional one for the sandbox.
    env.put("SIGNET_WHATSAPP_SENDER", "447700900000");
    // Twilio, for routing rules that name it: the sandbox's Programmable Messaging API.
    env.put("SIGNET_TWILIO_BASE_URI", httpUrl(options, Component.SANDBOX));
    env.put(Secrets.TWILIO_ACCOUNT_SID, secrets.get(Secrets.TWILIO_ACCOUNT_SID));
    env.put(Secrets.TWILIO_AUTH_TOKEN, secrets.get(Secrets.TWILIO_AUTH_TOKEN));
    env.put("SIGNET_TWILIO_FROM", "+15005550006");
    env.put(
        "SIGNET_TWILIO_STATUS_CALLBACK_URL",
        serviceUrl(options, Component.DISPATCHER) + "/webhooks/twilio/status");
    // Each SMS ends with "@<host> #<code>" for the hosted page's host (docs/hosted-ui.md).
    env.put(StackOptions.WEB_OTP_DOMAIN_ENV, options.webOtpDomain());
  }

  private static void sandboxEnvironment(
      Map<String, String> env, StackOptions options, Secrets secrets) {
    env.put(
        "SIGNET_SANDBOX_RECEIPT_URL",
        serviceUrl(options, Component.DISPATCHER) + "/webhooks/vonage/delivery-receipt");
    env.put("SIGNET_SANDBOX_SIGNATURE_SECRET", secrets.get(Secrets.VONAGE_SIGNATURE_SECRET));
    env.put(Secrets.VONAGE_API_KEY, secrets.get(Secrets.VONAGE_API_KEY));
    env.put(Secrets.VONAGE_API_SECRET, secrets.get(Secrets.VONAGE_API_SECRET));
    env.put(Secrets.TWILIO_ACCOUNT_SID, secrets.get(Secrets.TWILIO_ACCOUNT_SID));
    env.put(Secrets.TWILIO_AUTH_TOKEN, secrets.get(Secrets.TWILIO_AUTH_TOKEN));
  }

  private static void auditEnvironment(
      Map<String, String> env, StackOptions options, Secrets secrets) {
    // The dashboard's review decisions go to challenge-service's server API.
    env.put("SIGNET_CHALLENGE_URL", serviceUrl(options, Component.CHALLENGE));
    // The dashboard's routes page: rules through rules-service, circuits from a dispatcher.
    env.put("SIGNET_RULES_URL", serviceUrl(options, Component.RULES));
    env.put("SIGNET_DISPATCHER_URL", serviceUrl(options, Component.DISPATCHER));
    // The developer's dashboard account, hashed: the password itself never leaves the launcher.
    env.put("SIGNET_DASHBOARD_OPERATORS", secrets.dashboardOperators(new SecureRandom()));
    // A development stack: webhooks may go to a receiver on this machine over plain http.
    env.put("SIGNET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
  }

  private static void seal(Map<String, String> env, Secrets secrets) {
    env.put(Secrets.SEAL_KEYS, secrets.get(Secrets.SEAL_KEYS));
    env.put(Secrets.SEAL_ACTIVE_KEY_ID, secrets.get(Secrets.SEAL_ACTIVE_KEY_ID));
  }

  /** The services' consumer session ({@code signet.kafka.session-timeout}). */
  static final String SESSION_TIMEOUT_ENV = "SIGNET_KAFKA_SESSION_TIMEOUT";

  /**
   * The local stack's consumer session: half the platform's default, which a broker allows only
   * when its {@code group.min.session.timeout.ms} is lowered as the local brokers' is.
   */
  static final String LOCAL_SESSION_TIMEOUT = "3s";

  /** The user name of the registry's writer; its password is a generated secret. */
  static final String REGISTRY_WRITER = "schema-writer";

  static String registryUserInfo(Secrets secrets) {
    return REGISTRY_WRITER + ":" + secrets.get(Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD);
  }

  static String httpUrl(StackOptions options, Component c) {
    return "http://" + options.urlHost() + ":" + c.port(options.portOffset());
  }

  /**
   * Where other components reach a service: its entry point in cluster mode (so that a request
   * never depends on one instance), else the service itself.
   */
  static String serviceUrl(StackOptions options, Component c) {
    Integer entry = options.topology().entryPorts().get(c);
    return entry == null ? httpUrl(options, c) : "http://" + options.urlHost() + ":" + entry;
  }

  /** Every broker's address: a client that starts while one broker is down still connects. */
  static String kafkaBootstrap(StackOptions options) {
    return String.join(
        ",",
        options.topology().brokers().stream()
            .map(b -> options.urlHost() + ":" + b.port())
            .toList());
  }

  static String mongoUri(StackOptions options) {
    return "mongodb://" + options.urlHost() + ":" + Component.MONGO.port(options.portOffset());
  }
}
