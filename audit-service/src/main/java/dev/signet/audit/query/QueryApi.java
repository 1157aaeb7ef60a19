package dev.signet.audit.query;

import com.mongodb.client.model.Filters;
import dev.signet.audit.activity.PhoneHasher;
import dev.signet.platform.web.HttpErrorException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What the query API's controllers share: the documented error answers, the accepted values of
 * enumerated parameters, and the building of filters, ids and cursors.
 */
final class QueryApi {

  static final String TAG = "Activity views: timelines, challenges, actions, aggregates";
  static final String BAD_REQUEST =
      "Bad parameter: {\"error\":\"invalid_request\",\"errorCode\":\"invalid_request\","
          + "\"errorDescription\":\"...\"} (unknown or"
          + " repeated parameter, bad enum value, malformed date, limit or cursor, bad phone)";
  static final String UNAUTHORIZED =
      "Missing or wrong management secret: {\"error\":\"unauthorized\",...}";

  /** The error body of every non-2xx answer ({@code errorCode} repeats {@code error}). */
  record ErrorBody(String error, String errorCode, String errorDescription) {}

  static final List<String> CATEGORIES =
      List.of("CHALLENGE", "ACTION", "AUTHENTICATOR", "USER", "SMS", "POLICY");
  static final List<String> OUTCOMES = List.of("SUCCESS", "FAILURE", "BLOCKED", "PENDING", "INFO");
  static final List<String> ACTION_STATES =
      List.of(
          "ALLOW",
          "BLOCK",
          "CHALLENGE_REQUIRED",
          "CHALLENGE_SUCCEEDED",
          "CHALLENGE_FAILED",
          "REVIEW_REQUIRED",
          "REVIEW_SUCCEEDED",
          "REVIEW_FAILED");
  static final List<String> DECISIONS = List.of("ALLOW", "BLOCK", "CHALLENGE", "REVIEW");
  static final int MAX_AGGREGATE_ROWS = 5000;

  static final Set<String> ACTIVITY_PARAMS =
      Set.of(
          "userId",
          "phone",
          "challengeId",
          "action",
          "type",
          "category",
          "outcome",
          "from",
          "to",
          "limit",
          "cursor");
  static final Set<String> TIMELINE_PARAMS =
      Set.of("type", "category", "outcome", "from", "to", "limit", "cursor");
  static final Set<String> CHALLENGE_PARAMS =
      Set.of(
          "userId",
          "phone",
          "action",
          "state",
          "delivery",
          "country",
          "from",
          "to",
          "limit",
          "cursor");
  static final Set<String> ACTION_PARAMS =
      Set.of("userId", "action", "state", "decision", "from", "to", "limit", "cursor");
  static final Set<String> AGGREGATE_PARAMS =
      Set.of("granularity", "from", "to", "country", "action", "groupBy");

  private QueryApi() {}

  /** The items of a page, mapped, and the cursor of the next page when there is one. */
  static <T> List<T> items(ViewReader.Page page, Function<Document, T> mapper) {
    return page.items().stream().map(mapper).toList();
  }

  static String nextCursor(ViewReader.Page page, String kind, String timeField) {
    return page.more() ? next(kind, page.items(), timeField) : null;
  }

  static String phoneHash(PhoneHasher phones, QueryParams p) {
    String phone = p.text("phone");
    if (phone == null) {
      return null;
    }
    return PhoneHasher.normalise(phone)
        .map(phones::hash)
        .orElseThrow(
            () ->
                HttpErrorException.invalid(
                    "Query parameter 'phone' must be an international phone number with its"
                        + " country code, such as +447700900001."));
  }

  static String next(String kind, List<Document> items, String timeField) {
    Document last = items.get(items.size() - 1);
    Date at = last.getDate(timeField);
    return new Cursor(kind, at == null ? Instant.EPOCH : at.toInstant(), last.getString("_id"))
        .encode();
  }

  static void eq(List<Bson> filters, String field, String value) {
    if (value != null) {
      filters.add(Filters.eq(field, value));
    }
  }

  static void range(List<Bson> filters, String field, QueryParams p) {
    Instant from = p.instant("from");
    Instant to = p.instant("to");
    QueryParams.checkRange(from, to);
    if (from != null) {
      filters.add(Filters.gte(field, Date.from(from)));
    }
    if (to != null) {
      filters.add(Filters.lt(field, Date.from(to)));
    }
  }

  static void checkId(String name, String value) {
    if (value.length() > QueryParams.MAX_VALUE_LENGTH) {
      throw HttpErrorException.invalid(
          name + " is longer than " + QueryParams.MAX_VALUE_LENGTH + " characters.");
    }
  }
}
