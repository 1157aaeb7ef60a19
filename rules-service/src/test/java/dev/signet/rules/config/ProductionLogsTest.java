package dev.signet.rules.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Under the production profile the console carries one JSON object per line (Elastic Common
 * Schema), so that log shippers need no multi-line parsing: no banner, stack traces inside the
 * object.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionLogsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void everyLineTheServiceWritesUnderTheProductionProfileIsOneJsonObject(CapturedOutput output) {
    // A start the production check stops: start-up lines, then the failure with its stack trace.
    assertThatThrownBy(
            () -> ProductionSettingsCheckTest.startInProduction("--SIGNET_MANAGEMENT_SECRET= "))
        .isInstanceOf(IllegalStateException.class);

    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.getAll().split("\\R")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as("one JSON object: %s", line).isTrue();
        lines.add(node);
      }
    }
    assertThat(lines)
        .anySatisfy(
            line -> {
              assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
              assertThat(line.at("/message").asString())
                  .isEqualTo("The following 1 profile is active: \"production\"");
              assertThat(line.at("/service/name").asString()).isEqualTo("rules-service");
            });
    assertThat(lines)
        .anySatisfy(
            line -> {
              assertThat(line.at("/log/level").asString()).isEqualTo("ERROR");
              assertThat(line.at("/error/message").asString())
                  .contains("SIGNET_MANAGEMENT_SECRET (signet.rules.management-secret) is not set");
              assertThat(line.at("/error/stack_trace").asString())
                  .contains("at dev.signet.platform.config.ProductionSettings.check");
            });
  }
}
