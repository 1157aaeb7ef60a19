package dev.signet.bench;

import dev.signet.testsupport.LocalStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routing rules of the {@code lifted-routed} configuration, published through the management
 * API as an operator would, then awaited until the dispatcher reports holding them: a run that
 * measured the defaults by mistake would compare nothing.
 */
final class RoutingRules {

  /**
   * Every region's SMS drawn between the Vonage SMS API and Twilio in equal shares, each the
   * other's fallback: the dispatcher draws a route, builds the order and names it in the claim for
   * every message, and both providers carry traffic.
   */
  static final String BENCH =
      "{\"rules\":[{\"country\":\"*\",\"channel\":\"SMS\",\"routes\":["
          + "{\"provider\":\"vonage\",\"api\":\"sms\",\"weight\":50},"
          + "{\"provider\":\"twilio\",\"api\":\"messaging\",\"weight\":50}]}]}";

  static final String DESCRIPTION = "every SMS drawn 50/50 between Vonage SMS API and Twilio";

  private static final Pattern VERSION =
      Pattern.compile(
          "^signet_sms_routing_version(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);

  private RoutingRules() {}

  /** Publishes {@link #BENCH} and waits until the dispatcher holds that policy version. */
  static long apply(Api api, LocalStack stack, Duration timeout) throws Exception {
    String bearer = "Bearer " + stack.managementSecret();
    HttpResponse<String> put =
        api.put(stack.url("rules") + "/v1/management/send-policy/routing", bearer, BENCH).get();
    if (put.statusCode() != 200) {
      throw new IllegalStateException(
          "routing rules refused: " + put.statusCode() + " " + put.body());
    }
    long version = Api.parse(put.body()).path("version").asLong();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> metrics =
          api.sendNow("GET", stack.url("dispatcher") + "/actuator/prometheus", bearer);
      Matcher m = VERSION.matcher(metrics.body());
      if (m.find() && Double.parseDouble(m.group(1)) >= version) {
        return version;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new IllegalStateException(
        "the dispatcher did not report the routing rules within " + timeout);
  }
}
