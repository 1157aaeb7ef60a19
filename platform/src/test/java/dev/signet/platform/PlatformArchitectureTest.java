package dev.signet.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The platform is infrastructure: it knows no Signet domain, event or service type. (Its pom's
 * enforcer rule also bans every Signet module as a dependency.)
 */
class PlatformArchitectureTest {

  @Test
  void dependsOnNoSignetCodeOutsideItself() {
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.signet.platform");

    noClasses()
        .that()
        .resideInAPackage("dev.signet.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.signet.events..",
            "dev.signet.challenge..",
            "dev.signet.sms..",
            "dev.signet.rules..",
            "dev.signet.audit..",
            "dev.signet.registry..",
            "dev.signet.sandbox..",
            "dev.signet.localstack..",
            "dev.signet.bench..",
            "dev.signet.e2e..",
            "dev.signet.testsupport..")
        .because("the platform holds infrastructure only; domain code stays in its service")
        .check(classes);
  }
}
