package dev.signet.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

class LaunchTest {

  @TempDir Path dir;

  private Secrets secrets;

  @BeforeEach
  void setUp() {
    secrets = Secrets.loadOrCreate(dir.resolve("secrets.properties"), Map.of(), new SecureRandom());
  }

  private List<Launch> plan(String... args) {
    StackOptions options =
        StackOptions.parse(List.of(args), Map.of("SIGNET_DATA_DIR", dir.toString()), dir);
    Layout layout =
        Layout.of(
            dir.resolve("repo/local-stack/target"),
            "1.2.3",
            options.dataDir(),
            options.inMemory(),
            42);
    return Launch.plan(options, layout, secrets, "/jdk/bin/java");
  }

  private Launch launch(List<Launch> plan, Component component) {
    return plan.stream().filter(l -> l.component() == component).findFirst().orElseThrow();
  }

  @Test
  void startsInfrastructureFirstThenTheRegistryThenEverythingElse() {
    assertThat(plan().stream().map(l -> l.component().id()))
        .containsExactly(
            "kafka",
            "mongo",
            "zipkin",
            "registry",
            "sandbox",
            "challenge",
            "rules",
            "dispatcher",
            "audit");
  }

  @Test
  void givesEveryServiceItsPortItsOwnDatabaseAndTheSharedSettingsShiftedByTheOffset() {
    Launch rules = launch(plan("--port-offset", "100"), Component.RULES);

    assertThat(rules.port()).isEqualTo(8181);
    assertThat(rules.url()).isEqualTo("http://127.0.0.1:8181");
    assertThat(rules.environment())
        .containsEntry("SIGNET_PORT", "8181")
        .containsEntry("SIGNET_MONGODB_URI", "mongodb://127.0.0.1:27117/signet-rules-service")
        .containsEntry("SIGNET_KAFKA_BOOTSTRAP", "127.0.0.1:9192")
        .containsEntry("SIGNET_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8185")
        .containsEntry("SIGNET_API_SECRET", secrets.apiSecret())
        .containsEntry("SIGNET_MANAGEMENT_SECRET", secrets.managementSecret())
        .containsEntry("SIGNET_DATA_DIR", dir.resolve("rules").toString())
        .doesNotContainKeys("SIGNET_SEAL_KEYS", "SIGNET_CODE_HMAC_KEY", "SIGNET_VONAGE_API_SECRET");
    assertThat(rules.command())
        .contains("-Xmx256m", "-XX:+UseSerialGC")
        .endsWith("-jar", dir.resolve("jars/rules-service.jar").toString());
    assertThat(rules.log()).isEqualTo(dir.resolve("logs/rules.log"));
  }

  @Test
  void pointsAuditServiceAtChallengeServiceForTheDashboardsReviewDecisions() {
    Launch audit = launch(plan("--port-offset", "100"), Component.AUDIT);

    assertThat(audit.environment())
        .containsEntry("SIGNET_CHALLENGE_URL", "http://127.0.0.1:8180")
        .containsEntry("SIGNET_API_SECRET", secrets.apiSecret())
        .containsEntry("SIGNET_MANAGEMENT_SECRET", secrets.managementSecret());
  }

  @Test
  void givesAuditServiceTheDashboardAccountHashedNeverThePassword() {
    Launch audit = launch(plan(), Component.AUDIT);

    String operators = audit.environment().get("SIGNET_DASHBOARD_OPERATORS");
    assertThat(operators)
        .startsWith("operator:{pbkdf2@SpringSecurity_v5_8}")
        .doesNotContain(secrets.dashboardPassword());
    assertThat(
            PasswordEncoderFactories.createDelegatingPasswordEncoder()
                .matches(secrets.dashboardPassword(), operators.substring("operator:".length())))
        .isTrue();
    for (Component other : Component.values()) {
      if (other != Component.AUDIT && other.kind() == Component.Kind.HTTP) {
        assertThat(launch(plan(), other).environment())
            .doesNotContainKey("SIGNET_DASHBOARD_OPERATORS");
      }
    }
  }

