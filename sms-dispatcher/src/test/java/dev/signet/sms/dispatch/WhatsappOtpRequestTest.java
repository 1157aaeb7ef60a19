package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sms.template.WhatsappTemplateProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WhatsappOtpRequestTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void sendsTheCodeAsTheApprovedAuthenticationTemplateWithItsCopyCodeButtonNeverAsText() {
    WhatsappTemplateProperties templates =
        new WhatsappTemplateProperties(null, Map.of("pt", "signet_otp_pt"), null);

    JsonNode request =
        JSON.readTree(
            WhatsappOtpRequest.of(
                    "447700900000",
                    "447700900123",
                    "482913",
                    templates.forLanguage("pt"),
                    "challenge-1:1")
                .toJson());

    assertThat(request.path("channel").asString()).isEqualTo("whatsapp");
    assertThat(request.path("message_type").asString()).isEqualTo("custom");
    assertThat(request.has("text")).isFalse();
    assertThat(request.path("client_ref").asString()).isEqualTo("challenge-1:1");
    JsonNode template = request.path("custom").path("template");
    assertThat(request.path("custom").path("type").asString()).isEqualTo("template");
    assertThat(template.path("name").asString()).isEqualTo("signet_otp_pt");
    assertThat(template.path("language").path("code").asString()).isEqualTo("pt_BR");
    assertThat(template.path("language").path("policy").asString()).isEqualTo("deterministic");
    JsonNode body = template.path("components").get(0);
    assertThat(body.path("type").asString()).isEqualTo("body");
    assertThat(body.path("parameters").get(0).path("text").asString()).isEqualTo("482913");
    JsonNode button = template.path("components").get(1);
    assertThat(button.path("type").asString()).isEqualTo("button");
    assertThat(button.path("sub_type").asString()).isEqualTo("url");
    assertThat(button.path("index").asString()).isEqualTo("0");
    assertThat(button.path("parameters").get(0).path("text").asString()).isEqualTo("482913");
  }

  @Test
  void languagesWithoutANameOfTheirOwnUseTheDefaultTemplateAndUnknownOnesEnglish() {
    WhatsappTemplateProperties templates =
        new WhatsappTemplateProperties("acme_login", null, Map.of("de", "de_AT"));

    assertThat(templates.forLanguage("de"))
        .isEqualTo(new WhatsappTemplateProperties.WhatsappTemplate("acme_login", "de_AT"));
    assertThat(templates.forLanguage("zh").language()).isEqualTo("zh_CN");
    assertThat(templates.forLanguage("xx").language()).isEqualTo("en");
    assertThat(new WhatsappTemplateProperties(null, null, null).name()).isEqualTo("signet_otp");
  }

  @Test
  void refusesTemplateNamesAndLanguagesWhatsappWouldNotHave() {
    assertThatThrownBy(() -> new WhatsappTemplateProperties("Signet OTP", null, null))
        .hasMessageContaining("signet.sms.whatsapp-template.name");
    assertThatThrownBy(() -> new WhatsappTemplateProperties(null, null, Map.of("en", "english")))
        .hasMessageContaining("signet.sms.whatsapp-template.languages.en");
  }
}
