package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StackDescriptionTest {

  @TempDir Path dir;

  @Test
  void describesSecretsAndEveryComponentAsJson() {
    Secrets secrets =
        Secrets.loadOrCreate(dir.resolve("secrets.properties"), Map.of(), new SecureRandom());
    StackOptions options =
        StackOptions.parse(
            List.of("--data-dir", dir.resolve("da\"ta").toString(), "--port-offset", "100"),
            Map.of(),
            dir);
    Layout layout =
        Layout.of(dir.resolve("repo/local-stack/target"), "1", options.dataDir(), false, 7);
    List<StackDescription.Entry> entries =
        List.of(
            new StackDescription.Entry(
                Component.KAFKA,
                "kafka",
                "127.0.0.1:9192",
                9192,
                11,
                layout.log(Component.KAFKA),
                3500,
                300_000),
            new StackDescription.Entry(
                Component.CHALLENGE,
                "challenge",
                "http://127.0.0.1:8180",
                8180,
                12,
                layout.log(Component.CHALLENGE),
                11_000,
                260_000));

    Path file = dir.resolve("stack.json");
    StackDescription.write(
        file, StackDescription.json(secrets, 10, layout, options, 15_000, entries));
    JsonNode json = JsonMapper.builder().build().readTree(file.toFile());

    assertThat(json.get("apiSecret").asString()).isEqualTo(secrets.apiSecret());
    assertThat(json.get("managementSecret").asString()).isEqualTo(secrets.managementSecret());
    assertThat(json.get("dashboardOperator").asString()).isEqualTo("operator");
    assertThat(json.get("dashboardPassword").asString()).isEqualTo(secrets.dashboardPassword());
    assertThat(json.get("pid").asLong()).isEqualTo(10);
    assertThat(json.get("dataDir").asString()).isEqualTo(options.dataDir().toString());
    assertThat(json.get("portOffset").asInt()).isEqualTo(100);
    assertThat(json.get("startupMillis").asLong()).isEqualTo(15_000);
    assertThat(json.get("components").propertyNames()).containsExactly("kafka", "challenge");
    JsonNode challenge = json.get("components").get("challenge");
    assertThat(challenge.get("url").asString()).isEqualTo("http://127.0.0.1:8180");
    assertThat(challenge.get("port").asInt()).isEqualTo(8180);
    assertThat(challenge.get("pid").asLong()).isEqualTo(12);
    assertThat(challenge.get("log").asString())
        .isEqualTo(options.dataDir().resolve("logs/challenge.log").toString());
    assertThat(challenge.get("rssKib").asLong()).isEqualTo(260_000);
    assertThat(Files.exists(dir.resolve("stack.json.tmp"))).isFalse();
  }

  @Test
  void isReadableByItsOwnerOnlyAlsoWhenItReplacesAWiderFile() throws Exception {
    Path file = dir.resolve("stack.json");
    Files.writeString(file, "{}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Path leftover = dir.resolve("stack.json.tmp");
    Files.writeString(leftover, "{}");
    Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));

    StackDescription.write(file, "{\"apiSecret\": \"s\"}\n");

    assertThat(file).hasContent("{\"apiSecret\": \"s\"}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(leftover).doesNotExist();

    StackDescription.write(dir.resolve("new.json"), "{}");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new.json"))))
        .isEqualTo("rw-------");
  }

  @Test
  void escapesControlCharactersQuotesAndBackslashes() {
    assertThat(StackDescription.string("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }
}
