package dev.signet.sms.template;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The WhatsApp authentication templates under {@code signet.sms.whatsapp-template}. WhatsApp
 * delivers a business-initiated one-time code only as an approved authentication template (the code
 * as its body parameter, a copy-code button); free text reaches a user only inside a 24-hour
 * customer-care window. Templates are approved per name and language in the WhatsApp Business
 * Account, so each language of the SMS templates maps to one of them.
 *
 * @param name the template's name in the WhatsApp Business Account, used for every language without
 *     a name of its own (default {@code signet_otp})
 * @param names per SMS template language ({@code en}, {@code es}, ...), a template name of its own
 * @param languages per SMS template language, the template's WhatsApp language code; the defaults
 *     are {@code en es fr de pt_BR ja zh_CN ar}
 */
@ConfigurationProperties("signet.sms.whatsapp-template")
public record WhatsappTemplateProperties(
    String name, Map<String, String> names, Map<String, String> languages) {

  static final String DEFAULT_NAME = "signet_otp";

  /** WhatsApp template names: lower-case letters, digits and underscores, at most 512. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");

  /** WhatsApp language codes: {@code en}, {@code en_US}, {@code zh_CN}, {@code ha}. */
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");

  private static final Map<String, String> DEFAULT_LANGUAGES =
      Map.of(
          "en", "en", "es", "es", "fr", "fr", "de", "de", "pt", "pt_BR", "ja", "ja", "zh", "zh_CN",
          "ar", "ar");

  public WhatsappTemplateProperties {
    name = name == null || name.isBlank() ? DEFAULT_NAME : name.trim();
    names = names == null ? Map.of() : Map.copyOf(names);
    Map<String, String> merged = new LinkedHashMap<>(DEFAULT_LANGUAGES);
    if (languages != null) {
      merged.putAll(languages);
    }
    languages = Map.copyOf(merged);
    check("name", Map.of("", name), NAME);
    check("names", names, NAME);
    check("languages", languages, LANGUAGE);
  }

  private static void check(String property, Map<String, String> values, Pattern pattern) {
    values.forEach(
        (key, value) -> {
          if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(
                "signet.sms.whatsapp-template."
                    + property
                    + (key.isEmpty() ? "" : "." + key)
                    + " must match "
                    + pattern.pattern());
          }
        });
  }

  /** The approved template for messages rendered in {@code language} (an SMS template language). */
  public WhatsappTemplate forLanguage(String language) {
    return new WhatsappTemplate(
        names.getOrDefault(language, name), languages.getOrDefault(language, languages.get("en")));
  }

  /** One approved template: its name and WhatsApp language code. */
  public record WhatsappTemplate(String name, String language) {}
}
