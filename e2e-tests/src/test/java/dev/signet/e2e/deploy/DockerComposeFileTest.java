package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validates the production docker-compose.yml without a Docker engine: every container is buildable
 * or pulled, health-checked, memory-limited and restarted; start-up waits for healthy dependencies;
 * each Signet service gets every variable its Spring configuration requires (read from the service
 * modules at test time, so new settings are caught); secrets never have defaults.
 */
class DockerComposeFileTest {

  /** Compose service name = Maven module folder of each Signet service, with its HTTP port. */
  static final Map<String, Integer> SIGNET_SERVICES =
      Map.of(
          "challenge-service",
          8080,
          "rules-service",
          8081,
          "sms-dispatcher",
          8082,
          "audit-service",
          8083);

  private static final Pattern MEMORY = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([kmg]?)b?");
  private static final Pattern URI_PASSWORD =
      Pattern.compile("://[^:/@\\s]+:(\\$\\{[^}]*}|[^@\\s]+)@");

  private static Path root;
  private static ComposeFile compose;
  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  static void readComposeFile() throws IOException {
    root = RepositoryRoot.find();
    compose = ComposeFile.read(root.resolve(RepositoryRoot.COMPOSE_FILE));
    services = compose.services();
  }

  @Test
  void runsKafkaInKraftModeTheSchemaRegistryMongoDbAndTheFourSignetServices() {
    assertThat(services)
        .containsKeys("kafka", "schema-registry", "mongodb")
        .containsKeys(SIGNET_SERVICES.keySet().toArray(String[]::new));
    assertThat(String.valueOf(services.get("kafka").get("image"))).startsWith("apache/kafka:4.2.");
    assertThat(ComposeFile.environment(services.get("kafka")))
        .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
        .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
    assertThat(String.valueOf(services.get("schema-registry").get("image")))
        .startsWith("confluentinc/cp-schema-registry:");
    assertThat(String.valueOf(services.get("mongodb").get("image"))).startsWith("mongo:7");
  }

  @Test
  void everyServiceHasAnImageOrABuildWhoseDockerfileExists() {
    services.forEach(
        (name, service) -> {
          Object build = service.get("build");
          assertThat(service.get("image") != null || build != null)
              .as("%s has an image or a build", name)
              .isTrue();
          if (build != null) {
            assertThat(dockerfile(service)).as("Dockerfile of %s", name).isRegularFile();
          }
        });
  }

  @Test
  void everyServiceHasAnEnabledHealthCheck() {
    services.forEach(
        (name, service) ->
            assertThat(hasHealthCheck(service)).as("%s health check", name).isTrue());
  }

  @Test
  void everyServiceHasAMemoryLimit() {
    services.forEach(
        (name, service) -> {
          Object limit = ComposeFile.at(service, "deploy", "resources", "limits", "memory");
          if (limit == null) {
            limit = service.get("mem_limit");
          }
          assertThat(limit).as("%s memory limit", name).isNotNull();
          assertThat(megabytes(String.valueOf(limit)))
              .as("%s memory limit in MB", name)
              .isPositive();
        });
  }

  @Test
  void everyServiceIsRestartedAfterAFailure() {
    services.forEach(
        (name, service) -> {
          Object restart = service.get("restart");
          if (restart == null) {
            restart = ComposeFile.at(service, "deploy", "restart_policy", "condition");
          }
          assertThat(String.valueOf(restart))
              .as("%s restart policy", name)
              .isIn("always", "unless-stopped", "on-failure", "any");
        });
  }

  @Test
  void everyDependencyWaitsUntilAHealthCheckedServiceIsHealthy() {
    services.forEach(
        (name, service) -> {
          Object dependsOn = service.get("depends_on");
          if (dependsOn == null) {
            return;
          }
          assertThat(dependsOn)
              .as("%s depends_on must be a map with conditions (a list only waits for start)", name)
              .isInstanceOf(Map.class);
          ComposeFile.map(dependsOn)
              .forEach(
                  (dependency, condition) -> {
                    assertThat(ComposeFile.at(ComposeFile.map(condition), "condition"))
                        .as("%s waits for %s", name, dependency)
                        .isEqualTo("service_healthy");
                    assertThat(services)
                        .as("%s depends on a defined service", name)
                        .containsKey(dependency);
                    assertThat(hasHealthCheck(services.get(dependency)))
                        .as("%s, which %s waits for, has a health check", dependency, name)
                        .isTrue();
                  });
        });
  }

