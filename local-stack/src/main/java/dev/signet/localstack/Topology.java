package dev.signet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many processes each component runs as, and on which ports. The standard stack runs one of
 * each on its fixed ports. Cluster mode ({@code --cluster}) runs three Kafka brokers and two
 * instances of each service; the first of each keeps its fixed port, the others and the two entry
 * points ({@link EntryPoint}) get free ports picked when the launcher starts.
 *
 * @param brokers the Kafka brokers, node id 1 first
 * @param instancePorts the HTTP port of each instance of each service, the first one's fixed
 * @param entryPorts the port of each entry point, by the service it fronts (none unless cluster)
 */
record Topology(
    List<Broker> brokers,
    Map<Component, List<Integer>> instancePorts,
    Map<Component, Integer> entryPorts) {

  /** Brokers in cluster mode: enough for replication factor 3 with one broker down. */
  static final int CLUSTER_BROKERS = 3;

  /** Instances of each service in cluster mode. */
  static final int CLUSTER_INSTANCES = 2;

  /** The services that run as several instances in cluster mode. */
  static final List<Component> SERVICES =
      List.of(Component.CHALLENGE, Component.RULES, Component.DISPATCHER, Component.AUDIT);

  /** One broker: its KRaft node id, its client port and its controller port. */
  record Broker(int nodeId, int port, int controllerPort) {}

  Topology {
    brokers = List.copyOf(brokers);
    instancePorts = Map.copyOf(instancePorts);
    entryPorts = Map.copyOf(entryPorts);
  }

  /** One broker and one instance of everything, on the fixed ports. */
  static Topology single(int portOffset) {
    return new Topology(
        List.of(
            new Broker(
                1, Component.KAFKA.port(portOffset), Component.KAFKA_CONTROLLER_PORT + portOffset)),
        Map.of(),
        Map.of());
  }

  /** Three brokers, two instances of each service and two entry points; extra ports free ones. */
  static Topology cluster(int portOffset) {
    return of(CLUSTER_BROKERS, CLUSTER_INSTANCES, portOffset);
  }

  /**
   * What the options ask for: {@code --cluster} (three brokers, two instances unless {@code
   * instances} says otherwise), {@code --instances N} alone (one broker), or neither.
   */
  static Topology of(boolean cluster, int instances, int portOffset) {
    return of(
        cluster ? CLUSTER_BROKERS : 1,
        instances > 0 ? instances : cluster ? CLUSTER_INSTANCES : 1,
        portOffset);
  }

  /**
   * {@code brokerCount} brokers and {@code instanceCount} instances of each service, with entry
   * points in front of the services when there are several instances; extra ports free ones.
   */
  static Topology of(int brokerCount, int instanceCount, int portOffset) {
    if (brokerCount == 1 && instanceCount == 1) {
      return single(portOffset);
    }
    List<Broker> brokers = new ArrayList<>();
    brokers.add(single(portOffset).brokers().get(0));
    for (int id = 2; id <= brokerCount; id++) {
      brokers.add(new Broker(id, freePort(), freePort()));
    }
    Map<Component, List<Integer>> instances = new EnumMap<>(Component.class);
    for (Component service : SERVICES) {
      List<Integer> ports = new ArrayList<>();
      ports.add(service.port(portOffset));
      for (int i = 2; i <= instanceCount; i++) {
        ports.add(freePort());
      }
      instances.put(service, List.copyOf(ports));
    }
    Map<Component, Integer> entries = new EnumMap<>(Component.class);
    for (Component fronted : instanceCount > 1 ? EntryPoint.FRONTED : List.<Component>of()) {
      entries.put(fronted, freePort());
    }
    return new Topology(brokers, instances, entries);
  }

  boolean isCluster() {
    return brokers.size() > 1;
  }

  /** Whether any service runs as several instances (behind entry points). */
  boolean hasInstances() {
    return !entryPorts.isEmpty();
  }

  /** How many processes run {@code component}. */
  int instances(Component component) {
    if (component == Component.KAFKA) {
      return brokers.size();
    }
    List<Integer> ports = instancePorts.get(component);
    return ports == null ? 1 : ports.size();
  }

  /** The port of instance {@code n} (from 1) of {@code component}. */
  int port(Component component, int n, int portOffset) {
    if (component == Component.KAFKA) {
      return brokers.get(n - 1).port();
    }
    List<Integer> ports = instancePorts.get(component);
    return ports == null ? component.port(portOffset) : ports.get(n - 1);
  }

  /**
   * The name of instance {@code n}: the component's id for the first ({@code challenge}), with the
   * number after it for the others ({@code challenge-2}, {@code kafka-3}).
   */
  static String name(Component component, int n) {
    return n == 1 ? component.id() : component.id() + "-" + n;
  }

  /**
   * The replication factor of every topic: three on three brokers, one on one; an acknowledged
   * event is then on {@link #minInSyncReplicas()} brokers at least.
   */
  int replicationFactor() {
    return Math.min(brokers.size(), CLUSTER_BROKERS);
  }

  /**
   * The most partitions a topic of the plan gets here: three for one instance of each service (its
   * listeners' concurrency), three per instance in a cluster, so that each instance's consumers get
   * a share (with three, the range assignor would give all of them to one instance).
   */
  int maxPartitions() {
    int instances = instancePorts.values().stream().mapToInt(List::size).max().orElse(1);
    return KafkaBroker.LOCAL_MAX_PARTITIONS * instances;
  }

  int minInSyncReplicas() {
    return replicationFactor() >= 3 ? 2 : 1;
  }

  /** A port nothing listens on now, chosen by the kernel (above the fixed ports' range). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }
}