  @Test
  void runsZipkinInMemoryOnItsPortAndSendsEveryServicesSpansToIt() {
    List<Launch> plan = plan("--port-offset", "100", "--bind-address", "127.0.0.1");
    Launch zipkin = launch(plan, Component.ZIPKIN);

    assertThat(zipkin.environment()).containsEntry("STORAGE_TYPE", "mem");
    assertThat(zipkin.command())
        .contains("--armeria.ports[0].port=9511", "--armeria.ports[0].ip=127.0.0.1")
        .anyMatch(arg -> arg.endsWith("zipkin-server.jar"));
    for (Component c : List.of(Component.CHALLENGE, Component.RULES, Component.DISPATCHER)) {
      assertThat(launch(plan, c).environment())
          .as(c.id())
          .containsEntry(
              "MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT", "http://127.0.0.1:9511/api/v2/spans")
          .doesNotContainKey("SIGNET_DASHBOARD_TRACE_URL");
    }
    assertThat(launch(plan, Component.AUDIT).environment())
        .containsEntry(
            "SIGNET_DASHBOARD_TRACE_URL", "http://127.0.0.1:9511/zipkin/traces/{traceId}");
    // Without the Zipkin component, nothing points at a server that is not there.
    assertThat(launch(plan("--only", "kafka,mongo,challenge"), Component.CHALLENGE).environment())
        .doesNotContainKey("MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT");
  }

