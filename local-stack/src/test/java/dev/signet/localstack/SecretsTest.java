package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

  @TempDir Path dir;

  @Test
  void generatesEverySecretOnceIntoAnOwnerOnlyFileAndReusesIt() throws Exception {
    Path file = dir.resolve("secrets.properties");

    Secrets first = Secrets.loadOrCreate(file, Map.of(), new SecureRandom());
    String stored = Files.readString(file);
    Secrets second = Secrets.loadOrCreate(file, Map.of(), new SecureRandom());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    for (String key : Secrets.keys()) {
      assertThat(second.get(key)).as(key).isNotBlank().isEqualTo(first.get(key));
      assertThat(stored).contains(key + "=" + first.get(key));
    }
    assertThat(Files.readString(file)).isEqualTo(stored);
  }

  @Test
  void generatesKeysOfTheShapeTheServicesExpect() {
    Secrets secrets =
        Secrets.loadOrCreate(dir.resolve("s.properties"), Map.of(), new SecureRandom());

    assertThat(secrets.get(Secrets.SEAL_KEYS)).startsWith("k1:");
    assertThat(Base64.getDecoder().decode(secrets.get(Secrets.SEAL_KEYS).substring(3))).hasSize(32);
    assertThat(secrets.get(Secrets.SEAL_ACTIVE_KEY_ID)).isEqualTo("k1");
    assertThat(Base64.getDecoder().decode(secrets.get(Secrets.CODE_HMAC_KEY))).hasSize(32);
    assertThat(Base64.getUrlDecoder().decode(secrets.apiSecret())).hasSize(32);
    assertThat(secrets.get(Secrets.VONAGE_API_KEY)).matches("[0-9a-f]{8}");
    assertThat(secrets.get(Secrets.VONAGE_API_SECRET)).matches("[0-9a-f]{16}");
    // One Kafka password per principal, none shared, all safe inside a JAAS line and --add-scram.
    java.util.Set<String> kafka = new java.util.HashSet<>();
    for (KafkaPrincipal p : KafkaPrincipal.values()) {
      assertThat(secrets.kafkaPassword(p)).matches("[A-Za-z0-9_-]{32}");
      kafka.add(secrets.kafkaPassword(p));
    }
    assertThat(kafka).hasSize(KafkaPrincipal.values().length);
    assertThat(secrets.get(Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD)).matches("[A-Za-z0-9_-]{32}");
  }

  @Test
  void generatesTokenSigningKeysThatChallengeServiceAccepts() throws Exception {
    Secrets secrets =
        Secrets.loadOrCreate(dir.resolve("s.properties"), Map.of(), new SecureRandom());

    JWKSet set =
        JWKSet.parse(
            new String(
                Base64.getDecoder().decode(secrets.get(Secrets.TOKEN_SIGNING_KEYS)),
                StandardCharsets.UTF_8));
    ECKey key = (ECKey) set.getKeyByKeyId("t1");
    assertThat(set.getKeys()).hasSize(1);
    assertThat(key.getCurve()).isEqualTo(Curve.P_256);
    assertThat(key.isPrivate()).isTrue();
    assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(secrets.get(Secrets.TOKEN_ACTIVE_KEY_ID)).isEqualTo("t1");

    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("t1").build(),
            new JWTClaimsSet.Builder().subject("user-1").build());
    jwt.sign(new ECDSASigner(key));
    assertThat(jwt.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
  }

  @Test
  void differentDataFoldersGetDifferentSecrets() {
    Secrets a = Secrets.loadOrCreate(dir.resolve("a.properties"), Map.of(), new SecureRandom());
    Secrets b = Secrets.loadOrCreate(dir.resolve("b.properties"), Map.of(), new SecureRandom());

    assertThat(a.apiSecret()).isNotEqualTo(b.apiSecret());
    assertThat(a.get(Secrets.SEAL_KEYS)).isNotEqualTo(b.get(Secrets.SEAL_KEYS));
  }

  @Test
  void anEnvironmentVariableWinsWithoutBeingWrittenToTheFile() throws Exception {
    Path file = dir.resolve("secrets.properties");
    Secrets generated = Secrets.loadOrCreate(file, Map.of(), new SecureRandom());

    Secrets overridden =
        Secrets.loadOrCreate(
            file,
            Map.of(Secrets.API_SECRET, "from-env", Secrets.MANAGEMENT_SECRET, " "),
            new SecureRandom());

    assertThat(overridden.apiSecret()).isEqualTo("from-env");
    assertThat(overridden.managementSecret()).isEqualTo(generated.managementSecret());
    assertThat(Files.readString(file)).doesNotContain("from-env").contains(generated.apiSecret());
  }

  @Test
  void addsMissingSecretsToAnOlderFileAndTightensItsMode() throws Exception {
    Path file = dir.resolve("secrets.properties");
    Files.writeString(file, "SIGNET_API_SECRET=kept\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Secrets secrets = Secrets.loadOrCreate(file, Map.of(), new SecureRandom());

    assertThat(secrets.apiSecret()).isEqualTo("kept");
    assertThat(secrets.get(Secrets.CODE_HMAC_KEY)).isNotBlank();
    assertThat(Files.readString(file)).contains("SIGNET_CODE_HMAC_KEY=");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
