package dev.signet.sms.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sms.config.DispatcherProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTemplatesTest {

  @ParameterizedTest
  @ValueSource(strings = {"en", "es", "fr", "de", "pt"})
  void gsmLocalesKeepASixDigitCodeToOneGsmSegmentEvenWithWebOtpAndAppHash(String language) {
    MessageTemplates templates =
        new MessageTemplates(properties(null, "login.example.com", "FA+9qCX9VSu"));

    MessageTemplates.Message message = templates.render(language, null, "123456", 10);

    assertThat(message.locale()).isEqualTo(language);
    assertThat(message.unicode()).as(message.text()).isFalse();
    assertThat(message.segments()).isEqualTo(1);
    assertThat(message.text()).contains("123456").contains("10").contains("Signet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ja", "zh", "ar"})
  void otherLocalesGoAsOneUcs2Segment(String language) {
    MessageTemplates.Message message =
        new MessageTemplates(properties(null, null, null)).render(language, null, "123456", 10);

    assertThat(message.locale()).isEqualTo(language);
    assertThat(message.unicode()).isTrue();
    assertThat(message.segments()).isEqualTo(1);
    assertThat(message.text()).contains("123456").contains("10").contains("Signet");
  }

  @Test
  void theWebOtpLineIsLastAndTheAppHashPrecedesIt() {
    MessageTemplates.Message message =
        new MessageTemplates(properties(null, "login.example.com", "FA+9qCX9VSu"))
            .render("en", "GB", "482913", 10);

    assertThat(message.text())
        .isEqualTo(
            "Your Signet code is 482913. It expires in 10 minutes.\nFA+9qCX9VSu\n\n"
                + "@login.example.com #482913");
  }

  @Test
  void theOriginBoundLineEndsAnSmsButNeverAWhatsAppMessage() {
    MessageTemplates templates = new MessageTemplates(properties(null, "auth.example.com", null));

    String sms = templates.render("en", "GB", "482913", 10, true).text();
    String whatsapp = templates.render("en", "GB", "482913", 10, false).text();

    assertThat(sms)
        .isEqualTo(
            "Your Signet code is 482913. It expires in 10 minutes.\n\n@auth.example.com #482913");
    assertThat(sms.lines().reduce((first, second) -> second)).hasValue("@auth.example.com #482913");
    assertThat(whatsapp).isEqualTo("Your Signet code is 482913. It expires in 10 minutes.");
    assertThat(templates.render("en", "GB", "482913", 10).text())
        .as("the four-argument render is the SMS text")
        .isEqualTo(sms);
  }

  @Test
  void noOriginBoundLineWhenTheSettingIsUnset() {
    MessageTemplates templates = new MessageTemplates(properties(null, null, null));

    assertThat(templates.render("en", "GB", "482913", 10, true).text())
        .isEqualTo("Your Signet code is 482913. It expires in 10 minutes.")
        .doesNotContain("@")
        .doesNotContain("#");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "127.0.0.1", "auth.example.com", "a-b.example", "AUTH.Example.COM"})
  void acceptsBareHostNames(String host) {
    MessageTemplates templates = new MessageTemplates(properties(null, host, null));

    assertThat(templates.render("en", null, "123456", 10).text())
        .endsWith("\n@" + host + " #123456");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://auth.example.com",
        "auth.example.com:443",
        "auth.example.com/ui",
        "auth_1.example.com",
        "*.example.com",
        "::1",
        "[::1]",
        "auth.example.com.",
        "-auth.example.com",
        "auth-.example.com",
        "auth..example.com",
        "auth.example.com #1",
        "auth.example.com\n@evil.test"
      })
  void refusesAnythingButABareHostName(String value) {
    assertThatThrownBy(() -> new MessageTemplates(properties(null, value, null)))
        .hasMessageContaining("web-otp-domain");
  }

  @Test
  void refusesHostNamesLongerThanDnsAllows() {
    String label = "a".repeat(63);
    String longest = String.join(".", label, label, label, "a".repeat(61));
    assertThat(longest).hasSize(253);

    assertThat(new MessageTemplates(properties(null, longest, null)).render("en", null, "1", 1))
        .isNotNull();
    assertThatThrownBy(() -> new MessageTemplates(properties(null, longest + "a", null)))
        .hasMessageContaining("web-otp-domain");
    assertThatThrownBy(() -> new MessageTemplates(properties(null, "a".repeat(64) + ".test", null)))
        .hasMessageContaining("web-otp-domain");
  }

  @Test
  void theOriginBoundLineCountsInTheSegments() {
    // '@' and '#' are GSM 03.38 basic characters: the English text stays GSM-7 and, with the line
    // for a 96-character host, still one 160-character segment; one more character makes two.
    String host96 = "h".repeat(60) + "." + "e".repeat(30) + ".test";
    assertThat(host96).hasSize(96);
    MessageTemplates.Message fits =
        new MessageTemplates(properties(null, host96, null)).render("en", null, "123456", 10);
    assertThat(fits.unicode()).isFalse();
    assertThat(fits.text()).hasSize(160);
    assertThat(fits.segments()).isEqualTo(1);
    MessageTemplates.Message over =
        new MessageTemplates(properties(null, "x" + host96, null)).render("en", null, "123456", 10);
    assertThat(over.segments()).isEqualTo(2);
    // UCS-2 texts have 70 characters a segment: the Arabic one has no room left for the line.
    MessageTemplates.Message arabic =
        new MessageTemplates(properties(null, "a.io", null)).render("ar", null, "123456", 10);
    assertThat(arabic.unicode()).isTrue();
    assertThat(arabic.segments()).isEqualTo(2);
    MessageTemplates.Message japanese =
        new MessageTemplates(properties(null, "auth.example.com", null))
            .render("ja", null, "123456", 10);
    assertThat(japanese.segments()).isEqualTo(1);
  }

  @Test
  void choosesTheChallengeLocaleThenTheNumbersCountryThenEnglish() {
    MessageTemplates templates = new MessageTemplates(properties(null, null, null));

    assertThat(templates.language("es-MX", "GB")).isEqualTo("es");
    assertThat(templates.language("pt_BR", null)).isEqualTo("pt");
    assertThat(templates.language("zh-Hant-TW", null)).isEqualTo("zh");
    assertThat(templates.language("nl-NL", "DE")).isEqualTo("de");
    assertThat(templates.language(null, "JP")).isEqualTo("ja");
    assertThat(templates.language("", "BR")).isEqualTo("pt");
    assertThat(templates.language("xx-unknown", "NL")).isEqualTo("en");
    assertThat(templates.language("not a locale!", null)).isEqualTo("en");
    assertThat(templates.language(null, null)).isEqualTo("en");
  }

  @Test
  void aTemplateFileInTheTemplateDirectoryOverridesTheBuiltInOne(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("fr.txt"), "{code} est votre code {app} ({minutes} min)\n");

    MessageTemplates templates = new MessageTemplates(properties(dir.toString(), null, null));

    assertThat(templates.render("fr", null, "777777", 5).text())
        .isEqualTo("777777 est votre code Signet (5 min)");
    assertThat(templates.render("de", null, "777777", 5).text()).contains("Code lautet 777777");
  }

  @Test
  void refusesTemplatesWithoutTheCodeAndBadSettings(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("en.txt"), "Hello from {app}");

    assertThatThrownBy(() -> new MessageTemplates(properties(dir.toString(), null, null)))
        .hasMessageContaining("{code}");
    assertThatThrownBy(() -> new MessageTemplates(properties(null, "not a domain", null)))
        .hasMessageContaining("web-otp-domain");
    assertThatThrownBy(() -> new MessageTemplates(properties(null, null, "short")))
        .hasMessageContaining("android-app-hash");
    assertThatThrownBy(
            () -> new MessageTemplates(properties(dir.resolve("missing").toString(), null, null)))
        .hasMessageContaining("template-dir");
  }

  @Test
  void countsSegmentsAsNetworksSplitThem() {
    assertThat(Gsm7.segments("a".repeat(160))).isEqualTo(1);
    assertThat(Gsm7.segments("a".repeat(161))).isEqualTo(2);
    assertThat(Gsm7.segments("a".repeat(306))).isEqualTo(2);
    assertThat(Gsm7.segments("a".repeat(307))).isEqualTo(3);
    // Extension characters take two septets: 80 euro signs fill one segment, 81 need two.
    assertThat(Gsm7.segments("€".repeat(80))).isEqualTo(1);
    assertThat(Gsm7.segments("€".repeat(81))).isEqualTo(2);
    // An escape pair is never split: 152 plain + one euro sign cannot share the first 153.
    assertThat(Gsm7.segments("a".repeat(152) + "€" + "a".repeat(152))).isEqualTo(3);
    assertThat(Gsm7.segments("認".repeat(70))).isEqualTo(1);
    assertThat(Gsm7.segments("認".repeat(71))).isEqualTo(2);
    assertThat(Gsm7.segments("認".repeat(134))).isEqualTo(2);
    assertThat(Gsm7.segments("認".repeat(135))).isEqualTo(3);
    // A surrogate pair (emoji) is never split across segments.
    assertThat(Gsm7.segments("認".repeat(66) + "😀" + "認".repeat(66))).isEqualTo(3);
  }

  private static DispatcherProperties properties(String dir, String domain, String hash) {
    return new DispatcherProperties(
        null, "key", "secret", null, null, "k1:x", null, null, null, null, null, null, null, null,
        null, null, null, null, dir, domain, hash, null, null, null, null, null, null, false, null,
        null, null, null);
  }
}
