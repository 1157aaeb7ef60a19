package dev.signet.platform;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Paths;
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
        .dependOnClassesThat(
            resideInAPackage("dev.signet..").and(resideOutsideOfPackage("dev.signet.platform..")))
        .because("the platform holds infrastructure only; domain code stays in its service")
        .check(classes);
  }

  @Test
  void holdsNoOtherPackage() {
    classes()
        .should()
        .resideInAPackage("dev.signet.platform..")
        .because("the platform holds infrastructure only; domain code stays in its service")
        .check(new ClassFileImporter().importPath(Paths.get("target", "classes")));
  }
}
