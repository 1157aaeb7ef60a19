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
        null, null, null, null, dir, domain, hash, null, null, null, null, null);
  }
}
