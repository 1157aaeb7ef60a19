package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.session.Sessions;
import dev.signet.challenge.user.UserViews.AuthenticatorView;
import dev.signet.challenge.user.UserViews.EnrolResponse;
import dev.signet.challenge.user.UserViews.Success;
import dev.signet.challenge.user.UserViews.UserView;
import dev.signet.challenge.user.UserViews.UsersPage;
import dev.signet.challenge.web.ApiException;
import dev.signet.platform.web.CorrelationId;
import dev.signet.platform.web.MismatchText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Server API for users and their authenticators (docs/api.md). Every input is validated here before
 * it reaches the store; path ids arrive percent-decoded and must be URL-safe.
 */
@RestController
class UserController {

  static final Pattern URL_SAFE_ID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");
  static final int DEFAULT_LIMIT = 25;
  static final int MAX_LIMIT = 100;
  private static final Set<String> QUERY_PARAMS =
      Set.of("phoneNumber", "username", "email", "limit", "lastEvaluatedUserId");

  private final UserStore store;
  private final UserQueries queries;
  private final Sessions sessions;

  UserController(UserStore store, UserQueries queries, Sessions sessions) {
    this.store = store;
    this.queries = queries;
    this.sessions = sessions;
  }

  @GetMapping(path = "/v1/users/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<UserView> get(@PathVariable String userId) {
    String id = id("userId", userId);
    return store
        .find(id)
        .map(user -> user.map(UserViews::of).orElseGet(() -> UserViews.unknown(id)));
  }

  @GetMapping(path = "/v1/users", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<UsersPage> query(ServerHttpRequest request) {
    MultiValueMap<String, String> params = request.getQueryParams();
    if (params.containsKey("token")) {
      throw ApiException.invalid("Querying users by token is not supported.");
    }
    for (String name : QUERY_PARAMS) {
      List<String> values = params.get(name);
      if (values != null && values.size() > 1) {
        throw ApiException.invalid(name + " must be given at most once.");
      }
    }
    String phone = blankToNull(params.getFirst("phoneNumber"));
    String username = blankToNull(params.getFirst("username"));
    String email = blankToNull(params.getFirst("email"));
    String limitText = blankToNull(params.getFirst("limit"));
    String after = blankToNull(params.getFirst("lastEvaluatedUserId"));
    // Matched like the attribute is stored: normalised when it parses, else as given.
    PhoneNumber parsedPhone =
        phone == null ? null : queryPhone(PhoneNumbers.profile(phone, "phoneNumber"));
    String validUsername =
        username == null ? null : UserPatch.queryText(UserPatch.USERNAME, username);
    String validEmail = email == null ? null : UserPatch.queryText(UserPatch.EMAIL, email);
    int limit = limit(limitText);
    String validAfter = after == null ? null : id("lastEvaluatedUserId", after);
    return queries
        .query(parsedPhone, validUsername, validEmail, limit, validAfter)
        .map(
            page ->
                new UsersPage(
                    page.users().stream().map(UserViews::of).toList(), page.lastEvaluatedUserId()));
  }

  @RequestMapping(
      path = "/v1/users/{userId}",
      method = {RequestMethod.PATCH, RequestMethod.POST},
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<UserView> update(
      @PathVariable String userId,
      @RequestBody Map<String, Object> body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String id = id("userId", userId);
    UserPatch patch = UserPatch.from(body);
    return store.update(id, patch, correlationId).map(UserViews::of);
  }

  @DeleteMapping(path = "/v1/users/{userId}", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Success> delete(
      @PathVariable String userId,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String id = id("userId", userId);
    // Sessions end first: a deleted user never keeps one, even after a crash in between.
    return sessions
        .revokeDeletedUser(id, correlationId)
        .then(store.delete(id, correlationId))
        .map(Success::new);
  }

  @GetMapping(
      path = "/v1/users/{userId}/authenticators",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<List<AuthenticatorView>> authenticators(@PathVariable String userId) {
    String id = id("userId", userId);
    return store
        .find(id)
        .map(
            user ->
                user.map(u -> u.authenticators().stream().map(UserViews::of).toList())
                    .orElse(List.of()));
  }

  /** The body of an authenticator enrolment; each member keeps its documented type-error text. */
  record EnrolRequest(
      @MismatchText(METHOD_SMS) String verificationMethod,
      @MismatchText(PHONE_E164) String phoneNumber,
      @MismatchText("isDefault must be true or false.") Boolean isDefault) {}

  private static final String METHOD_SMS = "verificationMethod must be SMS.";
  private static final String PHONE_E164 = "phoneNumber must be a string in E.164 format.";

  @PostMapping(
      path = "/v1/users/{userId}/authenticators",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<EnrolResponse> enrol(
      @PathVariable String userId,
      @RequestBody EnrolRequest body,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String id = id("userId", userId);
    if (body == null) {
      throw ApiException.invalid("The request body must be a JSON object.");
    }
    if (!SmsAuthenticator.VERIFICATION_METHOD.equals(body.verificationMethod())) {
      throw ApiException.invalid(METHOD_SMS);
    }
    if (body.phoneNumber() == null) {
      throw ApiException.invalid(PHONE_E164);
    }
    // Verified by the caller: any possible E.164 number; strict checks apply when a code is sent.
    PhoneNumber parsed = PhoneNumbers.possible(body.phoneNumber(), "phoneNumber");
    Boolean isDefault = body.isDefault();
    return store
        .enrol(
            id,
            parsed,
            Boolean.TRUE.equals(isDefault),
            ChangeSource.SERVER_API,
            null,
            correlationId)
        .map(a -> new EnrolResponse(UserViews.of(a), null));
  }

  @DeleteMapping(
      path = "/v1/users/{userId}/authenticators/{userAuthenticatorId}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Success> removeAuthenticator(
      @PathVariable String userId,
      @PathVariable String userAuthenticatorId,
      @RequestAttribute(CorrelationId.ATTRIBUTE) String correlationId) {
    String id = id("userId", userId);
    String authenticatorId = id("userAuthenticatorId", userAuthenticatorId);
    return store
        .removeAuthenticator(id, authenticatorId, correlationId)
        .thenReturn(new Success(true));
  }

  static String id(String name, String value) {
    if (value == null || !URL_SAFE_ID.matcher(value).matches()) {
      throw ApiException.invalid(
          name + " must be 1-128 URL-safe characters (A-Z a-z 0-9 . _ ~ -).");
    }
    return value;
  }

  static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    if (!text.matches("^[0-9]{1,3}$")) {
      throw ApiException.invalid("limit must be an integer from 1 to " + MAX_LIMIT + ".");
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.invalid("limit must be an integer from 1 to " + MAX_LIMIT + ".");
    }
    return limit;
  }

  private static PhoneNumber queryPhone(PhoneNumbers.Profile profile) {
    return profile.parsed() != null ? profile.parsed() : new PhoneNumber(profile.value(), null);
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
