package dev.signet.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Port checks run before anything starts and after everything stopped. */
final class Ports {

  /** A port the stack needs that something else already holds. */
  record Taken(Component component, int port) {
    String message() {
      return "Port "
          + port
          + " ("
          + component.id()
          + ") is already in use. Stop what holds it (see: ss -ltnp 'sport = :"
          + port
          + "') or run a second stack with --port-offset N.";
    }
  }

  private Ports() {}

  /**
   * A port is free when nothing answers on 127.0.0.1 and it can be bound on every interface
   * (components listen on either). Sockets in TIME_WAIT do not count: the JDK binds with
   * SO_REUSEADDR, as Kafka, Netty and Tomcat do.
   */
  static boolean isFree(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return false;
    } catch (IOException expected) {
      // nothing listens on loopback
    }
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static List<Taken> taken(Collection<Component> components, int offset) {
    List<Taken> taken = new ArrayList<>();
    for (Component c : components) {
      for (int port : c.ports(offset)) {
        if (!isFree(port)) {
          taken.add(new Taken(c, port));
        }
      }
    }
    return taken;
  }

  /** True when a TCP connection to 127.0.0.1:port succeeds. */
  static boolean accepts(int port) {
    return accepts(InetAddress.getLoopbackAddress(), port);
  }

  /** True when a TCP connection to host:port succeeds; {@code host} is an IP address. */
  static boolean accepts(String host, int port) {
    try {
      return accepts(InetAddress.getByName(host), port);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
