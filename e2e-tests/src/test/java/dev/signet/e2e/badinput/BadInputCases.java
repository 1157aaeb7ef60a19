package dev.signet.e2e.badinput;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The bad-input corpus: one table, many rows. Add a row to grow it; {@link BadInputIT} runs each
 * against the running stack. Grouped by what is attacked: phone numbers, other challenge fields,
 * request bodies and content types, routes and methods, authentication.
 */
final class BadInputCases {

  private static final String INVALID = "invalid_request";
  private static final String CHALLENGE = "/v1/challenge";

  private BadInputCases() {}

  static List<BadInputCase> all() {
    List<BadInputCase> rows = new ArrayList<>();

    // Phone numbers that must be refused (a guessed number is an SMS to a stranger).
    String[][] refusedPhones = {
      {"phone in national format", "\"07700900123\""},
      {"phone in international format without +", "\"447700900123\""},
      {"phone with 00 international prefix", "\"00447700900123\""},
      {"phone with 16+ digits", "\"+4477009001234567\""},
      {"phone of 40 digits", "\"+" + "4".repeat(40) + "\""},
      {"phone starting +0", "\"+0447700900123\""},
      {"phone too short", "\"+4477\""},
      {"phone with letters", "\"+44770090ABCD\""},
      {"phone with letter O for zero", "\"+44 77OO 9OO123\""},
      {"phone as vanity letters", "\"+1-800-FLOWERS\""},
      {
        "phone with Arabic-Indic digits",
        "\"+\u0664\u0664\u0667\u0667\u0660\u0660\u0669\u0660\u0660\u0661\u0662\u0663\""
      },
      {
        "phone with Devanagari digits",
        "\"+\u096a\u096a\u096d\u096d\u0966\u0966\u096f\u0966\u0966\u0967\u0968\u0969\""
      },
      {
        "phone with fullwidth digits",
        "\"+\uff14\uff14\uff17\uff17\uff10\uff10\uff19\uff10\uff10\uff11\uff12\uff13\""
      },
      {"phone with fullwidth plus", "\"\uff0b447700900123\""},
      {"phone with a zero-width space", "\"+44\u200b7700900123\""},
      {"phone with a zero-width joiner", "\"+447700\u200d900123\""},
      {"phone with a byte-order mark", "\"\ufeff+447700900123\""},
      {"phone with a right-to-left override", "\"\u202e+447700900123\""},
      {"phone with a right-to-left mark", "\"+447700900123\u200f\""},
      {"phone with an escaped NUL", "\"+447700900123\\u0000\""},
      {"phone with an escaped NUL in the middle", "\"+44770\\u00000900123\""},
      {"phone with escaped CR LF", "\"+447700900123\\r\\n\""},
      {"phone with an escaped tab", "\"+44\\t7700900123\""},
      {"phone with a non-breaking space", "\"+44\u00a07700900123\""},
      {"phone as a tel: URI", "\"tel:+447700900123\""},
      {"phone as a sip: URI", "\"sip:+447700900123@example.com\""},
      {"phone with ;ext=", "\"+447700900123;ext=12\""},
      {"phone with ext", "\"+447700900123 ext 12\""},
      {"phone with x extension", "\"+447700900123x12\""},
      {"phone with a comma pause", "\"+447700900123,12\""},
      {"phone with a second number", "\"+447700900123,+447700900124\""},
      {"phone with a plus in the middle", "\"+44+7700900123\""},
      {"phone with a slash", "\"+44/7700900123\""},
      {"phone with a # suffix", "\"+447700900123#\""},
      {"phone with an * star code", "\"*21*+447700900123\""},
      {"phone with a leading space", "\" +447700900123\""},
      {"phone of spaces only", "\"   \""},
      {"phone empty", "\"\""},
      {"phone as a JSON number", "447700900123"},
      {"phone as a JSON number with +", "+447700900123"},
      {"phone as a JSON float", "4.47700900123E11"},
      {"phone as a JSON array", "[\"+447700900123\"]"},
      {"phone as a JSON object", "{\"number\":\"+447700900123\"}"},
      {"phone as JSON null", "null"},
      {"phone as JSON true", "true"},
      {"phone as a Mongo operator", "{\"$ne\":null}"},
      {"phone as a Mongo regex", "{\"$regex\":\".*\"}"},
    };
    for (String[] phone : refusedPhones) {
      rows.add(post(phone[0], CHALLENGE, challengeWith(phone[1])).refused(400, INVALID));
    }
    rows.add(
        post("phone missing", CHALLENGE, "{\"verificationMethod\":\"SMS\",\"action\":\"badInput\"}")
            .refused(400, INVALID));

    // Other challenge fields.
    String[][] refusedChallenges = {
      {"verificationMethod missing", "{\"action\":\"badInput\",\"phoneNumber\":\"${phone}\"}"},
      {"verificationMethod EMAIL_OTP", challenge("\"EMAIL_OTP\"", "\"badInput\"", "\"${phone}\"")},
      {"verificationMethod as a number", challenge("1", "\"badInput\"", "\"${phone}\"")},
      {"verificationMethod as an array", challenge("[\"SMS\"]", "\"badInput\"", "\"${phone}\"")},
      {"action missing", "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"${phone}\"}"},
      {"action empty", challenge("\"SMS\"", "\"\"", "\"${phone}\"")},
      {"action with a space", challenge("\"SMS\"", "\"sign in\"", "\"${phone}\"")},
      {"action with a slash", challenge("\"SMS\"", "\"sign/in\"", "\"${phone}\"")},
      {
        "action of 65 characters",
        challenge("\"SMS\"", "\"" + "a".repeat(65) + "\"", "\"${phone}\"")
      },
      {"action with a NUL", challenge("\"SMS\"", "\"signIn\\u0000\"", "\"${phone}\"")},
      {"action with non-ASCII letters", challenge("\"SMS\"", "\"sign\u00efn\"", "\"${phone}\"")},
      {"action as a Mongo operator", challenge("\"SMS\"", "{\"$gt\":\"\"}", "\"${phone}\"")},
      {
        "challengeId as a Mongo operator",
        "{\"verificationMethod\":\"SMS\",\"action\":\"badInput\",\"phoneNumber\":\"${phone}\","
            + "\"challengeId\":{\"$ne\":null}}"
      },
    };
    for (String[] challenge : refusedChallenges) {
      rows.add(post(challenge[0], CHALLENGE, challenge[1]).refused(400, INVALID));
    }

    // Bodies and content types.
    rows.add(
        raw(
                "phone of 1 MB",
                "POST",
                CHALLENGE,
                BadInputCase.JSON,
                f -> challengeWith("\"+" + "4".repeat(1_000_000) + "\"").getBytes(UTF_8))
            .refused(413, "payload_too_large"));
    rows.add(post("empty JSON body", CHALLENGE, "").refused(400, INVALID));
    rows.add(post("whitespace-only body", CHALLENGE, " \n\t ").refused(400, INVALID));
    rows.add(post("JSON null body", CHALLENGE, "null").refused(400, INVALID));
    rows.add(post("JSON array body", CHALLENGE, "[]").refused(400, INVALID));
    rows.add(post("JSON string body", CHALLENGE, "\"+447700900123\"").refused(400, INVALID));
    rows.add(
        post("truncated JSON", CHALLENGE, "{\"verificationMethod\":\"SMS\",")
            .refused(400, INVALID));
    rows.add(
        post(
                "JSON with a trailing comma",
                CHALLENGE,
                challengeWith("\"${phone}\"").replace("}", ",}"))
            .refused(400, INVALID));
    rows.add(
        post("JSON with single quotes", CHALLENGE, "{'verificationMethod':'SMS'}")
            .refused(400, INVALID));
    rows.add(
        post("JSON with a comment", CHALLENGE, "/* hi */" + challengeWith("\"${phone}\""))
            .refused(400, INVALID));
    rows.add(
        post("raw NUL inside a JSON string", CHALLENGE, challengeWith("\"+447700900123\u0000\""))
            .refused(400, INVALID));
    rows.add(
        post("raw CR LF inside a JSON string", CHALLENGE, challengeWith("\"+447700900123\r\n\""))
            .refused(400, INVALID));
    rows.add(
        raw(
                "invalid UTF-8 bytes",
                "POST",
                CHALLENGE,
                BadInputCase.JSON,
                f ->
                    concat(
                        challengeWith("\"+4477009").getBytes(UTF_8),
                        new byte[] {(byte) 0xC3, (byte) 0x28},
                        "\"}".getBytes(UTF_8)))
            .refused(400, INVALID));
    rows.add(
        raw(
                "10,000-level nesting",
                "POST",
                CHALLENGE,
                BadInputCase.JSON,
                f ->
                    ("{\"verificationMethod\":\"SMS\",\"custom\":"
                            + "[".repeat(10_000)
                            + "]".repeat(10_000)
                            + "}")
                        .getBytes(UTF_8))
            .refused(400, INVALID));
    rows.add(
        raw(
                "10,000-level object nesting",
                "POST",
                CHALLENGE,
                BadInputCase.JSON,
                f ->
                    ("{\"custom\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}")
                        .getBytes(UTF_8))
            .refused(400, INVALID));
    rows.add(
        raw(
                "10 MB body",
                "POST",
                CHALLENGE,
                BadInputCase.JSON,
                f -> challengeWith("\"" + "4".repeat(10 * 1024 * 1024) + "\"").getBytes(UTF_8))
            .refused(413, "payload_too_large"));
    rows.add(
        raw(
                "10 MB body of whitespace",
                "POST",
                CHALLENGE,
                BadInputCase.JSON,
                f ->
                    (" ".repeat(10 * 1024 * 1024) + f.expand(challengeWith("\"${phone}\"")))
                        .getBytes(UTF_8))
            .refused(413, "payload_too_large"));
    rows.add(
        post("text/plain body", CHALLENGE, challengeWith("\"${phone}\""))
            .withContentType("text/plain")
            .refused(415, "unsupported_media_type"));
    rows.add(
        post(
                "form-encoded body",
                CHALLENGE,
                "verificationMethod=SMS&action=badInput&phoneNumber=%2B447700900123")
            .withContentType("application/x-www-form-urlencoded")
            .refused(415, "unsupported_media_type"));
    rows.add(
        post(
                "XML body",
                CHALLENGE,
                "<challenge><phoneNumber>+447700900123</phoneNumber></challenge>")
            .withContentType("application/xml")
            .refused(415, "unsupported_media_type"));
    rows.add(
        post("no content type", CHALLENGE, challengeWith("\"${phone}\""))
            .withContentType(null)
            .refused(415, "unsupported_media_type"));
    rows.add(
        post("Accept text/html still answers JSON", CHALLENGE, challengeWith("\"07700900123\""))
            .withHeader("Accept", "text/html")
            .refused(400, INVALID));

    // Routes and methods.
    rows.add(
        raw("unknown route under /v1", "GET", "/v1/no-such-thing", null, null)
            .refused(404, "not_found"));
    rows.add(raw("unknown route at the root", "GET", "/", null, null).refused(404, "not_found"));
    rows.add(
        raw("unknown route with an extension", "GET", "/v1/challenge.json", null, null)
            .refused(404, "not_found"));
    rows.add(
        raw("encoded path traversal", "GET", "/v1/challenge/..%2f..%2fetc%2fpasswd", null, null)
            .refused(404, "not_found"));
    rows.add(
        raw(
                "POST to an unknown route",
                "POST",
                "/v1/no-such-thing",
                BadInputCase.JSON,
                f -> "{}".getBytes(UTF_8))
            .refused(404, "not_found"));
    rows.add(
        raw("unknown route without credentials", "GET", "/v1/no-such-thing", null, null)
            .withAuthorization("")
            .refused(401, "unauthorized"));
    rows.add(
        raw("GET on challenge", "GET", CHALLENGE, null, null).refused(405, "method_not_allowed"));
    rows.add(
        raw(
                "PUT on challenge",
                "PUT",
                CHALLENGE,
                BadInputCase.JSON,
                f -> challengeWith("\"${phone}\"").getBytes(UTF_8))
            .refused(405, "method_not_allowed"));
    rows.add(
        raw("DELETE on challenge", "DELETE", CHALLENGE, null, null)
            .refused(405, "method_not_allowed"));
    rows.add(
        raw("PATCH on challenge", "PATCH", CHALLENGE, BadInputCase.JSON, f -> "{}".getBytes(UTF_8))
            .refused(405, "method_not_allowed"));

    // Authentication of the server API.
    String unauthorized = "unauthorized";
    rows.add(
        post("no Authorization header", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization("")
            .refused(401, unauthorized));
    rows.add(
        post("wrong API secret", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization(basic("not-the-secret"))
            .refused(401, unauthorized));
    rows.add(
        post("empty API secret", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization(basic(""))
            .refused(401, unauthorized));
    rows.add(
        post("Bearer instead of Basic", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization("Bearer abc.def.ghi")
            .refused(401, unauthorized));
    rows.add(
        post("Basic with invalid base64", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization("Basic !!!not-base64!!!")
            .refused(401, unauthorized));
    rows.add(
        post("Basic with no value", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization("Basic")
            .refused(401, unauthorized));
    rows.add(
        post("Basic without the colon", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization("Basic " + b64("not-the-secret"))
            .refused(401, unauthorized));
    rows.add(
        post("Basic with a huge value", CHALLENGE, challengeWith("\"${phone}\""))
            .withAuthorization("Basic " + "A".repeat(6000))
            .refused(401, unauthorized));
    return List.copyOf(rows);
  }

  private static String challengeWith(String phoneJson) {
    return challenge("\"SMS\"", "\"badInput\"", phoneJson);
  }

  private static String challenge(String method, String action, String phoneJson) {
    return "{\"verificationMethod\":"
        + method
        + ",\"action\":"
        + action
        + ",\"phoneNumber\":"
        + phoneJson
        + "}";
  }

  private static BadInputCase post(String name, String path, String jsonTemplate) {
    return raw(name, "POST", path, BadInputCase.JSON, f -> f.expand(jsonTemplate).getBytes(UTF_8));
  }

  private static BadInputCase raw(
      String name,
      String method,
      String path,
      String contentType,
      Function<BadInputIT.Fixture, byte[]> body) {
    return new BadInputCase(
        name, method, path, contentType, Map.of(), body, null, 0, null, Map.of(), false);
  }

  private static String basic(String secret) {
    return "Basic " + b64(secret + ":");
  }

  private static String b64(String value) {
    return java.util.Base64.getEncoder().encodeToString(value.getBytes(UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
