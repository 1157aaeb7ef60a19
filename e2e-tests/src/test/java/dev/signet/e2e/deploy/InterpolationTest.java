package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterpolationTest {

  @Test
  void tellsRequiredVariablesFromDefaultedAndBareOnes() {
    var references =
        Interpolation.findAll(
            "a: ${SECRET:?set it, see docs} b: ${PORT:-8080} c: ${PLAIN} d: ${OTHER?unset}");

    assertThat(references)
        .extracting(Interpolation::name)
        .containsExactly("SECRET", "PORT", "PLAIN", "OTHER");
    assertThat(references)
        .extracting(Interpolation::required)
        .containsExactly(true, false, false, true);
    assertThat(references.get(1).hasDefault()).isTrue();
    assertThat(references.get(1).argument()).isEqualTo("8080");
  }

  @Test
  void ignoresEscapedDollars() {
    assertThat(Interpolation.findAll("echo $${HOME} $$HOME")).isEmpty();
  }

  @Test
  void recognisesSecretNamesButNotKeyIds() {
    assertThat(DockerComposeFileTest.isSecret("SIGNET_API_SECRET")).isTrue();
    assertThat(DockerComposeFileTest.isSecret("SIGNET_SEAL_KEYS")).isTrue();
    assertThat(DockerComposeFileTest.isSecret("SIGNET_CODE_HMAC_KEY")).isTrue();
    assertThat(DockerComposeFileTest.isSecret("SIGNET_MONGODB_ROOT_PASSWORD")).isTrue();
    assertThat(DockerComposeFileTest.isSecret("SIGNET_SEAL_ACTIVE_KEY_ID")).isFalse();
    assertThat(DockerComposeFileTest.isSecret("SIGNET_KAFKA_BOOTSTRAP")).isFalse();
  }
}
