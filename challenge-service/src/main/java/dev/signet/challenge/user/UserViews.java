package dev.signet.challenge.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** JSON shapes of the users and authenticators endpoints; field names are the SDKs'. */
final class UserViews {

  private UserViews() {}

  static final List<String> ALLOWED_METHODS = List.of(SmsAuthenticator.VERIFICATION_METHOD);

  record UserView(
      String userId,
      boolean isEnrolled,
      String email,
      boolean emailVerified,
      String phoneNumber,
      boolean phoneNumberVerified,
      String username,
      String displayName,
      Map<String, Object> custom,
      String locale,
      List<String> enrolledVerificationMethods,
      List<String> allowedVerificationMethods,
      String defaultVerificationMethod) {}

  record AuthenticatorView(
      String userAuthenticatorId,
      String userId,
      String verificationMethod,
      String createdAt,
      String verifiedAt,
      String lastVerifiedAt,
      String phoneNumber,
      boolean isDefault,
      String previousSmsChannel) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record UsersPage(List<UserView> users, String lastEvaluatedUserId) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record EnrolResponse(AuthenticatorView authenticator, List<String> recoveryCodes) {}

  record Success(boolean success) {}

  static UserView unknown(String userId) {
    return new UserView(
        userId,
        false,
        null,
        false,
        null,
        false,
        null,
        null,
        null,
        null,
        List.of(),
        ALLOWED_METHODS,
        null);
  }

  static UserView of(User user) {
    boolean enrolled = user.isEnrolled();
    return new UserView(
        user.userId(),
        enrolled,
        user.email(),
        user.emailVerified(),
        user.phoneNumber(),
        user.phoneNumberVerified(),
        user.username(),
        user.displayName(),
        user.custom().isEmpty() ? null : user.custom(),
        user.locale(),
        enrolled ? List.of(SmsAuthenticator.VERIFICATION_METHOD) : List.of(),
        ALLOWED_METHODS,
        enrolled ? SmsAuthenticator.VERIFICATION_METHOD : null);
  }

  static AuthenticatorView of(SmsAuthenticator a) {
    return new AuthenticatorView(
        a.userAuthenticatorId(),
        a.userId(),
        SmsAuthenticator.VERIFICATION_METHOD,
        iso(a.createdAt()),
        iso(a.verifiedAt()),
        iso(a.lastVerifiedAt()),
        a.phoneNumber(),
        a.isDefault(),
        a.previousSmsChannel());
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