  @Test
  void signetServicesAreBuiltFromTheirModulesAndCheckActuatorHealthOnTheirPort() {
    SIGNET_SERVICES.forEach(
        (name, port) -> {
          Map<String, Object> service = services.get(name);
          assertThat(root.resolve(name).resolve("pom.xml"))
              .as("module of %s", name)
              .isRegularFile();
          assertThat(ComposeFile.at(service, "build", "args", "SERVICE"))
              .as("%s build argument SERVICE", name)
              .isEqualTo(name);
          Map<String, String> environment = ComposeFile.environment(service);
          assertThat(environment)
              .as("%s environment", name)
              .containsEntry("SIGNET_PORT", String.valueOf(port))
              .containsEntry("SPRING_PROFILES_ACTIVE", "production");
          assertThat(healthCheckCommand(service))
              .as("%s health check", name)
              .contains("127.0.0.1:" + port + "/actuator/health/readiness");
        });
  }

  @Test
  void signetServicesUseTheReplicaSetWithADatabaseEach() {
    Set<String> databases = new LinkedHashSet<>();
    SIGNET_SERVICES.keySet().stream()
        .sorted()
        .forEach(
            name -> {
              String uri = ComposeFile.environment(services.get(name)).get("SIGNET_MONGODB_URI");
              assertThat(uri)
                  .as("%s SIGNET_MONGODB_URI", name)
                  .startsWith("mongodb://")
                  .contains("@mongodb:27017/")
                  .contains("replicaSet=rs0");
              databases.add(uri.replaceAll("^.*@mongodb:27017/([^?]+).*$", "$1"));
            });
    assertThat(databases).as("one database per service").hasSize(SIGNET_SERVICES.size());
  }

  @Test
  void mongoDbCreatesTheUserEachServiceConnectsWithOnItsDatabase() throws IOException {
    String healthScript = Files.readString(root.resolve("deploy/mongodb/replica-set-health.js"));
    Map<String, String> mongoEnvironment = ComposeFile.environment(services.get("mongodb"));
    Pattern credentials =
        Pattern.compile(
            "^mongodb://([^:]+):\\$\\{([A-Z0-9_]+):\\?[^}]*}@mongodb:27017/([^?]+)\\?.*$");
    for (String name : SIGNET_SERVICES.keySet()) {
      String uri = ComposeFile.environment(services.get(name)).get("SIGNET_MONGODB_URI");
      Matcher matcher = credentials.matcher(String.valueOf(uri));
      assertThat(matcher.matches()).as("%s URI has a user and a required password", name).isTrue();
      String user = matcher.group(1);
      String passwordVariable = matcher.group(2);
      String database = matcher.group(3);
      assertThat(healthScript)
          .as("replica-set-health.js creates %s on %s with %s", user, database, passwordVariable)
          .contains(
              "{ user: '%s', database: '%s', passwordVariable: '%s' }"
                  .formatted(user, database, passwordVariable));
      assertThat(Interpolation.findAll(String.valueOf(mongoEnvironment.get(passwordVariable))))
          .as("mongodb container receives %s", passwordVariable)
          .extracting(Interpolation::name)
          .containsExactly(passwordVariable);
    }
  }

  @Test
  void eachSignetServiceGetsEveryVariableItsProductionConfigurationRequires() throws IOException {
    Map<String, Set<String>> missingByService = new LinkedHashMap<>();
    for (String name : SIGNET_SERVICES.keySet()) {
      List<Path> files = SpringPlaceholders.productionConfigFiles(root.resolve(name));
      assertThat(files).as("%s has an application.yml", name).isNotEmpty();
      Map<String, String> environment = ComposeFile.environment(services.get(name));
      Set<String> missing =
          SpringPlaceholders.missing(files, variable -> environment.get(variable) != null);
      if (!missing.isEmpty()) {
        missingByService.put(name, missing);
      }
    }
    assertThat(missingByService)
        .as("variables required without default but not provided")
        .isEmpty();
  }

  @Test
  void secretsAreRequiredVariablesWithoutDefaults() {
    List<String> problems = new ArrayList<>();
    for (Interpolation reference : Interpolation.findAll(compose.text())) {
      if (isSecret(reference.name()) && !reference.required()) {
        problems.add("${" + reference.name() + reference.operator() + "...} must be ${NAME:?...}");
      }
    }
    services.forEach(
        (name, service) ->
            ComposeFile.environment(service)
                .forEach(
                    (key, value) -> {
                      if (isSecret(key) && !onlyRequiredReferences(value)) {
                        problems.add(name + " " + key + " is not a required variable");
                      }
                      Matcher password = URI_PASSWORD.matcher(value == null ? "" : value);
                      while (password.find()) {
                        if (!onlyRequiredReferences(password.group(1))) {
                          problems.add(name + " " + key + " has a password that is not required");
                        }
                      }
                    }));
    assertThat(problems).isEmpty();
  }

