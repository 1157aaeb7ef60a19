package dev.signet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code <data>/stack.json}: written once every component is healthy (again with the new pid when a
 * crashed component is restarted and ready), removed on stop. Programs that start the stack (the
 * end-to-end tests) poll for it and read URLs and secrets from it:
 *
 * <pre>{@code
 * {"apiSecret":"..","managementSecret":"..","dashboardOperator":"operator",
 *  "dashboardPassword":"..",
 *  "kafka":{"securityProtocol":"SASL_PLAINTEXT","saslMechanism":"SCRAM-SHA-512",
 *           "principals":{"admin":"..","challenge-service":"..", ...}},
 *  "schemaRegistryWriter":{"username":"schema-writer","password":".."},"pid":123,"dataDir":"..","inMemory":false,
 *  "portOffset":0,"startupMillis":41234,
 *  "components":{"kafka":{"url":"127.0.0.1:9092","port":9092,"pid":124,"log":"..",
 *                          "startupMillis":3900,"rssKib":310000}, ...}}
 * }</pre>
 */
final class StackDescription {

  /**
   * The figures of one process at the moment the stack became healthy. {@code name} is its key in
   * {@code components} ({@code challenge}, {@code challenge-2}, {@code kafka-3}, {@code gateway});
   * an entry point runs in the launcher and has the launcher's pid.
   */
  record Entry(
      Component component,
      String name,
      String url,
      int port,
      long pid,
      Path log,
      long startupMillis,
      long rssKib) {

    /** The same component run by another process (restarted). */
    Entry withPid(long newPid) {
      return new Entry(component, name, url, port, newPid, log, startupMillis, rssKib);
    }

    Entry withRss(long kib) {
      return new Entry(component, name, url, port, pid, log, startupMillis, kib);
    }

    /**
     * What this process is: {@code instance} of the component ({@code "of": "challenge",
     * "instance": 2}), or the entry point in front of its instances ({@code "entryPointOf"}).
     */
    boolean isEntryPoint() {
      return name.equals(EntryPoint.name(component));
    }

    int instance() {
      int dash = name.lastIndexOf('-');
      return isEntryPoint()
          ? 0
          : name.equals(component.id()) ? 1 : Integer.parseInt(name.substring(dash + 1));
    }
  }

  private StackDescription() {}

  /** The entries with each process's resident memory now, in the table's order. */
  static List<Entry> measured(List<Entry> entries, java.util.function.LongUnaryOperator rssKib) {
    List<Entry> measured = new java.util.ArrayList<>();
    for (Entry e : entries) {
      measured.add(e.withRss(rssKib.applyAsLong(e.pid())));
    }
    measured.sort(
        java.util.Comparator.comparing((Entry e) -> e.component().ordinal())
            .thenComparing(Entry::name));
    return measured;
  }

  static String json(
      Secrets secrets,
      long launcherPid,
      Layout layout,
      StackOptions options,
      long startupMillis,
      List<Entry> entries) {
    StringBuilder b = new StringBuilder("{\n");
    b.append("  \"apiSecret\": ").append(string(secrets.apiSecret())).append(",\n");
    b.append("  \"managementSecret\": ").append(string(secrets.managementSecret())).append(",\n");
    b.append("  \"dashboardOperator\": ").append(string(secrets.dashboardOperator())).append(",\n");
    b.append("  \"dashboardPassword\": ").append(string(secrets.dashboardPassword())).append(",\n");
    b.append("  \"cluster\": ").append(options.cluster()).append(",\n");
    appendKafka(b, secrets, options);
    b.append("  \"schemaRegistryWriter\": {\"username\": ")
        .append(string(Launch.REGISTRY_WRITER))
        .append(", \"password\": ")
        .append(string(secrets.get(Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD)))
        .append("},\n");
    b.append("  \"pid\": ").append(launcherPid).append(",\n");
    b.append("  \"dataDir\": ").append(string(layout.dataDir().toString())).append(",\n");
    b.append("  \"inMemory\": ").append(options.inMemory()).append(",\n");
    b.append("  \"portOffset\": ").append(options.portOffset()).append(",\n");
    b.append("  \"startupMillis\": ").append(startupMillis).append(",\n");
    b.append("  \"components\": {");
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      b.append(i == 0 ? "\n" : ",\n");
      b.append("    ").append(string(e.name())).append(": {");
      b.append("\"url\": ").append(string(e.url()));
      if (e.isEntryPoint()) {
        b.append(", \"entryPointOf\": ").append(string(e.component().id()));
      } else {
        b.append(", \"of\": ").append(string(e.component().id()));
        b.append(", \"instance\": ").append(e.instance());
      }
      b.append(", \"port\": ").append(e.port());
      b.append(", \"pid\": ").append(e.pid());
      b.append(", \"log\": ").append(string(e.log().toString()));
      b.append(", \"startupMillis\": ").append(e.startupMillis());
      b.append(", \"rssKib\": ").append(e.rssKib());
      b.append("}");
    }
    b.append("\n  }\n}\n");
    return b.toString();
  }

  /** The brokers, the replication of the topics and every principal's password. */
  private static void appendKafka(StringBuilder b, Secrets secrets, StackOptions options) {
    b.append("  \"kafka\": {\"bootstrap\": ")
        .append(string(Launch.kafkaBootstrap(options)))
        .append(", \"replicationFactor\": ")
        .append(options.topology().replicationFactor())
        .append(", \"minInSyncReplicas\": ")
        .append(options.topology().minInSyncReplicas())
        .append(",\n    \"securityProtocol\": \"SASL_PLAINTEXT\", \"saslMechanism\": ")
        .append(string(KafkaBroker.MECHANISM))
        .append(", \"principals\": {");
    KafkaPrincipal[] principals = KafkaPrincipal.values();
    for (int i = 0; i < principals.length; i++) {
      b.append(i == 0 ? "\n" : ",\n");
      b.append("    ")
          .append(string(principals[i].username()))
          .append(": ")
          .append(string(secrets.kafkaPassword(principals[i])));
    }
    b.append("\n  }},\n");
  }

  /**
   * Writes the file atomically so that a poller never reads half of it, mode 600 since it holds the
   * API and management secrets.
   */
  static void write(Path file, String json) {
    try {
      OwnerOnlyFiles.write(file, json);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  static String string(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
