package dev.signet.sms.template;

import dev.signet.sms.config.DispatcherProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The SMS text per locale. Built-in templates live in {@code templates/sms/<lang>.txt} on the
 * classpath; a file of the same name in {@code signet.sms.template-dir} overrides one without a
 * rebuild (read at start-up). Placeholders: {@code {app}}, {@code {code}}, {@code {minutes}}. The
 * locale is the challenge's language when a template exists for it, else the language of the
 * number's country, else English. The GSM-7 locales' templates avoid characters outside the GSM
 * alphabet so that a 6-digit code stays one segment; when configured, the Android SMS Retriever app
 * hash and the WebOTP line {@code @<domain> #<code>} end the text (WebOTP must be the last line).
 * The WebOTP line goes on SMS only: it binds the code to the hosted page's origin for the browser
 * that reads the SMS, and nothing reads it in a WhatsApp message.
 */
@Component
public class MessageTemplates {

  /** Languages with a built-in template. */
  public static final List<String> LANGUAGES =
      List.of("en", "es", "fr", "de", "pt", "ja", "zh", "ar");

  private static final Pattern APP_HASH = Pattern.compile("[A-Za-z0-9+/]{11}");

  /**
   * A bare host name as the origin-bound one-time code format and Chromium's parser take it:
   * dot-separated labels of letters, digits and inner hyphens (a single label such as {@code
   * localhost} too). No scheme, port, path, underscore or IPv6 address: the format has no room for
   * them, and a browser would never match such a line to the page.
   */
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private static final Map<String, String> COUNTRY_LANGUAGE = countryLanguages();

  private final Map<String, String> templates = new LinkedHashMap<>();
  private final String appName;
  private final String webOtpDomain;
  private final String androidAppHash;

  /**
   * A rendered message: its text, the template's language, encoding and segment count, and the code
   * it carries (a WhatsApp authentication template sends the code alone, as its parameter).
   */
  public record Message(String text, String locale, boolean unicode, int segments, String code) {

    @Override
    public String toString() {
      // Never the text or the code: a record's default toString would put both in a log line.
      return "Message[locale=" + locale + ", segments=" + segments + "]";
    }
  }

  public MessageTemplates(DispatcherProperties properties) {
    this.appName = properties.appName();
    this.webOtpDomain = properties.webOtpDomain();
    this.androidAppHash = properties.androidAppHash();
    if (webOtpDomain != null && !DOMAIN.matcher(webOtpDomain).matches()) {
      throw new IllegalArgumentException("signet.sms.web-otp-domain must be a host name");
    }
    if (androidAppHash != null && !APP_HASH.matcher(androidAppHash).matches()) {
      throw new IllegalArgumentException(
          "signet.sms.android-app-hash must be the 11-character SMS Retriever hash");
    }
    for (String language : LANGUAGES) {
      templates.put(language, builtIn(language));
    }
    if (properties.templateDir() != null) {
      overrides(Path.of(properties.templateDir()));
    }
  }

  /** The template language for a challenge locale (BCP 47, may be null) and number region. */
  public String language(String locale, String countryCode) {
    if (locale != null && !locale.isBlank()) {
      String language = Locale.forLanguageTag(locale.trim().replace('_', '-')).getLanguage();
      if (templates.containsKey(language)) {
        return language;
      }
    }
    if (countryCode != null) {
      String language = COUNTRY_LANGUAGE.get(countryCode.toUpperCase(Locale.ROOT));
      if (language != null && templates.containsKey(language)) {
        return language;
      }
    }
    return "en";
  }

  /** The text of an SMS (not WhatsApp) message. */
  public Message render(String locale, String countryCode, String code, long minutes) {
    return render(locale, countryCode, code, minutes, true);
  }

  /**
   * The text for one channel: {@code sms} false (WhatsApp) leaves the WebOTP line out, since only a
   * browser reading the SMS inbox uses it.
   */
  public Message render(String locale, String countryCode, String code, long minutes, boolean sms) {
    String language = language(locale, countryCode);
    StringBuilder text =
        new StringBuilder(
            templates
                .get(language)
                .replace("{app}", appName)
                .replace("{minutes}", Long.toString(minutes))
                .replace("{code}", code));
    if (androidAppHash != null) {
      text.append('\n').append(androidAppHash);
    }
    if (webOtpDomain != null && sms) {
      text.append("\n\n@").append(webOtpDomain).append(" #").append(code);
    }
    String rendered = text.toString();
    return new Message(rendered, language, !Gsm7.isGsm7(rendered), Gsm7.segments(rendered), code);
  }

  private void overrides(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("signet.sms.template-dir is not a directory: " + dir);
    }
    for (String language : LANGUAGES) {
      Path file = dir.resolve(language + ".txt");
      if (Files.isRegularFile(file)) {
        try {
          templates.put(language, checked(Files.readString(file, StandardCharsets.UTF_8), file));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static String builtIn(String language) {
    String resource = "templates/sms/" + language + ".txt";
    try (InputStream in = MessageTemplates.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing built-in template " + resource);
      }
      return checked(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A template must show the code; a trailing newline of the file is not part of it. */
  private static String checked(String template, Object source) {
    String trimmed = template.strip();
    if (!trimmed.contains("{code}")) {
      throw new IllegalArgumentException("template " + source + " has no {code} placeholder");
    }
    return trimmed;
  }

  private static Map<String, String> countryLanguages() {
    Map<String, String> map = new LinkedHashMap<>();
    put(map, "es", "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR GQ");
    put(map, "fr", "FR MC CI SN CM CD CG MG ML BF NE TD GN RW BJ HT TG GA DJ KM");
    put(map, "de", "DE AT LI");
    put(map, "pt", "PT BR AO MZ CV GW ST TL");
    put(map, "ja", "JP");
    put(map, "zh", "CN TW HK MO");
    put(map, "ar", "SA AE EG DZ MA IQ SD SY JO LB LY TN YE OM KW QA BH PS MR");
    return Map.copyOf(map);
  }

  private static void put(Map<String, String> map, String language, String countries) {
    for (String country : Set.of(countries.split(" "))) {
      map.put(country, language);
    }
  }
}
