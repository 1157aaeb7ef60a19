package dev.signet.rules.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The evaluation domain stays pure: no framework, broker, database or event types in it. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.signet.rules");

  @Test
  void evaluationDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.signet.rules.evaluation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "org.apache.avro..",
            "com.mongodb..",
            "org.bson..",
            "reactor..",
            "com.fasterxml..",
            "tools.jackson..",
            "dev.signet.events..",
            "dev.signet.rules.store..",
            "dev.signet.rules.management..",
            "dev.signet.rules.decision..",
            "dev.signet.rules.web..",
            "dev.signet.rules.config..")
        .check(CLASSES);
  }

  @Test
  void sendPolicyDomainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.signet.rules.policy")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "org.apache.avro..",
            "com.mongodb..",
            "org.bson..",
            "reactor..",
            "com.fasterxml..",
            "tools.jackson..",
            "dev.signet.events..",
            "dev.signet.rules.store..",
            "dev.signet.rules.management..",
            "dev.signet.rules.policy.service..",
            "dev.signet.rules.policy.messaging..")
        .check(CLASSES);
  }

  @Test
  void eventTypesStayInTheMessagingAdapterAndKafkaWiring() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.signet.rules.decision..",
            "dev.signet.rules.policy.messaging..",
            "dev.signet.rules.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.signet.events..")
        .check(CLASSES);
  }
}
