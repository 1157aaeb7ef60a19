package dev.signet.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The entry points of a stack with several instances of each service, run in the launcher. */
final class EntryPoints implements AutoCloseable {

  private final StackOptions options;
  private final Layout layout;
  private final Consumer<String> say;
  private final List<EntryPoint> started = new CopyOnWriteArrayList<>();

  EntryPoints(StackOptions options, Layout layout, Consumer<String> say) {
    this.options = options;
    this.layout = layout;
    this.say = say;
  }

  /**
   * Cluster mode: a round-robin entry point in front of the instances of each fronted service,
   * ready once one of its instances is in rotation (they all are: each was ready before).
   */
  void start(List<StackDescription.Entry> entries) {
    for (Component fronted : EntryPoint.FRONTED) {
      if (!options.components().contains(fronted)) {
        continue;
      }
      List<Upstream> upstreams = new ArrayList<>();
      for (StackDescription.Entry e : entries) {
        if (e.component() == fronted) {
          upstreams.add(new Upstream(e.name(), e.url(), fronted.readinessPath()));
        }
      }
      Instant begun = Instant.now();
      int port = options.topology().entryPorts().get(fronted);
      String name = EntryPoint.name(fronted);
      Path log = layout.log(name);
      started.add(EntryPoint.start(fronted, options.bindAddress(), port, upstreams, log, say));
      entries.add(
          new StackDescription.Entry(
              fronted,
              name,
              Launch.serviceUrl(options, fronted),
              port,
              ProcessHandle.current().pid(),
              log,
              Duration.between(begun, Instant.now()).toMillis(),
              0));
    }
  }

  /** An instance's process exited: every entry point stops routing to it at once. */
  void exited(String name) {
    started.forEach(e -> e.exited(name));
  }

  @Override
  public void close() {
    started.forEach(EntryPoint::close);
  }
}
