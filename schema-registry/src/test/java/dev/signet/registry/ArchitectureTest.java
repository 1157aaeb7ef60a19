package dev.signet.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.signet.registry");

  @Test
  void registryRulesKnowNothingOfSpringKafkaOrHttp() {
    noClasses()
        .that()
        .resideInAPackage("dev.signet.registry.schema..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "reactor..",
            "dev.signet.registry.web..",
            "dev.signet.registry.log..")
        .check(CLASSES);
  }

  @Test
  void theKafkaLogAndTheWebLayerDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.signet.registry.log..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.signet.registry.web..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.signet.registry.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..")
        .check(CLASSES);
  }
}