  @Test
  void everyVariableTheFileReadsIsDocumentedInTheOperationsGuide() throws IOException {
    assertThat(undocumentedVariables(root, compose))
        .as("variables missing from docs/operations.md")
        .isEmpty();
  }

  /** The variables {@code file} reads that docs/operations.md does not name in backticks. */
  static Set<String> undocumentedVariables(Path root, ComposeFile file) throws IOException {
    String guide = Files.readString(root.resolve("docs/operations.md"));
    Set<String> undocumented = new LinkedHashSet<>();
    for (Interpolation reference : Interpolation.findAll(file.text())) {
      if (!guide.contains("`" + reference.name() + "`")) {
        undocumented.add(reference.name());
      }
    }
    return undocumented;
  }

  @Test
  void everyBindMountedPathExists() {
    services.forEach(
        (name, service) -> {
          Object volumes = service.get("volumes");
          if (!(volumes instanceof List<?> list)) {
            return;
          }
          for (Object volume : list) {
            String source = String.valueOf(volume).split(":", 2)[0];
            if (source.startsWith(".")) {
              assertThat(compose.directory().resolve(source).normalize())
                  .as("%s bind mount %s", name, source)
                  .exists();
            }
          }
        });
  }

  @Test
  void serviceImagesRunAJre17AsANonRootUser() throws IOException {
    Set<Path> dockerfiles = new LinkedHashSet<>();
    SIGNET_SERVICES.keySet().forEach(name -> dockerfiles.add(dockerfile(services.get(name))));
    for (Path dockerfile : dockerfiles) {
      List<String> lines = Files.readAllLines(dockerfile);
      assertThat(lines).as("%s base image", dockerfile).anyMatch(line -> line.contains("17-jre"));
      String lastUser =
          lines.stream()
              .map(String::trim)
              .filter(line -> line.toUpperCase(Locale.ROOT).startsWith("USER "))
              .reduce((first, second) -> second)
              .orElse("USER root");
      assertThat(lastUser.substring(5).trim())
          .as("%s runs as", dockerfile)
          .isNotIn("root", "0", "0:0", "root:root");
    }
  }

  private static Path dockerfile(Map<String, Object> service) {
    Object build = service.get("build");
    if (build instanceof String context) {
      return compose.directory().resolve(context).resolve("Dockerfile").normalize();
    }
    Map<String, Object> definition = ComposeFile.map(build);
    Path context =
        compose.directory().resolve(String.valueOf(definition.getOrDefault("context", ".")));
    return context
        .resolve(String.valueOf(definition.getOrDefault("dockerfile", "Dockerfile")))
        .normalize();
  }

  private static boolean hasHealthCheck(Map<String, Object> service) {
    Map<String, Object> healthCheck = ComposeFile.map(service.get("healthcheck"));
    if (Boolean.TRUE.equals(healthCheck.get("disable"))) {
      return false;
    }
    String command = healthCheckCommand(service);
    return !command.isBlank() && !command.startsWith("NONE");
  }

  static String healthCheckCommand(Map<String, Object> service) {
    Object test = ComposeFile.at(service, "healthcheck", "test");
    if (test instanceof List<?> list) {
      return String.join(" ", list.stream().map(String::valueOf).toList());
    }
    return test == null ? "" : String.valueOf(test);
  }

  private static long megabytes(String size) {
    Matcher matcher = MEMORY.matcher(size.trim());
    if (!matcher.matches()) {
      fail("unreadable memory size " + size);
    }
    double amount = Double.parseDouble(matcher.group(1));
    return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
      case "g" -> (long) (amount * 1024);
      case "m" -> (long) amount;
      case "k" -> (long) (amount / 1024);
      default -> (long) (amount / (1024 * 1024));
    };
  }

  /** Names that hold secrets: passwords, secrets, private or HMAC material, keys (not key ids). */
  static boolean isSecret(String name) {
    return name.matches(".*(SECRET|PASSWORD|PRIVATE|HMAC).*") || name.matches(".*_KEYS?$");
  }

  private static boolean onlyRequiredReferences(String value) {
    if (value == null) {
      return false;
    }
    List<Interpolation> references = Interpolation.findAll(value);
    String literal = value.replace("$$", "").replaceAll("\\$\\{[^}]*}", "");
    return !references.isEmpty()
        && literal.isEmpty()
        && references.stream().allMatch(Interpolation::required);
  }
}
