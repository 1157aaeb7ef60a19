package dev.signet.sms.dispatch;

import com.vonage.client.messages.whatsapp.WhatsappCustomRequest;
import dev.signet.sms.template.WhatsappTemplateProperties.WhatsappTemplate;
import java.util.List;
import java.util.Map;

/**
 * A one-time code on WhatsApp as WhatsApp requires it: an approved authentication template, the
 * code as its body parameter and again as the parameter of its copy-code button (a URL button to
 * the Cloud API, index 0). A template with a button is an interactive template, which Vonage's
 * Messages API takes only as {@code message_type: custom} carrying WhatsApp's own {@code template}
 * object; its {@code message_type: template} has no room for the button.
 */
final class WhatsappOtpRequest {

  private WhatsappOtpRequest() {}

  static WhatsappCustomRequest of(
      String from, String to, String code, WhatsappTemplate template, String clientRef) {
    List<Map<String, String>> codeParameter = List.of(Map.of("type", "text", "text", code));
    Map<String, Object> body = Map.of("type", "body", "parameters", codeParameter);
    Map<String, Object> copyCodeButton =
        Map.of("type", "button", "sub_type", "url", "index", "0", "parameters", codeParameter);
    Map<String, Object> custom =
        Map.of(
            "type",
            "template",
            "template",
            Map.of(
                "name",
                template.name(),
                "language",
                Map.of("policy", "deterministic", "code", template.language()),
                "components",
                List.of(body, copyCodeButton)));
    return WhatsappCustomRequest.builder()
        .from(from)
        .to(to)
        .custom(custom)
        .clientRef(clientRef)
        .build();
  }
}
