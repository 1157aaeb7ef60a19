package dev.signet.challenge.validate;

import dev.signet.challenge.web.ApiException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/validate}: a backend asks whether a token it received proves a successful
 * challenge. Token problems are answers ({@code isValid:false} with an {@code error}), not HTTP
 * errors; only a request without a string {@code token} is a 400.
 */
@RestController
class ValidateController {

  /** Well above any token we issue; longer strings are still answered, as malformed. */
  private static final int MAX_TOKEN_FIELD = 16 * 1024;

  private final TokenValidator validator;

  ValidateController(TokenValidator validator) {
    this.validator = validator;
  }

  @PostMapping(
      path = "/v1/validate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> validate(@RequestBody Map<String, Object> body) {
    if (body == null) {
      throw ApiException.invalid("token is required.");
    }
    String token = optionalString(body.get("token"), "token", MAX_TOKEN_FIELD);
    if (token == null || token.isEmpty()) {
      throw ApiException.invalid("token is required.");
    }
    String userId = optionalString(body.get("userId"), "userId", 128);
    String action = optionalString(body.get("action"), "action", 64);
    return validator.validate(token, userId, action).map(ValidationResult::toBody);
  }

  /** A JSON string or absent; numbers, objects ({@code {"$ne":null}}) and arrays are refused. */
  private static String optionalString(Object value, String field, int maxLength) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ApiException.invalid(field + " must be a string.");
    }
    if (text.length() > maxLength) {
      throw ApiException.invalid(field + " is too long.");
    }
    return text;
  }
}
