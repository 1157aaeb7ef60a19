package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request line reaches the server exactly as written: nothing normalised, nothing encoded. */
class RawHttpTest {

  private static ServerSocket server;
  private static final List<String> REQUEST_LINES = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startAServerThatRecordsRequestLines() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                  var in =
                      new BufferedReader(
                          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                  REQUEST_LINES.add(in.readLine());
                  String body = "{\"error\":\"not_found\"}";
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                              + "Content-Length: "
                              + body.length()
                              + "\r\nConnection: close\r\n\r\n"
                              + body)
                          .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                  // closed at the end of the test
                }
              }
            });
    accept.setDaemon(true);
    accept.start();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  @Test
  void sendsEveryHostileSpellingAsItIs() {
    RawHttp http = new RawHttp();
    String origin = "http://127.0.0.1:" + server.getLocalPort();
    List<String> paths =
        List.of(
            "/v1/./users",
            "/v1/x/../users",
            "/v1//users",
            "/v1;x/users",
            "/%76%31/users",
            "/v1%2fusers",
            "/v1/users%00",
            "/v1\\users",
            "/v1/users/" + "a".repeat(PathVariants.OVERLONG));

    for (String path : paths) {
      RawHttp.Answer answer =
          http.send(origin, new RawHttp.Request("GET", path, Map.of(), null, null));

      assertThat(answer.status()).as(path).isEqualTo(404);
      assertThat(answer.body()).as(path).isEqualTo("{\"error\":\"not_found\"}");
      assertThat(REQUEST_LINES).as(path).contains("GET " + path + " HTTP/1.1");
    }
  }

  @Test
  void readsAChunkedAnswer() {
    byte[] raw =
        ("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"err\r\n8\r\nor\":\"x\"}\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    RawHttp.Answer answer = RawHttp.parse(raw);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.body()).isEqualTo("{\"error\":\"x\"}");
  }
}
