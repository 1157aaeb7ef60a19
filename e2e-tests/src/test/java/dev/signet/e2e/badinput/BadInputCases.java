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
  private static final String VERIFY = "/v1/verify";
  private static final String CLAIM = "/v1/claim";
  private static final String VALIDATE = "/v1/validate";

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
      {"phone in +800 international freephone", "\"+80012345678\""},
      {"phone in +882 international networks", "\"+8823421234\""},
      {"phone in +979 international premium rate", "\"+979123456789\""},
      {"phone in +870 Inmarsat", "\"+870301234567\""},
      {"phone in a French shared-cost range", "\"+33810123456\""},
      {"phone in UK premium rate", "\"+449012345678\""},
      {"phone in UK personal numbering", "\"+447012345678\""},
      {"phone in UK VoIP range", "\"+445612345678\""},
      {"phone in UK toll-free range", "\"+448001234567\""},
      {"phone on a UK fixed line", "\"+441212345678\""},
      {"phone in unassigned country code +999", "\"+9991234567\""},
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

    // Separators normalise deterministically to E.164: the SMS reaches exactly that number.
    List<Function<String, String>> separators =
        List.of(
            p -> p.substring(0, 3) + " " + p.substring(3, 7) + " " + p.substring(7),
            p -> p.substring(0, 3) + "-" + p.substring(3, 7) + "-" + p.substring(7),
            p -> p.substring(0, 3) + "." + p.substring(3, 7) + "." + p.substring(7),
            p -> p.substring(0, 3) + " (" + p.substring(3, 7) + ") " + p.substring(7));
    String[] separatorNames = {"spaces", "hyphens", "dots", "parentheses"};
    for (int i = 0; i < separators.size(); i++) {
      Function<String, String> format = separators.get(i);
      rows.add(
          raw(
                  "phone with " + separatorNames[i] + " normalises to E.164",
                  "POST",
                  CHALLENGE,
                  BadInputCase.JSON,
                  f -> challengeWith("\"" + format.apply(f.phone()) + "\"").getBytes(UTF_8))
              .deliveredToFixturePhone());
    }

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
    // Outside /v1 the API secret opens nothing (deny by default).
    rows.add(raw("unknown route at the root", "GET", "/", null, null).refused(403, "forbidden"));
    rows.add(
        raw("unknown route with an extension", "GET", "/v1/challenge.json", null, null)
            .refused(404, "not_found"));
    rows.add(
        raw("encoded path traversal", "GET", "/v1/challenge/..%2f..%2fetc%2fpasswd", null, null)
            .refused(400, INVALID));
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

    // Limits answer 429 with Retry-After.
    rows.add(
        post(
                "a seventh challenge to one number within 10 minutes",
                CHALLENGE,
                challengeWith("\"${phone:exhausted}\""))
            .refused(429, "too_many_requests"));

    // Challenge lookup by POST as well as GET.
    rows.add(
        post("lookup by POST", "/v1/challenges", "{\"challengeId\":\"${challengeId}\"}")
            .answers(
                Map.of(
                    "/challengeId",
                    BadInputCase.PRESENT,
                    "/verificationMethod",
                    "SMS",
                    "/action",
                    "badInput")));
    rows.add(
        post(
                "lookup by POST with an operator",
                "/v1/challenges",
                "{\"challengeId\":{\"$ne\":null}}")
            .refused(400, INVALID));

    // Resend of a challenge that does not exist.
    rows.add(
        post(
                "resend with an unknown challengeId",
                CHALLENGE,
                "{\"verificationMethod\":\"SMS\",\"action\":\"badInput\",\"phoneNumber\":\"${phone}\","
                    + "\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")
            .refused(404, "not_found"));

    // Verification codes: malformed codes are refused; well-formed wrong ones are a 200 failure.
    String[][] refusedCodes = {
      {"code of 5 digits", "\"12345\""},
      {"code of 7 digits", "\"1234567\""},
      {"code empty", "\"\""},
      {"code with a leading space", "\" 123456\""},
      {"code with a space inside", "\"123 456\""},
      {"code with a trailing newline", "\"123456\\n\""},
      {"code with a NUL", "\"12345\\u0000\""},
      {"code with Arabic-Indic digits", "\"\u0661\u0662\u0663\u0664\u0665\u0666\""},
      {"code with fullwidth digits", "\"\uff11\uff12\uff13\uff14\uff15\uff16\""},
      {"code with letters", "\"12a456\""},
      {"code as a JSON number", "123456"},
      {"code as a JSON number with a leading zero", "012345"},
      {"code as a JSON float", "123456.0"},
      {"code as JSON null", "null"},
      {"code as a JSON array", "[\"123456\"]"},
      {"code as a Mongo operator", "{\"$ne\":null}"},
      {"code as a Mongo regex", "{\"$regex\":\"^\\\\d+$\"}"},
    };
    for (String[] code : refusedCodes) {
      rows.add(
          post(
                  code[0],
                  VERIFY,
                  "{\"challengeId\":\"${challengeId}\",\"verificationCode\":" + code[1] + "}")
              .refused(400, INVALID));
    }
    rows.add(
        raw(
                "code of 1 MB",
                "POST",
                VERIFY,
                BadInputCase.JSON,
                f ->
                    f.expand(
                            "{\"challengeId\":\"${challengeId}\",\"verificationCode\":\""
                                + "1".repeat(1_000_000)
                                + "\"}")
                        .getBytes(UTF_8))
            .refused(413, "payload_too_large"));
    rows.add(
        post("code missing", VERIFY, "{\"challengeId\":\"${challengeId}\"}").refused(400, INVALID));
    rows.add(
        post("challengeId missing", VERIFY, "{\"verificationCode\":\"123456\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "challengeId as a Mongo operator",
                VERIFY,
                "{\"challengeId\":{\"$ne\":null},\"verificationCode\":\"123456\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "challengeId as a Mongo regex",
                VERIFY,
                "{\"challengeId\":{\"$regex\":\".*\"},\"verificationCode\":\"123456\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "challengeId as a number",
                VERIFY,
                "{\"challengeId\":1,\"verificationCode\":\"123456\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "duplicate verificationCode keys",
                VERIFY,
                "{\"challengeId\":\"${challengeId}\",\"verificationCode\":\"000000\",\"verificationCode\":\"111111\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "duplicate challengeId keys",
                VERIFY,
                "{\"challengeId\":\"${challengeId}\",\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"verificationCode\":\"000000\"}")
            .refused(400, INVALID));
    Map<String, String> notVerified =
        Map.of(
            "/isVerified",
            "false",
            "/failureReason",
            "CODE_INVALID_OR_EXPIRED",
            "/phoneNumber",
            "");
    rows.add(
        post(
                "a wrong but well-formed code",
                VERIFY,
                "{\"challengeId\":\"${challengeId}\",\"verificationCode\":\"000000\"}")
            .answers(notVerified));
    rows.add(
        post(
                "\"verified\":true and \"isVerified\":true verify nothing",
                VERIFY,
                "{\"challengeId\":\"${challengeId}\",\"verificationCode\":\"000000\",\"verified\":true,\"isVerified\":true,\"state\":\"VERIFIED\"}")
            .answers(notVerified));
    rows.add(
        post(
                "an unknown challengeId",
                VERIFY,
                "{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"verificationCode\":\"123456\"}")
            .answers(notVerified));

    // Claims.
    rows.add(
        post(
                "claim of an unverified challenge",
                CLAIM,
                "{\"challengeId\":\"${challengeId}\",\"userId\":\"${userId}\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim of an unverified challenge with \"verified\":true",
                CLAIM,
                "{\"challengeId\":\"${challengeId}\",\"userId\":\"${userId}\",\"verified\":true,\"isVerified\":true}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim replayed",
                CLAIM,
                "{\"challengeId\":\"${claimedChallengeId}\",\"userId\":\"${userId}\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim replayed for another user",
                CLAIM,
                "{\"challengeId\":\"${claimedChallengeId}\",\"userId\":\"attacker\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim of an unknown challenge",
                CLAIM,
                "{\"challengeId\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"userId\":\"${userId}\"}")
            .refused(400, INVALID));
    rows.add(
        post("claim without userId", CLAIM, "{\"challengeId\":\"${challengeId}\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim with a userId holding a slash",
                CLAIM,
                "{\"challengeId\":\"${challengeId}\",\"userId\":\"a/b\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim with a userId of 200 characters",
                CLAIM,
                "{\"challengeId\":\"${challengeId}\",\"userId\":\"" + "u".repeat(200) + "\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim with userId as a Mongo operator",
                CLAIM,
                "{\"challengeId\":\"${challengeId}\",\"userId\":{\"$ne\":null}}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim with challengeId as a Mongo operator",
                CLAIM,
                "{\"challengeId\":{\"$ne\":null},\"userId\":\"${userId}\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "claim with skipVerificationCheck as a string",
                CLAIM,
                "{\"challengeId\":\"${challengeId}\",\"userId\":\"${userId}\",\"skipVerificationCheck\":\"true\"}")
            .refused(400, INVALID));

    // Tokens given to validate: forged, altered or used by someone else are never valid.
    Map<String, String> invalidToken = Map.of("/isValid", "false", "/error", BadInputCase.PRESENT);
    String[][] badTokens = {
      {"token with alg none", "${token:none}"},
      {"token HS256-signed with the public key as PEM", "${token:hs256pem}"},
      {"token HS256-signed with the public JWK", "${token:hs256jwk}"},
      {"token signed by an unknown kid", "${token:unknownKid}"},
      {"token signed by another key under the server's kid", "${token:borrowedKid}"},
      {"token with an edited payload", "${token:tampered}"},
      {"token without its signature", "${token:stripped}"},
      {"token expired, signed with the server's key", "${token:expired}"},
      {"token for another audience, signed with the server's key", "${token:wrongAudience}"},
      {"token whose sub is another user, signed with the server's key", "${token:foreignSubject}"},
      {"token issued in the future, signed with the server's key", "${token:issuedInTheFuture}"},
      {"token that is not a JWT", "not-a-jwt"},
      {"token of two parts", "abc.def"},
    };
    for (String[] token : badTokens) {
      rows.add(post(token[0], VALIDATE, "{\"token\":\"" + token[1] + "\"}").answers(invalidToken));
    }
    rows.add(
        post(
                "another user's token",
                VALIDATE,
                "{\"token\":\"${token}\",\"userId\":\"someone-else\"}")
            .answers(invalidToken));
    rows.add(
        post(
                "a token for another action",
                VALIDATE,
                "{\"token\":\"${token}\",\"action\":\"transfer\"}")
            .answers(invalidToken));
    rows.add(
        post(
                "the genuine token validates",
                VALIDATE,
                "{\"token\":\"${token}\",\"userId\":\"${userId}\",\"action\":\"badInput\"}")
            .answers(
                Map.of(
                    "/isValid",
                    "true",
                    "/state",
                    "CHALLENGE_SUCCEEDED",
                    "/actionCode",
                    "badInput",
                    "/action",
                    "badInput")));
    rows.add(
        post(
                "the genuine payload re-signed with the server's key validates",
                VALIDATE,
                "{\"token\":\"${token:resigned}\"}")
            .answers(Map.of("/isValid", "true", "/state", "CHALLENGE_SUCCEEDED")));
    rows.add(post("token missing", VALIDATE, "{}").refused(400, INVALID));
    rows.add(post("token empty", VALIDATE, "{\"token\":\"\"}").refused(400, INVALID));
    rows.add(post("token as a number", VALIDATE, "{\"token\":123}").refused(400, INVALID));
    rows.add(
        post("token as a Mongo operator", VALIDATE, "{\"token\":{\"$ne\":null}}")
            .refused(400, INVALID));
    rows.add(
        raw(
                "token of 1 MB",
                "POST",
                VALIDATE,
                BadInputCase.JSON,
                f -> ("{\"token\":\"" + "a".repeat(1_000_000) + "\"}").getBytes(UTF_8))
            .refused(413, "payload_too_large"));

    // Challenge lookups.
    rows.add(
        raw(
                "lookup of an unknown challenge",
                "GET",
                "/v1/challenges?challengeId=AAAAAAAAAAAAAAAAAAAAAAAAAAA",
                null,
                null)
            .refused(404, "not_found"));
    rows.add(
        raw("lookup without challengeId", "GET", "/v1/challenges", null, null)
            .refused(400, INVALID));
    rows.add(
        raw(
                "lookup with an operator-shaped challengeId",
                "GET",
                "/v1/challenges?challengeId=%7B%22%24ne%22%3Anull%7D",
                null,
                null)
            .refused(400, INVALID));

    // Users and authenticators.
    String[][] badUserIds = {
      {"userId with an encoded slash", "a%2Fb"},
      {"userId with an encoded NUL", "a%00b"},
      {"userId with a space", "a%20b"},
      {"userId with non-ASCII letters", "%C3%A9"},
      {"userId of 200 characters", "u".repeat(200)},
      {"userId with a dollar sign", "%24where"},
    };
    for (String[] id : badUserIds) {
      rows.add(raw(id[0], "GET", "/v1/users/" + id[1], null, null).refused(400, INVALID));
    }
    String user = "/v1/users/${userId}";
    rows.add(
        post("user phone with a control character", user, "{\"phoneNumber\":\"+447700900123\\n\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "user phone with a zero-width space",
                user,
                "{\"phoneNumber\":\"+44\u200b7700900123\"}")
            .refused(400, INVALID));
    rows.add(
        post("user custom with a nested object", user, "{\"custom\":{\"a\":{\"b\":1}}}")
            .refused(400, INVALID));
    rows.add(post("user custom as an array", user, "{\"custom\":[1,2]}").refused(400, INVALID));
    rows.add(post("user email as a number", user, "{\"email\":5}").refused(400, INVALID));
    rows.add(
        post("user emailVerified as a string", user, "{\"emailVerified\":\"yes\"}")
            .refused(400, INVALID));
    rows.add(post("user body as an array", user, "[]").refused(400, INVALID));
    rows.add(
        post(
                "user isEnrolled:true enrols nothing",
                user,
                "{\"isEnrolled\":true,\"enrolledVerificationMethods\":[\"SMS\"]}")
            .answers(Map.of("/isEnrolled", "false")));
    rows.add(
        raw("PUT on a user", "PUT", user, BadInputCase.JSON, f -> "{}".getBytes(UTF_8))
            .refused(405, "method_not_allowed"));
    rows.add(
        raw("query with a negative limit", "GET", "/v1/users?limit=-1", null, null)
            .refused(400, INVALID));
    rows.add(
        raw("query with a non-numeric limit", "GET", "/v1/users?limit=abc", null, null)
            .refused(400, INVALID));
    rows.add(
        raw("query with a huge limit", "GET", "/v1/users?limit=100000", null, null)
            .refused(400, INVALID));
    rows.add(
        raw(
                "query by a phone with a control character",
                "GET",
                "/v1/users?phoneNumber=%2B447700900123%0A",
                null,
                null)
            .refused(400, INVALID));
    String authenticators = "/v1/users/${userId}/authenticators";
    rows.add(
        post(
                "authenticator EMAIL_OTP",
                authenticators,
                "{\"verificationMethod\":\"EMAIL_OTP\",\"email\":\"a@example.com\"}")
            .refused(400, INVALID));
    rows.add(
        post("authenticator without a phone", authenticators, "{\"verificationMethod\":\"SMS\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "authenticator on an impossible number",
                authenticators,
                "{\"verificationMethod\":\"SMS\",\"phoneNumber\":\"+64\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "authenticator phone as a number",
                authenticators,
                "{\"verificationMethod\":\"SMS\",\"phoneNumber\":447700900123}")
            .refused(400, INVALID));
    rows.add(
        raw(
                "delete of an unknown authenticator",
                "DELETE",
                authenticators + "/no-such-authenticator",
                null,
                null)
            .refused(404, "not_found"));
    // Tracked actions (issue 6): path ids, action codes, the track body, PATCH and the list.
    String actions = "/v1/users/${userId}/actions";
    String[][] badActionCodes = {
      {"action code with a dot", "sign.in"},
      {"action code of 65 characters", "a".repeat(65)},
      {"action code with an encoded space", "sign%20in"},
      {"action code with an encoded slash", "sign%2Fin"},
      {"action code with a dollar sign", "%24where"},
      {"action code with non-ASCII letters", "%C3%A9t%C3%A9"},
      {"action code with an encoded NUL", "signIn%00"},
    };
    for (String[] code : badActionCodes) {
      rows.add(post("track with " + code[0], actions + "/" + code[1], "{}").refused(400, INVALID));
    }
    String[][] badTrackUserIds = {
      {"track userId with an encoded slash", "a%2Fb"},
      {"track userId with an encoded question mark", "a%3Fb"},
      {"track userId with an encoded hash", "a%23b"},
      {"track userId with a space", "a%20b"},
      {"track userId double percent-encoded", "a%252Fb"},
      {"track userId as an overlong UTF-8 slash", "a%C0%AFb"},
      {"track userId with a dollar sign", "%24where"},
    };
    for (String[] id : badTrackUserIds) {
      rows.add(post(id[0], "/v1/users/" + id[1] + "/actions/signIn", "{}").refused(400, INVALID));
    }
    rows.add(
        post("track userId with a raw slash", "/v1/users/a/b/actions/signIn", "{}")
            .refused(404, "not_found"));
    String track = actions + "/badInputTrack";
    rows.add(
        post("track scope with an unknown scope", track, "{\"scope\":\"admin:everything\"}")
            .refused(400, INVALID));
    rows.add(
        post(
                "track scope with a known and an unknown scope",
                track,
                "{\"scope\":\"add:authenticators delete:users\"}")
            .refused(400, INVALID));
    rows.add(
        post("track scope as an array", track, "{\"scope\":[\"add:authenticators\"]}")
            .refused(400, INVALID));
    rows.add(
        post("track custom with a nested object", track, "{\"custom\":{\"a\":{\"b\":1}}}")
            .refused(400, INVALID));
    rows.add(
        post("track custom with an array value", track, "{\"custom\":{\"a\":[1]}}")
            .refused(400, INVALID));
    rows.add(post("track custom as a string", track, "{\"custom\":\"x\"}").refused(400, INVALID));
    StringBuilder manyKeys = new StringBuilder("{\"custom\":{");
    for (int i = 0; i < 10_000; i++) {
      manyKeys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    manyKeys.append("}}");
    rows.add(
        post("track custom with 10,000 keys", track, manyKeys.toString())
            .refused(413, "payload_too_large"));
    StringBuilder someKeys = new StringBuilder("{\"custom\":{");
    for (int i = 0; i < 51; i++) {
      someKeys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    someKeys.append("}}");
    rows.add(post("track custom with 51 keys", track, someKeys.toString()).refused(400, INVALID));
    rows.add(
        post("track custom key with a dollar sign", track, "{\"custom\":{\"$gt\":1}}")
            .refused(400, INVALID));
    rows.add(
        post("track ipAddress as a host name", track, "{\"ipAddress\":\"evil.example\"}")
            .refused(400, INVALID));
    rows.add(
        post("track deviceId as an operator", track, "{\"deviceId\":{\"$ne\":null}}")
            .refused(400, INVALID));
    rows.add(
        post("track idempotencyKey with a slash", track, "{\"idempotencyKey\":\"a/b\"}")
            .refused(400, INVALID));
    rows.add(
        post("track redirectUrl as javascript:", track, "{\"redirectUrl\":\"javascript:x\"}")
            .refused(400, INVALID));
    rows.add(
        post("track userAgent with a NUL", track, "{\"userAgent\":\"a\\u0000b\"}")
            .refused(400, INVALID));
    rows.add(post("track body as an array", track, "[]").refused(400, INVALID));
    rows.add(
        raw("GET of an unknown action", "GET", track + "/no-such-key", null, null)
            .refused(404, "not_found"));
    rows.add(
        raw(
                "PATCH of an unknown action",
                "PATCH",
                track + "/no-such-key",
                BadInputCase.JSON,
                f -> "{\"state\":\"REVIEW_SUCCEEDED\"}".getBytes(UTF_8))
            .refused(404, "not_found"));
    rows.add(
        raw(
                "PATCH to an unknown state",
                "PATCH",
                track + "/no-such-key",
                BadInputCase.JSON,
                f -> "{\"state\":\"APPROVED\"}".getBytes(UTF_8))
            .refused(400, INVALID));
    rows.add(
        raw(
                "PATCH with the state as a number",
                "PATCH",
                track + "/no-such-key",
                BadInputCase.JSON,
                f -> "{\"state\":3}".getBytes(UTF_8))
            .refused(400, INVALID));
    rows.add(
        raw(
                "PATCH with an idempotency key with a dollar sign",
                "PATCH",
                track + "/%24ne",
                BadInputCase.JSON,
                f -> "{\"state\":\"REVIEW_SUCCEEDED\"}".getBytes(UTF_8))
            .refused(400, INVALID));
    rows.add(
        raw("action list with an unknown state", "GET", actions + "?state=DONE", null, null)
            .refused(400, INVALID));
    rows.add(
        raw("action list with a bad fromDate", "GET", actions + "?fromDate=yesterday", null, null)
            .refused(400, INVALID));
    rows.add(
        raw("action list with a bad code", "GET", actions + "?codes=a,b.c", null, null)
            .refused(400, INVALID));
    rows.add(
        raw("action list with state twice", "GET", actions + "?state=ALLOW&state=BLOCK", null, null)
            .refused(400, INVALID));
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
