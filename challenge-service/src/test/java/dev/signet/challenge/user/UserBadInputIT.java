package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testsupport.ServiceHttp.Reply;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The bad-input corpus of the users and authenticators endpoints: one row per hostile or broken
 * request, each answered with its documented error body and never a 500. Add rows, not tests.
 */
class UserBadInputIT extends UserItSupport {

  private static final String U = "/v1/users/bad-input-user";
  private static final String AUTH = U + "/authenticators";
  private static final String JSON_TYPE = "application/json";

  @Autowired ReactiveMongoTemplate mongo;

  static Stream<Arguments> corpus() {
    return Stream.of(
        // --- path ids ---
        row("GET", "/v1/users/a%20b", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/%7B%22%24ne%22%3Anull%7D", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/%24ne", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/" + "x".repeat(129), null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/%C3%A9", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/a%00b", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/a%0D%0Ab", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/a%2Fb", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/a%E2%80%8Bb", null, JSON_TYPE, 400, "invalid_request"),
        row("DELETE", "/v1/users/a%20b", null, JSON_TYPE, 400, "invalid_request"),
        row("GET", "/v1/users/a%20b/authenticators", null, JSON_TYPE, 400, "invalid_request"),
        row("DELETE", AUTH + "/%24ne", null, JSON_TYPE, 400, "invalid_request"),
        row("DELETE", AUTH + "/unknown-id", null, JSON_TYPE, 404, "not_found"),
        row("PUT", U, "{}", JSON_TYPE, 405, "method_not_allowed"),
        // --- query parameters ---
        row("GET", "/v1/users?phoneNumber=%2B447700900123%0A", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=0", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=101", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=-1", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=abc", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=1e2", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=99999999999", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?limit=1&limit=2", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?lastEvaluatedUserId=%24gt", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?email=%7B%22%24ne%22%3Anull%7D", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?username=a%00b", null, null, 400, "invalid_request"),
        row("GET", "/v1/users?username=" + "x".repeat(300), null, null, 400, "invalid_request"),
        row("GET", "/v1/users?token=abc", null, null, 400, "invalid_request"),
        // --- user bodies: wrong types and operator injection ---
        row("PATCH", U, "{\"email\":{\"$ne\":null}}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"email\":123}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"email\":[\"a@b.example\"]}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"email\":\"not-an-email\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"email\":\"a b@example.com\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"emailVerified\":\"true\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"emailVerified\":1}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"phoneNumberVerified\":{}}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"phoneNumber\":\"\"}", JSON_TYPE, 400, "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"phoneNumber\":\"" + "9".repeat(65) + "\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row("PATCH", U, "{\"phoneNumber\":447700900123}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"phoneNumber\":[\"+447700900123\"]}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"phoneNumber\":{\"$ne\":null}}", JSON_TYPE, 400, "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"phoneNumber\":\"+447700900123\\n\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"phoneNumber\":\"+44\\u200b7700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"phoneNumber\":\"\\u202e+447700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"phoneNumber\":\"+44\\u00007700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row("PATCH", U, "{\"username\":\"\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"username\":\"a\\u200bb\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"username\":\"\\u202eevil\"}", JSON_TYPE, 400, "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"username\":\"" + "x".repeat(257) + "\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row("PATCH", U, "{\"displayName\":\"x\\u0000y\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"displayName\":\"x\\ud800y\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"locale\":\"en_GB!\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"locale\":7}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":\"text\"}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":[1,2]}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":{\"$where\":\"1\"}}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":{\"a.b\":1}}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":{\"a\":{\"b\":1}}}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":{\"a\":[1]}}", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"custom\":{\"n\":1e400}}", JSON_TYPE, 400, "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"custom\":{\"n\":123456789012345678901234567890}}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"custom\":{\"s\":\"" + "x".repeat(1025) + "\"}}",
            JSON_TYPE,
            400,
            "invalid_request"),
        // --- malformed and oversized bodies ---
        row("PATCH", U, "", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "null", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "[]", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "\"text\"", JSON_TYPE, 400, "invalid_request"),
        row("PATCH", U, "{\"email\":", JSON_TYPE, 400, "invalid_request"),
        row("POST", U, "{'email':'a@b.example'}", JSON_TYPE, 400, "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"email\":\"a@b.example\",\"email\":\"c@d.example\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row("PATCH", U, "[".repeat(10_000) + "]".repeat(10_000), JSON_TYPE, 400, "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"custom\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001),
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "PATCH",
            U,
            "{\"username\":\"" + "x".repeat(1_000_000) + "\"}",
            JSON_TYPE,
            413,
            "payload_too_large"),
        row("PATCH", U, "{\"username\":\"bob\"}", "text/plain", 415, "unsupported_media_type"),
        row(
            "PATCH",
            U,
            "username=bob",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type"),
        // --- enrolment bodies ---
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"EMAIL_OTP\",\"phoneNumber\":\"+447700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"sms\",\"phoneNumber\":\"+447700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":{\"$ne\":null},\"phoneNumber\":\"+447700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row("POST", AUTH, "{\"phoneNumber\":\"+447700900123\"}", JSON_TYPE, 400, "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"07700900123\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"+64\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row("POST", AUTH, "{\"verificationMethod\":\"SMS\"}", JSON_TYPE, 400, "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":null}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":447700900123}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":{\"$gt\":\"\"}}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"+447700900123\",\"isDefault\":\"yes\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"" + "1".repeat(2_000) + "\"}",
            JSON_TYPE,
            400,
            "invalid_request"),
        row(
            "POST",
            AUTH,
            "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"" + "1".repeat(1_000_000) + "\"}",
            JSON_TYPE,
            413,
            "payload_too_large"),
        row("POST", AUTH, "", JSON_TYPE, 400, "invalid_request"),
        row("POST", AUTH, "verificationMethod=SMS", "text/plain", 415, "unsupported_media_type"));
  }

  private static Arguments row(
      String method, String path, String body, String contentType, int status, String error) {
    return Arguments.of(method, path, body, contentType, status, error);
  }

  @ParameterizedTest(name = "{0} {1} -> {4} {5}")
  @MethodSource("corpus")
  void answersBadInputWithItsDocumentedError(
      String method, String path, String body, String contentType, int status, String error) {
    Reply reply = call(method, path, body, contentType);

    assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
    assertThat(reply.response().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(reply.body()).as(reply.raw()).isNotNull();
    assertThat(reply.text("error")).isEqualTo(error);
    assertThat(reply.text("errorDescription")).isNotBlank();
  }

  @Test
  void rejectedRequestsLeaveNoTrace() {
    for (Arguments row : corpus().toList()) {
      Object[] args = row.get();
      call((String) args[0], (String) args[1], (String) args[2], (String) args[3]);
    }

    Document doc =
        mongo
            .findOne(
                Query.query(Criteria.where("_id").is("bad-input-user")), Document.class, "users")
            .block();
    assertThat(doc).isNull();
  }
}
