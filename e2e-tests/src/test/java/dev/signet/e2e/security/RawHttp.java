package dev.signet.e2e.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a request with its path exactly as written: java.net.http keeps a pre-encoded path as it is
 * ({@code /./}, {@code ..}, {@code ;}, {@code %2f} included), and for what {@link URI} refuses (a
 * raw backslash) the request is written by hand on a socket. Never follows redirects, never waits
 * longer than {@link #TIMEOUT}.
 */
final class RawHttp {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_BODY = 1 << 20;
  private static final int LONGEST_POOLED_PATH = 4_000;

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** What to send; {@code body} null for none. */
  record Request(
      String method,
      String rawPath,
      Map<String, String> headers,
      String contentType,
      String body) {}

  /** The answer, or why there was none ({@code failure} non-null, status 0), and its time. */
  record Answer(int status, String contentType, String body, String failure, long millis) {

    static Answer failed(String why) {
      return new Answer(0, "", "", why, 0);
    }

    Answer took(long started) {
      return new Answer(
          status, contentType, body, failure, (System.nanoTime() - started) / 1_000_000);
    }
  }

  /**
   * @param origin e.g. {@code http://127.0.0.1:8380}
   */
  Answer send(String origin, Request request) {
    URI uri = null;
    try {
      uri = URI.create(origin + request.rawPath());
    } catch (IllegalArgumentException e) {
      // not a URI java.net will carry: written by hand below
    }
    long started = System.nanoTime();
    // Past the server's request-line limit the server answers 414 and closes the connection
    // before reading the request; java.net.http then sometimes waits out its whole timeout on the
    // pooled connection, so those requests go on a fresh socket too.
    if (uri != null
        && request.rawPath().equals(uri.getRawPath())
        && request.rawPath().length() < LONGEST_POOLED_PATH) {
      return viaHttpClient(uri, request).took(started);
    }
    return viaSocket(URI.create(origin), request).took(started);
  }

  private Answer viaHttpClient(URI uri, Request request) {
    HttpRequest.BodyPublisher body =
        request.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(request.method(), body);
    builder.header("Accept", "application/json, */*;q=0.5");
    if (request.body() != null) {
      builder.header("Content-Type", request.contentType());
    }
    request.headers().forEach(builder::header);
    try {
      HttpResponse<String> response =
          client.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body() == null ? "" : response.body(),
          null,
          0);
    } catch (HttpTimeoutException e) {
      return Answer.failed("no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return Answer.failed("connection failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted");
    }
  }

  private Answer viaSocket(URI origin, Request request) {
    StringBuilder head = new StringBuilder();
    head.append(request.method()).append(' ').append(request.rawPath()).append(" HTTP/1.1\r\n");
    head.append("Host: ")
        .append(origin.getHost())
        .append(':')
        .append(origin.getPort())
        .append("\r\n");
    head.append("Accept: application/json, */*;q=0.5\r\n");
    head.append("Connection: close\r\n");
    byte[] body =
        request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
    if (request.body() != null) {
      head.append("Content-Type: ").append(request.contentType()).append("\r\n");
    }
    if (request.body() != null || !request.method().equals("GET")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(origin.getHost(), origin.getPort()), 5_000);
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      // One write: a server that refuses the request line closes at once, and body bytes it has
      // not read by then would turn its close into a reset that loses the answer.
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.write(head.toString().getBytes(StandardCharsets.UTF_8));
      bytes.write(body);
      OutputStream out = socket.getOutputStream();
      out.write(bytes.toByteArray());
      out.flush();
      return parse(readAll(socket.getInputStream()));
    } catch (SocketTimeoutException e) {
      return Answer.failed("no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return Answer.failed("connection failed: " + e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int read; (read = in.read(buffer)) != -1 && out.size() < MAX_BODY; ) {
      out.write(buffer, 0, read);
    }
    return out.toByteArray();
  }

  /** Parses an HTTP/1.1 response read to the end of the connection. */
  static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      return Answer.failed(
          "not an HTTP response: " + text.substring(0, Math.min(80, text.length())));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("content-type")) {
        contentType = value;
      } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      }
    }
    String body = text.substring(end + 4);
    if (chunked) {
      body = dechunk(body);
    }
    body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return new Answer(status, contentType, body, null, 0);
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return out.toString();
  }
}
