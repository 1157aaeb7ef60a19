package dev.signet.sandbox.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A WhatsApp authentication template as the Messages API takes it ({@code message_type: custom},
 * WhatsApp's own {@code template} object in {@code custom}): the checks a one-time code must pass
 * to reach a phone, and the text the phone shows. WhatsApp fixes an authentication template's body
 * ({@code <code> is your verification code.}); the sender supplies only the code, once as the body
 * parameter and once as the parameter of the copy-code button (a URL button, index 0), and WhatsApp
 * rejects a message whose parameters do not match the approved template's.
 */
final class WhatsappTemplateMessage {

  /**
   * Free text on whatsapp: WhatsApp delivers it only within 24 hours of the user's last message,
   * and nobody waiting for a one-time code has written to the business. Vonage reports this as
   * error 1340 in a {@code rejected} status after accepting the request; the sandbox answers it at
   * once (422), so a sender that gets it wrong learns so on its first call.
   */
  static final String OUTSIDE_WINDOW_TYPE = "https://developer.vonage.com/api-errors/messages#1340";

  static final String OUTSIDE_WINDOW_TITLE = "Outside the allowed window";
  static final String OUTSIDE_WINDOW_DETAIL =
      "Free-form WhatsApp messages can only be sent within 24 hours of the user's last message;"
          + " send an approved template (message_type custom) instead.";

  /** What a phone shows for an English authentication template with the security line. */
  private static final String SHOWN =
      "%s is your verification code. For your security, do not share this code.";

  /** A template name as WhatsApp allows it: lower-case letters, digits, underscores. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");

  /** WhatsApp's one-time codes: at most 15 characters, no spaces. */
  private static final Pattern CODE = Pattern.compile("\\S{1,15}");

  private WhatsappTemplateMessage() {}

  /** The invalid parameters of {@code custom}, empty when it is a well-formed template. */
  static List<Map<String, String>> invalid(JsonNode custom) {
    List<Map<String, String>> invalid = new ArrayList<>();
    if (!custom.isObject() || !"template".equals(custom.path("type").asString(""))) {
      invalid.add(param("custom.type", "the sandbox takes custom messages of type template only"));
      return invalid;
    }
    JsonNode template = custom.path("template");
    if (!NAME.matcher(template.path("name").asString("")).matches()) {
      invalid.add(param("custom.template.name", "must be an approved template's name"));
    }
    if (template.path("language").path("code").asString("").isBlank()) {
      invalid.add(param("custom.template.language.code", "must not be empty"));
    }
    Optional<String> body = bodyCode(template);
    Optional<String> button = buttonCode(template);
    if (body.isEmpty()) {
      invalid.add(
          param(
              "custom.template.components",
              "an authentication template needs the code as its body parameter"));
    }
    if (button.isEmpty()) {
      invalid.add(
          param(
              "custom.template.components",
              "an authentication template needs the code as the parameter of its copy-code"
                  + " button (type button, sub_type url, index 0)"));
    }
    if (body.isPresent() && button.isPresent() && !body.equals(button)) {
      invalid.add(
          param("custom.template.components", "the body and the button must carry the same code"));
    }
    return invalid;
  }

  /** The text the phone shows (only for a template {@link #invalid} found nothing wrong with). */
  static String shownText(JsonNode custom) {
    return String.format(SHOWN, bodyCode(custom.path("template")).orElseThrow());
  }

  private static Optional<String> bodyCode(JsonNode template) {
    for (JsonNode component : template.path("components")) {
      if ("body".equals(component.path("type").asString(""))) {
        return onlyTextParameter(component);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> buttonCode(JsonNode template) {
    for (JsonNode component : template.path("components")) {
      if ("button".equals(component.path("type").asString(""))
          && "url".equals(component.path("sub_type").asString(""))
          && "0".equals(component.path("index").asString(""))) {
        return onlyTextParameter(component);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> onlyTextParameter(JsonNode component) {
    JsonNode parameters = component.path("parameters");
    if (!parameters.isArray() || parameters.size() != 1) {
      return Optional.empty();
    }
    JsonNode parameter = parameters.get(0);
    String text = parameter.path("text").asString("");
    return "text".equals(parameter.path("type").asString("")) && CODE.matcher(text).matches()
        ? Optional.of(text)
        : Optional.empty();
  }

  private static Map<String, String> param(String name, String reason) {
    return Map.of("name", name, "reason", reason);
  }
}
