package dev.signet.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Vonage's side of the SMS API in tests: the form bodies it is sent ({@code POST /sms/json}) and
 * sends back (delivery receipts), for the dispatcher's stub provider and the sandbox's receipt
 * receiver alike.
 */
public final class VonageForms {

  private VonageForms() {}

  /**
   * The fields of an {@code application/x-www-form-urlencoded} body, decoded, in order; a field
   * without {@code =} has an empty value. Null or empty reads as no fields.
   */
  public static Map<String, String> parse(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return params;
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  /**
   * A delivery receipt for {@code messageId} (delivered, to a UK number), parsed from the body
   * Vonage posts to a webhook; unsigned: the signature tests add {@code timestamp} and {@code sig}.
   */
  public static Map<String, String> deliveryReceipt(String messageId) {
    return parse(
        "msisdn=447700900001&to=Signet&network-code=23410&messageId="
            + messageId
            + "&price=0.03330000&status=delivered&scts=2611251807&err-code=0&api-key=key"
            + "&message-timestamp=2026-11-25+18%3A07%3A36");
  }
}