  @Test
  void givesEachKafkaClientItsOwnPrincipalAndNoOneTheAdminPassword() {
    List<Launch> plan = plan();
    for (Component c :
        List.of(
            Component.CHALLENGE,
            Component.RULES,
            Component.DISPATCHER,
            Component.AUDIT,
            Component.REGISTRY)) {
      KafkaPrincipal principal = KafkaPrincipal.of(c).orElseThrow();
      Map<String, String> env = launch(plan, c).environment();
      assertThat(env)
          .as(c.id())
          .containsEntry("SIGNET_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
          .containsEntry("SIGNET_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
          .containsEntry("SIGNET_KAFKA_USERNAME", principal.username())
          .containsEntry("SIGNET_KAFKA_PASSWORD", secrets.kafkaPassword(principal))
          .doesNotContainValue(secrets.kafkaPassword(KafkaPrincipal.ADMIN))
          .doesNotContainValue(secrets.kafkaPassword(KafkaPrincipal.EXTERNAL_CONSUMER));
    }
    assertThat(launch(plan, Component.SANDBOX).environment())
        .doesNotContainKeys("SIGNET_KAFKA_USERNAME", "SIGNET_KAFKA_PASSWORD");
    assertThat(launch(plan, Component.REGISTRY).environment())
        .containsEntry(
            "SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD",
            secrets.get(Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD));
    assertThat(launch(plan, Component.RULES).environment())
        .containsEntry(
            "SIGNET_SCHEMA_REGISTRY_USER_INFO",
            "schema-writer:" + secrets.get(Secrets.SCHEMA_REGISTRY_WRITER_PASSWORD));
  }

  @Test
  void sharesTheSealKeysBetweenChallengeAndDispatcherOnly() {
    List<Launch> plan = plan();
    Map<String, String> challenge = launch(plan, Component.CHALLENGE).environment();
    Map<String, String> dispatcher = launch(plan, Component.DISPATCHER).environment();

    assertThat(challenge)
        .containsEntry("SIGNET_SEAL_KEYS", secrets.get(Secrets.SEAL_KEYS))
        .containsEntry("SIGNET_SEAL_ACTIVE_KEY_ID", "k1")
        .containsEntry("SIGNET_CODE_HMAC_KEY", secrets.get(Secrets.CODE_HMAC_KEY))
        .containsEntry("SIGNET_TOKEN_SIGNING_KEYS", secrets.get(Secrets.TOKEN_SIGNING_KEYS))
        .containsEntry("SIGNET_TOKEN_ACTIVE_KEY_ID", "t1")
        .doesNotContainKey("SIGNET_VONAGE_BASE_URI");
    assertThat(dispatcher)
        .containsEntry("SIGNET_SEAL_KEYS", secrets.get(Secrets.SEAL_KEYS))
        .doesNotContainKeys("SIGNET_CODE_HMAC_KEY", "SIGNET_TOKEN_SIGNING_KEYS");
    assertThat(launch(plan, Component.AUDIT).environment()).doesNotContainKey("SIGNET_SEAL_KEYS");
  }

  @Test
  void pointsTheDispatcherAtTheSandboxAndTheSandboxAtTheDispatchersWebhook() {
    List<Launch> plan = plan("--port-offset", "100");
    Map<String, String> dispatcher = launch(plan, Component.DISPATCHER).environment();
    Map<String, String> sandbox = launch(plan, Component.SANDBOX).environment();

    assertThat(dispatcher)
        .containsEntry("SIGNET_VONAGE_BASE_URI", "http://127.0.0.1:8190")
        .containsEntry("SIGNET_VONAGE_API_KEY", secrets.get(Secrets.VONAGE_API_KEY))
        .containsEntry("SIGNET_VONAGE_API_SECRET", secrets.get(Secrets.VONAGE_API_SECRET));
    assertThat(sandbox)
        .containsEntry("SIGNET_PORT", "8190")
        .containsEntry(
            "SIGNET_SANDBOX_RECEIPT_URL", "http://127.0.0.1:8182/webhooks/vonage/delivery-receipt")
        .containsEntry(
            "SIGNET_SANDBOX_SIGNATURE_SECRET", dispatcher.get("SIGNET_VONAGE_SIGNATURE_SECRET"));
    assertThat(dispatcher.get("SIGNET_VONAGE_SIGNATURE_SECRET")).isNotBlank();
  }

  @Test
  void appendsExtraJvmOptionsFromTheEnvironmentToTheHttpComponentsOnly() {
    StackOptions options =
        StackOptions.parse(
            List.of(),
            Map.of(
                "SIGNET_DATA_DIR", dir.toString(), "SIGNET_STACK_JAVA_OPTS", " -Xmx512m  -Dx=y "),
            dir);
    Layout layout =
        Layout.of(dir.resolve("repo/local-stack/target"), "1", options.dataDir(), false, 42);
    List<Launch> plan = Launch.plan(options, layout, secrets, "java");

    assertThat(launch(plan, Component.AUDIT).command())
        .containsSubsequence("-Xmx256m", "-Xmx512m", "-Dx=y", "-jar");
    assertThat(launch(plan, Component.MONGO).command()).doesNotContain("-Dx=y");
  }

  @Test
  void appendsExtraMongoJvmOptionsFromTheEnvironmentToTheMongoWireServerOnly() {
    StackOptions options =
        StackOptions.parse(
            List.of(),
            Map.of(
                "SIGNET_DATA_DIR",
                dir.toString(),
                "SIGNET_STACK_MONGO_JAVA_OPTS",
                "-XX:-UseSerialGC -XX:+UseG1GC"),
            dir);
    Layout layout =
        Layout.of(dir.resolve("repo/local-stack/target"), "1", options.dataDir(), false, 42);
    List<Launch> plan = Launch.plan(options, layout, secrets, "java");

    assertThat(launch(plan, Component.MONGO).command())
        .containsSubsequence("-XX:+UseSerialGC", "-XX:-UseSerialGC", "-XX:+UseG1GC", "-cp");
    assertThat(launch(plan, Component.AUDIT).command()).doesNotContain("-XX:+UseG1GC");
  }

  @Test
  void keepsMongoInAnH2FileUnlessInMemory() {
    assertThat(launch(plan(), Component.MONGO).command())
        .containsSubsequence("--port", "27017", "--file", dir.resolve("mongo/signet.mv").toString())
        .doesNotContain("--in-memory");
    assertThat(launch(plan("--in-memory"), Component.MONGO).command())
        .endsWith("--port", "27017", "--in-memory");
  }

  @Test
  void throwawayRunsKeepKafkaAndComponentDataInARunFolder() {
    Launch kafka = launch(plan("--in-memory", "--port-offset", "7"), Component.KAFKA);
    Launch audit = launch(plan("--in-memory"), Component.AUDIT);

    assertThat(kafka.url()).isEqualTo("127.0.0.1:9099");
    assertThat(kafka.command())
        .endsWith(
            "kafka.Kafka", dir.resolve("tmp/run-42/config/kafka-server.properties").toString());
    assertThat(audit.environment())
        .containsEntry("SIGNET_DATA_DIR", dir.resolve("tmp/run-42/audit").toString());
    assertThat(audit.log()).isEqualTo(dir.resolve("logs/audit.log"));
    assertThat(audit.command()).endsWith("-jar", dir.resolve("jars/audit-service.jar").toString());
  }

  @Test
  void everyComponentListensOnLoopbackUnlessABindAddressIsGiven() {
    List<Launch> plan = plan();

    for (Launch launch : plan) {
      if (launch.component().isHttp()) {
        assertThat(launch.environment())
            .as("environment of %s", launch.component().id())
            .containsEntry("SERVER_ADDRESS", "127.0.0.1");
      }
    }
    assertThat(plan.stream().filter(l -> l.component().isHttp()))
        .extracting(l -> l.component().id())
        .containsExactlyInAnyOrder(
            "registry", "sandbox", "challenge", "rules", "dispatcher", "audit");
    assertThat(launch(plan, Component.MONGO).command()).containsSubsequence("--bind", "127.0.0.1");
  }

  @Test
  void aWildcardBindAddressReachesEveryComponentWhileTheyStillTalkOverLoopback() {
    List<Launch> plan = plan("--bind-address", "0.0.0.0", "--port-offset", "100");

    for (Launch launch : plan) {
      if (launch.component().isHttp()) {
        assertThat(launch.environment())
            .as("environment of %s", launch.component().id())
            .containsEntry("SERVER_ADDRESS", "0.0.0.0");
      }
      assertThat(launch.host()).isEqualTo("127.0.0.1");
    }
    assertThat(launch(plan, Component.MONGO).command()).containsSubsequence("--bind", "0.0.0.0");
    assertThat(launch(plan, Component.AUDIT).environment())
        .containsEntry("SIGNET_KAFKA_BOOTSTRAP", "127.0.0.1:9192")
        .containsEntry("SIGNET_CHALLENGE_URL", "http://127.0.0.1:8180");
  }

  @Test
  void aSpecificBindAddressIsAlsoTheAddressComponentsAndProgramsConnectTo() {
    List<Launch> plan = plan("--bind-address", "10.1.2.3");
    Launch dispatcher = launch(plan, Component.DISPATCHER);

    assertThat(dispatcher.url()).isEqualTo("http://10.1.2.3:8082");
    assertThat(dispatcher.environment())
        .containsEntry("SERVER_ADDRESS", "10.1.2.3")
        .containsEntry("SIGNET_MONGODB_URI", "mongodb://10.1.2.3:27017/signet-sms-dispatcher")
        .containsEntry("SIGNET_VONAGE_BASE_URI", "http://10.1.2.3:8090");
    assertThat(launch(plan, Component.KAFKA).url()).isEqualTo("10.1.2.3:9092");
    assertThat(launch(plan("--bind-address", "::1"), Component.RULES).url())
        .isEqualTo("http://[::1]:8081");
  }

  @Test
  void tellsOnlyChallengeServiceToAcceptTheSandboxesFictionalNumbers() {
    List<Launch> plan = plan();

    assertThat(launch(plan, Component.CHALLENGE).environment())
        .containsEntry("SIGNET_FICTIONAL_NUMBER_PREFIXES", "+4477009");
    for (Component other : List.of(Component.DISPATCHER, Component.RULES, Component.AUDIT)) {
      assertThat(launch(plan, other).environment())
          .doesNotContainKey("SIGNET_FICTIONAL_NUMBER_PREFIXES");
    }
  }

  @Test
  void tellsOnlySmsDispatcherToEndEachSmsWithTheHostedPagesHost() {
    assertThat(launch(plan(), Component.DISPATCHER).environment())
        .containsEntry("SIGNET_SMS_WEBOTP_DOMAIN", "127.0.0.1");
    assertThat(launch(plan("--bind-address", "10.1.2.3"), Component.DISPATCHER).environment())
        .containsEntry("SIGNET_SMS_WEBOTP_DOMAIN", "10.1.2.3");
    assertThat(launch(plan("--bind-address", "::1"), Component.DISPATCHER).environment())
        .as("the line has no form for an IPv6 address")
        .containsEntry("SIGNET_SMS_WEBOTP_DOMAIN", "");
    for (Component other : List.of(Component.CHALLENGE, Component.RULES, Component.AUDIT)) {
      assertThat(launch(plan(), other).environment()).doesNotContainKey("SIGNET_SMS_WEBOTP_DOMAIN");
    }
  }

  @Test
  void theLaunchersEnvironmentNamesAnotherWebOtpHostOrNone() {
    for (String value : List.of("auth.example.com", "")) {
      StackOptions options =
          StackOptions.parse(
              List.of(),
              Map.of("SIGNET_DATA_DIR", dir.toString(), "SIGNET_SMS_WEBOTP_DOMAIN", value),
              dir);
      Layout layout =
          Layout.of(dir.resolve("repo/local-stack/target"), "1", options.dataDir(), false, 42);

      assertThat(
              launch(Launch.plan(options, layout, secrets, "java"), Component.DISPATCHER)
                  .environment())
          .containsEntry("SIGNET_SMS_WEBOTP_DOMAIN", value);
    }
  }

  @Test
  void theLaunchersEnvironmentCanNarrowOrTurnOffTheFictionalRange() {
    StackOptions options =
        StackOptions.parse(
            List.of(),
            Map.of("SIGNET_DATA_DIR", dir.toString(), "SIGNET_FICTIONAL_NUMBER_PREFIXES", ""),
            dir);
    Layout layout =
        Layout.of(dir.resolve("repo/local-stack/target"), "1", options.dataDir(), false, 42);

    assertThat(
            launch(Launch.plan(options, layout, secrets, "java"), Component.CHALLENGE)
                .environment())
        .containsEntry("SIGNET_FICTIONAL_NUMBER_PREFIXES", "");
  }
}
