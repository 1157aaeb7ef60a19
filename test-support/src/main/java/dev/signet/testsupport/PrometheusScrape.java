package dev.signet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's {@code /actuator/prometheus} text, read with the management secret. */
public record PrometheusScrape(String text) {

  /** Scrapes the service on {@code 127.0.0.1:port}; fails unless it answers 200. */
  public static PrometheusScrape of(int port, String managementSecret) {
    ServiceHttp.Reply reply =
        ServiceHttp.call(
            port, "GET", "/actuator/prometheus", "Bearer " + managementSecret, null, null);
    assertThat(reply.status()).as("GET /actuator/prometheus").isEqualTo(200);
    return new PrometheusScrape(reply.raw());
  }

  /**
   * The value of one series, named with its labels as exported (sorted by name), 0 when it is not
   * there yet.
   */
  public double value(String series) {
    return text.lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst()
        .orElse(0);
  }
}
