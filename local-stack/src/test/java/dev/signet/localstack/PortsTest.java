package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void reportsWhichComponentsPortIsTakenAndHowToAvoidIt() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int offset = squatter.getLocalPort() - Component.MONGO.port(0);

      List<Ports.Taken> taken = Ports.taken(List.of(Component.MONGO), offset);

      assertThat(taken).containsExactly(new Ports.Taken(Component.MONGO, squatter.getLocalPort()));
      assertThat(taken.get(0).message())
          .contains("Port " + squatter.getLocalPort() + " (mongo) is already in use")
          .contains("--port-offset");
    }
  }

  @Test
  void aPortHeldOnAnyInterfaceIsNotFree() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0)) {
      assertThat(Ports.isFree(squatter.getLocalPort())).isFalse();
      assertThat(Ports.accepts(squatter.getLocalPort())).isTrue();
    }
  }

  @Test
  void aReleasedPortIsFreeAgain() throws Exception {
    int port;
    try (ServerSocket squatter = new ServerSocket(0)) {
      port = squatter.getLocalPort();
    }
    assertThat(Ports.isFree(port)).isTrue();
    assertThat(Ports.accepts(port)).isFalse();
  }

  @Test
  void kafkaNeedsItsBrokerAndControllerPortsShiftedByTheOffset() {
    assertThat(Component.KAFKA.ports(100)).containsExactly(9192, 9193);
    assertThat(Component.CHALLENGE.ports(100)).containsExactly(8180);
  }
}
