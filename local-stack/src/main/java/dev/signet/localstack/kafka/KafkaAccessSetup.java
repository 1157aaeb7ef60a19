package dev.signet.localstack.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Applies Signet's Kafka access plan to the local stack's broker as the admin super user, in its
 * own JVM with the broker's class path: sets the SCRAM password of every principal, makes the ACLs
 * of Signet's principals exactly those of {@code acls.conf} (adding what is missing, removing what
 * the plan no longer grants), and creates the topics of {@code topics.conf} that do not exist yet.
 * The same two files drive the docker-compose deployment, so both stacks enforce one matrix.
 *
 * <p>Reads the bootstrap address ({@code SIGNET_KAFKA_BOOTSTRAP}), the admin password ({@code
 * SIGNET_KAFKA_ADMIN_PASSWORD}) and the users ({@code SIGNET_KAFKA_SCRAM_USERS}, one {@code
 * name=password} per line) from its environment, never from its command line; {@code
 * --max-partitions N} caps the plan's partition counts (a single local broker needs no 12).
 */
public final class KafkaAccessSetup {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private KafkaAccessSetup() {}

  /** One line of acls.conf. */
  record Grant(
      String principal,
      AclOperation operation,
      ResourceType resourceType,
      PatternType patternType,
      String name) {

    AclBinding binding() {
      return new AclBinding(
          new ResourcePattern(resourceType, name, patternType),
          new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }
  }

  /** One line of topics.conf. */
  record PlannedTopic(
      String name, int partitions, String cleanup, String retentionMs, boolean deadLetter) {}

  public static void main(String[] args) throws Exception {
    int maxPartitions = Integer.MAX_VALUE;
    short replicas = 1;
    int minInSync = 1;
    for (int i = 0; i < args.length - 1; i++) {
      switch (args[i]) {
        case "--max-partitions" -> maxPartitions = Integer.parseInt(args[++i]);
        case "--replication-factor" -> replicas = Short.parseShort(args[++i]);
        case "--min-insync-replicas" -> minInSync = Integer.parseInt(args[++i]);
        default -> {
          // not an option of ours
        }
      }
    }
    Map<String, String> env = System.getenv();
    Map<String, String> users = users(env.getOrDefault("SIGNET_KAFKA_SCRAM_USERS", ""));
    List<Grant> grants = grants(resource("acls.conf"));
    List<PlannedTopic> topics = topics(resource("topics.conf"));

    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("SIGNET_KAFKA_BOOTSTRAP"));
    config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
            + " password=\""
            + env.get("SIGNET_KAFKA_ADMIN_PASSWORD")
            + "\";");
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "signet-local-stack-setup");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    try (Admin admin = Admin.create(config)) {
      awaitBroker(admin, replicas);
      setPasswords(admin, users);
      int[] changed = applyAcls(admin, grants, users.keySet());
      int created =
          TopicSetup.createTopics(
              admin, topics, new TopicSetup.Replication(maxPartitions, replicas, minInSync));
      System.out.printf(
          Locale.ROOT,
          "kafka access plan applied: %d SCRAM users, %d ACLs (%d added, %d removed), %d topics"
              + " created%n",
          users.size(),
          grants.size(),
          changed[0],
          changed[1],
          created);
    }
  }

  /**
   * Waits until {@code brokers} brokers have joined the cluster (a topic needs one per replica).
   */
  private static void awaitBroker(Admin admin, int brokers) throws InterruptedException {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (true) {
      try {
        if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= brokers) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("Fewer than " + brokers + " brokers joined the cluster");
        }
        Thread.sleep(500);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        if (cause instanceof org.apache.kafka.common.errors.SaslAuthenticationException) {
          throw new IllegalStateException(
              "The broker refuses the admin password. Its log dir was formatted with another one:"
                  + " restore SIGNET_KAFKA_ADMIN_PASSWORD or delete the data folder's kafka"
                  + " directory.",
              cause);
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("The broker did not answer: " + cause, cause);
        }
        Thread.sleep(500);
      }
    }
  }

  private static void setPasswords(Admin admin, Map<String, String> users) throws Exception {
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    for (var user : users.entrySet()) {
      upserts.add(
          new UserScramCredentialUpsertion(
              user.getKey(),
              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
              user.getValue()));
    }
    if (!upserts.isEmpty()) {
      admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Returns {added, removed}. Only the ACLs of the principals named in the plan are touched. */
  private static int[] applyAcls(Admin admin, List<Grant> grants, Set<String> managedUsers)
      throws Exception {
    Set<AclBinding> wanted = grants.stream().map(Grant::binding).collect(Collectors.toSet());
    Set<String> managed = new HashSet<>();
    managedUsers.forEach(u -> managed.add("User:" + u));
    grants.forEach(g -> managed.add("User:" + g.principal()));
    Set<AclBinding> existing =
        new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
    List<AclBinding> stale =
        existing.stream()
            .filter(b -> managed.contains(b.entry().principal()) && !wanted.contains(b))
            .toList();
    List<AclBinding> missing = wanted.stream().filter(b -> !existing.contains(b)).toList();
    if (!stale.isEmpty()) {
      admin
          .deleteAcls(stale.stream().map(AclBinding::toFilter).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    if (!missing.isEmpty()) {
      admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
    }
    return new int[] {missing.size(), stale.size()};
  }

  static Map<String, String> users(String lines) {
    Map<String, String> users = new LinkedHashMap<>();
    for (String line : lines.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        users.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return users;
  }

  static List<Grant> grants(List<String> lines) {
    List<Grant> grants = new ArrayList<>();
    for (String[] f : rows(lines, 5, "acls.conf")) {
      grants.add(
          new Grant(
              f[0],
              enumValue(AclOperation.class, f[1]),
              enumValue(ResourceType.class, f[2]),
              enumValue(PatternType.class, f[3]),
              f[4]));
    }
    return List.copyOf(grants);
  }

  static List<PlannedTopic> topics(List<String> lines) {
    List<PlannedTopic> topics = new ArrayList<>();
    for (String[] f : rows(lines, 5, "topics.conf")) {
      topics.add(new PlannedTopic(f[0], Integer.parseInt(f[1]), f[2], f[3], f[4].equals("yes")));
    }
    return List.copyOf(topics);
  }

  private static List<String[]> rows(List<String> lines, int fields, String file) {
    List<String[]> rows = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] f = trimmed.split("\\s+");
      if (f.length != fields) {
        throw new IllegalArgumentException(file + ": expected " + fields + " fields: " + line);
      }
      rows.add(f);
    }
    return rows;
  }

  /** Matches {@code DescribeConfigs}, {@code describe_configs} or {@code DESCRIBE_CONFIGS}. */
  static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
    String wanted = text.replace("_", "").toLowerCase(Locale.ROOT);
    Map<String, E> byName = new HashMap<>();
    for (E e : type.getEnumConstants()) {
      byName.put(e.name().replace("_", "").toLowerCase(Locale.ROOT), e);
    }
    E value = byName.get(wanted);
    if (value == null) {
      throw new IllegalArgumentException("Unknown " + type.getSimpleName() + ": " + text);
    }
    return value;
  }

  static List<String> resource(String name) {
    try (InputStream in = KafkaAccessSetup.class.getResourceAsStream("/kafka/" + name)) {
      if (in == null) {
        throw new IllegalStateException("kafka/" + name + " is missing from the launcher's jar");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
