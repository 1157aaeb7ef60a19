package dev.signet.localstack;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * One instance behind an {@link EntryPoint} and what its health checks have said lately: out of
 * rotation after {@link #FALL} failed checks in a row (or at once, {@link #markDown}), back after
 * {@link #RISE} good ones.
 */
final class Upstream {

  static final int FALL = 2;
  static final int RISE = 2;

  final String name;
  final URI base;
  private final String readinessPath;
  private volatile boolean inRotation = true;
  private int failures;
  private int successes;

  Upstream(String name, String baseUrl, String readinessPath) {
    this.name = name;
    this.base = URI.create(baseUrl);
    this.readinessPath = readinessPath;
  }

  boolean inRotation() {
    return inRotation;
  }

  /** Runs one check; the change of rotation it caused, if any, as a message. */
  synchronized Optional<String> check(HttpClient client) {
    String problem = probe(client);
    if (problem == null) {
      failures = 0;
      if (!inRotation && ++successes >= RISE) {
        inRotation = true;
        return Optional.of(name + " is back in rotation");
      }
    } else {
      successes = 0;
      if (inRotation && ++failures >= FALL) {
        inRotation = false;
        return Optional.of(name + " is out of rotation (" + problem + ")");
      }
    }
    return Optional.empty();
  }

  /** Out of rotation now; the message when it was in rotation until now. */
  synchronized Optional<String> markDown(String why) {
    successes = 0;
    if (!inRotation) {
      return Optional.empty();
    }
    inRotation = false;
    return Optional.of(name + " is out of rotation (" + why + ")");
  }

  /** Null when the instance's readiness probe answers 200, else what went wrong. */
  private String probe(HttpClient client) {
    try {
      int status =
          client
              .send(
                  HttpRequest.newBuilder(base.resolve(readinessPath))
                      .timeout(Duration.ofSeconds(1))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      return status == 200 ? null : "readiness answered " + status;
    } catch (ConnectException e) {
      return "connection refused";
    } catch (IOException e) {
      return "readiness check failed: " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
