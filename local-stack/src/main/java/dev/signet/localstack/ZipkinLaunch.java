package dev.signet.localstack;

import java.util.List;
import java.util.Map;

/**
 * The local stack's trace backend: the Zipkin server's launch, and what every service is told to
 * export its spans there.
 */
final class ZipkinLaunch {

  private ZipkinLaunch() {}

  /**
   * The Zipkin server on its own port and the launcher's bind address, keeping spans in memory (at
   * most {@value #ZIPKIN_MAX_SPANS}, the oldest dropped first). Its metrics registry warns once at
   * start about a filter it configures late: not the user's to fix.
   */
  static Launch of(Component c, StackOptions options, Layout layout, String javaBin) {
    int port = c.port(options.portOffset());
    return new Launch(
        c,
        c.id(),
        zipkinCommand(javaBin, layout, options, port),
        ZIPKIN_ENV,
        options.connectAddress(),
        port,
        Launch.httpUrl(options, c),
        layout.log(c.id()));
  }

  static List<String> zipkinCommand(String javaBin, Layout layout, StackOptions options, int port) {
    return List.of(
        javaBin,
        "-Xms32m",
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-jar",
        layout.zipkinJar().toString(),
        "--armeria.ports[0].port=" + port,
        "--armeria.ports[0].ip=" + options.bindAddress(),
        "--armeria.ports[0].protocols[0]=http",
        "--zipkin.storage.mem.max-spans=" + ZIPKIN_MAX_SPANS,
        "--logging.level.io.micrometer=error");
  }

  /**
   * About 2 KB of heap per span: 30,000 spans hold about 95 MB live in the 256 MB heap. At 200,000
   * the server ran out of heap after about 100,000 spans (full collections back to back, posts
   * reset, stop slower than its grace period).
   */
  static final int ZIPKIN_MAX_SPANS = 30_000;

  private static final Map<String, String> ZIPKIN_ENV = Map.of("STORAGE_TYPE", "mem");

  /**
   * Every service exports its spans to the stack's Zipkin server and, unless the launcher's own
   * environment says otherwise ({@code SIGNET_TRACING_SAMPLING}), traces every request: a
   * development stack is where one looks at single sign-ins.
   */
  static void tracingEnvironment(Map<String, String> env, Component c, StackOptions options) {
    env.put(
        "MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT",
        Launch.httpUrl(options, Component.ZIPKIN) + "/api/v2/spans");
    if (System.getenv(TRACING_SAMPLING_ENV) == null) {
      env.put(TRACING_SAMPLING_ENV, "1.0");
    }
    if (c == Component.AUDIT) {
      // The dashboard's challenge page links each challenge to its trace there.
      env.put(
          "SIGNET_DASHBOARD_TRACE_URL",
          Launch.httpUrl(options, Component.ZIPKIN) + "/zipkin/traces/{traceId}");
    }
  }

  static final String TRACING_SAMPLING_ENV = "SIGNET_TRACING_SAMPLING";
}
