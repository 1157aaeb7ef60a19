package dev.signet.localstack;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The table printed once every component is ready: URLs, pids, start-up times, RSS, secrets. */
final class StartupTable {

  private static final String ROW = "  %-12s %-26s %-8s %-9s %-9s %s%n";

  private StartupTable() {}

  static String render(
      StackOptions options,
      Layout layout,
      Duration startup,
      List<StackDescription.Entry> entries,
      Secrets secrets) {
    StringBuilder b = new StringBuilder();
    b.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "Signet local stack is up: %d components ready %.1f s after launch (%s)%n%n",
                entries.size(),
                startup.toMillis() / 1000.0,
                options.inMemory()
                    ? "in memory, data is thrown away on stop"
                    : "data kept in " + layout.display(layout.dataDir())));
    b.append(String.format(Locale.ROOT, ROW, "COMPONENT", "URL", "PID", "READY IN", "RSS", "LOG"));
    long total = 0;
    for (StackDescription.Entry e : entries) {
      total += Math.max(0, e.rssKib());
      b.append(
          String.format(
              Locale.ROOT,
              ROW,
              e.name(),
              e.url(),
              e.pid(),
              String.format(Locale.ROOT, "%.1f s", e.startupMillis() / 1000.0),
              mib(e.rssKib()),
              layout.display(e.log())));
    }
    b.append(String.format(Locale.ROOT, ROW, "total", "", "", "", mib(total), ""));
    b.append('\n');
    appendSecrets(b, options, layout, entries, secrets);
    b.append('\n').append("  Stop with Ctrl-C.").append('\n').append('\n');
    return b.toString();
  }

  private static void appendSecrets(
      StringBuilder b,
      StackOptions options,
      Layout layout,
      List<StackDescription.Entry> entries,
      Secrets secrets) {
    b.append("  API secret          ").append(secrets.apiSecret()).append('\n');
    b.append("  Management secret   ").append(secrets.managementSecret()).append('\n');
    for (StackDescription.Entry e : entries) {
      if (e.component() == Component.AUDIT && e.name().equals(Component.AUDIT.id())) {
        b.append("  Operator dashboard  ")
            .append(e.url())
            .append("/dashboard/ (sign in with the management secret)")
            .append('\n');
      }
      if (e.component() == Component.ZIPKIN) {
        b.append("  Traces (Zipkin UI)  ").append(e.url()).append("/zipkin/").append('\n');
      }
    }
    if (options.topology().hasInstances()) {
      b.append("  Cluster             ")
          .append(options.topology().brokers().size())
          .append(" broker(s), every topic with replication factor ")
          .append(options.topology().replicationFactor())
          .append(" and min.insync.replicas ")
          .append(options.topology().minInSyncReplicas())
          .append("; the gateway and webhooks rows")
          .append('\n')
          .append("                      round-robin over the instances (logs/gateway.log);")
          .append(" keep a killed process down: touch ")
          .append(layout.display(layout.holdFile("<name>")))
          .append('\n');
    }
    b.append("  Kafka               SASL/SCRAM-SHA-512 and ACLs, one user per component")
        .append(" (passwords in the secrets file)")
        .append('\n');
    b.append("  Other secrets       ").append(layout.display(layout.secretsFile())).append('\n');
    b.append("  Stack description   ").append(layout.display(layout.stackFile())).append('\n');
  }

  private static String mib(long kib) {
    return kib < 0 ? "n/a" : (kib + 512) / 1024 + " MiB";
  }
}
