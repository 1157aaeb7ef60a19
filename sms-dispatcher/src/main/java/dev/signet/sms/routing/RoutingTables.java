package dev.signet.sms.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The routing table in force: the default routes until the send policy published by rules-service
 * carries routing rules, then the rules of the highest policy version seen. A tombstone of the
 * policy brings the default routes back.
 */
@Component
public class RoutingTables {

  private static final Logger log = LoggerFactory.getLogger(RoutingTables.class);

  private final AtomicReference<RoutingTable> current = new AtomicReference<>(RoutingTable.DEFAULT);

  RoutingTables(MeterRegistry meters) {
    // The policy version the rules in force came with (0: default routes), so an operator sees
    // when a change reached this instance.
    Gauge.builder("signet.sms.routing.version", current, c -> c.get().version())
        .description("Send policy version of the routing rules in force; 0 = default routes")
        .register(meters);
  }

  public RoutingTable current() {
    return current.get();
  }

  /** Applies the rules of a policy version, unless a higher version is in force already. */
  public void apply(RoutingTable table) {
    RoutingTable before =
        current.getAndUpdate(held -> table.version() < held.version() ? held : table);
    if (table.version() >= before.version() && !table.rules().equals(before.rules())) {
      log.info("routing rules applied version={} rules={}", table.version(), table.rules().size());
    }
  }

  /** Back to the default routes (the policy was deleted). */
  public void revertToDefault() {
    current.set(RoutingTable.DEFAULT);
    log.info("routing rules removed, default routes in force");
  }
}
