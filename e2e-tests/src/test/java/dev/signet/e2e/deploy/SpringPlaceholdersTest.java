package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpringPlaceholdersTest {

  @TempDir Path folder;

  @Test
  void aPlaceholderWithoutDefaultIsRequiredAndOneWithADefaultIsNot() {
    assertThat(SpringPlaceholders.missingIn("${SIGNET_API_SECRET}", name -> false))
        .containsExactly("SIGNET_API_SECRET");
    assertThat(SpringPlaceholders.missingIn("${SIGNET_PORT:8080}", name -> false)).isEmpty();
    assertThat(SpringPlaceholders.missingIn("${SIGNET_PORT:}", name -> false)).isEmpty();
  }

  @Test
  void aProvidedVariableIsNotMissing() {
    assertThat(SpringPlaceholders.missingIn("${SIGNET_API_SECRET}", "SIGNET_API_SECRET"::equals))
        .isEmpty();
  }

  @Test
  void aNestedPlaceholderInTheDefaultIsRequiredOnlyWhenTheOuterOneIsNotProvided() {
    String value = "${SIGNET_SEAL_ACTIVE_KEY_ID:${SIGNET_SEAL_DEFAULT_KEY_ID}}";

    assertThat(SpringPlaceholders.missingIn(value, name -> false))
        .containsExactly("SIGNET_SEAL_DEFAULT_KEY_ID");
    assertThat(SpringPlaceholders.missingIn(value, "SIGNET_SEAL_ACTIVE_KEY_ID"::equals)).isEmpty();
  }

  @Test
  void propertyReferencesAreNotEnvironmentVariables() {
    assertThat(
            SpringPlaceholders.missingIn("${spring.application.name}-${random.uuid}", n -> false))
        .isEmpty();
  }

  @Test
  void findsEveryPlaceholderOfAValueAndUrlColonsAreDefaultsNotNames() {
    String value = "${SIGNET_HOST}:${SIGNET_PORT:8080}/${SIGNET_PATH:http://x:1/y}${SIGNET_TAIL}";

    assertThat(SpringPlaceholders.missingIn(value, name -> false))
        .containsExactly("SIGNET_HOST", "SIGNET_TAIL");
  }

  @Test
  void readsApplicationAndProductionFilesAndSkipsDocumentsOfOtherProfiles() throws IOException {
    Path resources = Files.createDirectories(folder.resolve("src/main/resources"));
    Files.writeString(
        resources.resolve("application.yml"),
        """
        signet:
          api-secret: ${SIGNET_API_SECRET}
          port: ${SIGNET_PORT:8080}
          origins:
            - ${SIGNET_ALLOWED_ORIGIN}
        ---
        spring.config.activate.on-profile: local
        signet.data-dir: ${SIGNET_DATA_DIR}
        ---
        spring:
          config:
            activate:
              on-profile: production
        signet.vonage.api-key: ${SIGNET_VONAGE_API_KEY}
        """);
    Files.writeString(
        resources.resolve("application-production.yml"), "signet.seal-keys: ${SIGNET_SEAL_KEYS}\n");
    Files.writeString(resources.resolve("application-local.yml"), "x: ${SIGNET_LOCAL_ONLY}\n");

    List<Path> files = SpringPlaceholders.productionConfigFiles(folder);
    Set<String> missing = SpringPlaceholders.missing(files, name -> false);

    assertThat(missing)
        .containsExactlyInAnyOrder(
            "SIGNET_API_SECRET",
            "SIGNET_ALLOWED_ORIGIN",
            "SIGNET_VONAGE_API_KEY",
            "SIGNET_SEAL_KEYS");
  }
}
