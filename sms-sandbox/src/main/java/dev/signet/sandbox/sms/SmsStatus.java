package dev.signet.sandbox.sms;

/** The SMS API's per-message status codes the sandbox can answer with. */
enum SmsStatus {
  OK(0),
  THROTTLED(1),
  MISSING_PARAMS(2),
  INVALID_PARAMS(3),
  INVALID_CREDENTIALS(4),
  INVALID_MESSAGE(6),
  PARTNER_QUOTA_EXCEEDED(9),
  INVALID_SIGNATURE(14),
  INVALID_FROM_ADDRESS(15);

  private final int code;

  SmsStatus(int code) {
    this.code = code;
  }

  String code() {
    return Integer.toString(code);
  }
}
