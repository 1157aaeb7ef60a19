package dev.signet.challenge.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The challenge core stays pure and the domain never points up at HTTP: the rules, the outcomes and
 * the phone number know no framework, broker, database or event types, and only controllers and the
 * web package know how an outcome becomes an HTTP answer.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.signet.challenge");

  @Test
  void theChallengeDomainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.signet.challenge.challenge.domain..",
            "dev.signet.challenge.outcome..",
            "dev.signet.challenge.phone..")
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
            "dev.signet.platform..",
            "dev.signet.challenge.web..",
            "dev.signet.challenge.challenge",
            "dev.signet.challenge.config..")
        .check(CLASSES);
  }

  @Test
  void challengeDomainCodeOutsideControllersNeverDependsOnTheWebLayer() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.signet.challenge.challenge..",
            "dev.signet.challenge.code..",
            "dev.signet.challenge.phone..",
            "dev.signet.challenge.policy..",
            "dev.signet.challenge.limits..",
            "dev.signet.challenge.testnumber..",
            "dev.signet.challenge.outcome..")
        .and()
        .areNotAnnotatedWith(RestController.class)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.signet.challenge.web..")
        .check(CLASSES);
  }
}
