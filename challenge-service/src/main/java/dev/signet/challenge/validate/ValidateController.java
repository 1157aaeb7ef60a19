package dev.signet.challenge.validate;

import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Fields;
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

  record ValidateRequest(String token, String userId, String action) {}

  @PostMapping(
      path = "/v1/validate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ValidationResult.Body> validate(@RequestBody ValidateRequest body) {
    if (body == null) {
      throw ApiException.invalid("token is required.");
    }
    String token = Fields.required(body.token(), "token", MAX_TOKEN_FIELD);
    String userId = Fields.optional(body.userId(), "userId", 128);
    String action = Fields.optional(body.action(), "action", 64);
    return validator.validate(token, userId, action).map(ValidationResult::toBody);
  }
}
