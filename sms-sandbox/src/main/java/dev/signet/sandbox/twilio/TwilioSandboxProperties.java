package dev.signet.sandbox.twilio;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Twilio account the sandbox stands in for, under {@code signet.sandbox.twilio}.
 *
 * @param accountSid when set with {@code authToken}, only this pair is accepted (401 otherwise);
 *     unset, any account SID with a non-empty auth token passes
 * @param authToken the account's auth token: the basic-auth password, and the key status callbacks
 *     are signed with (else the token the request authenticated with)
 */
@ConfigurationProperties("signet.sandbox.twilio")
public record TwilioSandboxProperties(String accountSid, String authToken) {

  public TwilioSandboxProperties {
    accountSid = accountSid == null || accountSid.isBlank() ? null : accountSid.trim();
    authToken = authToken == null || authToken.isBlank() ? null : authToken.trim();
  }

  boolean credentialsRequired() {
    return accountSid != null && authToken != null;
  }
}
