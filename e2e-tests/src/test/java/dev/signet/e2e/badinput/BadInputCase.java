package dev.signet.e2e.badinput;

import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One row of the bad-input table: the request (method, path, content type, extra headers, body,
 * authorization) and what must come back (status, error code or {@code null} for a success, JSON
 * fields by pointer, and whether the fixture's phone must receive the SMS). Paths and string bodies
 * may use {@code ${phone}} and {@code ${challengeId}}, filled per row by {@link
 * BadInputIT.Fixture}.
 *
 * @param authorization {@code null} for the stack's API secret, {@code ""} for no header, else the
 *     raw header value
 */
record BadInputCase(
    String name,
    String method,
    String path,
    String contentType,
    Map<String, String> headers,
    Function<BadInputIT.Fixture, byte[]> body,
    String authorization,
    int status,
    String error,
    Map<String, String> fields,
    boolean smsToFixturePhone) {

  static final String JSON = "application/json";

  /** An expected field value meaning "present and not blank". */
  static final String PRESENT = "<present>";

  HttpRequest request(RunningStack stack, BadInputIT.Fixture fixture, Duration timeout) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.apply(fixture));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(fixture.uri(path)).timeout(timeout).method(method, publisher);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (!headers.containsKey("Accept")) {
      request.header("Accept", JSON);
    }
    headers.forEach(request::header);
    if (authorization == null) {
      request.header("Authorization", Http.basic(stack.apiSecret()));
    } else if (!authorization.isEmpty()) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }

  BadInputCase withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new BadInputCase(
        this.name,
        method,
        path,
        contentType,
        copy,
        body,
        authorization,
        status,
        error,
        fields,
        smsToFixturePhone);
  }

  BadInputCase withContentType(String value) {
    return new BadInputCase(
        name,
        method,
        path,
        value,
        headers,
        body,
        authorization,
        status,
        error,
        fields,
        smsToFixturePhone);
  }

  BadInputCase withAuthorization(String value) {
    return new BadInputCase(
        name,
        method,
        path,
        contentType,
        headers,
        body,
        value,
        status,
        error,
        fields,
        smsToFixturePhone);
  }

  /** Expects a documented error body with this status and code. */
  BadInputCase refused(int expectedStatus, String expectedError) {
    return new BadInputCase(
        name,
        method,
        path,
        contentType,
        headers,
        body,
        authorization,
        expectedStatus,
        expectedError,
        fields,
        smsToFixturePhone);
  }

  /** Expects a 200 whose JSON has these values at these pointers. */
  BadInputCase answers(Map<String, String> expectedFields) {
    return new BadInputCase(
        name,
        method,
        path,
        contentType,
        headers,
        body,
        authorization,
        200,
        null,
        Map.copyOf(expectedFields),
        smsToFixturePhone);
  }

  /** Expects a 200 and the SMS at the fixture's phone number (the input normalised to it). */
  BadInputCase deliveredToFixturePhone() {
    return new BadInputCase(
        name, method, path, contentType, headers, body, authorization, 200, null, fields, true);
  }

  @Override
  public String toString() {
    return name + " [" + method + " " + path + "]";
  }
}
