package dev.signet.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The architecture rules every service applies to itself: domain packages free of framework,
 * broker, database and event types, and the shared modules free of service code.
 */
public final class ArchitectureRules {

  /** What a domain package must not depend on, whatever the service. */
  public static final String[] INFRASTRUCTURE =
      new String[] {
        "org.springframework..",
        "org.apache.kafka..",
        "org.apache.avro..",
        "com.mongodb..",
        "org.bson..",
        "reactor..",
        "com.fasterxml..",
        "tools.jackson..",
        "dev.signet.events.."
      };

  /** The packages of the services: code that stays in its service. */
  public static final String[] SERVICES =
      new String[] {
        "dev.signet.challenge..",
        "dev.signet.sms..",
        "dev.signet.rules..",
        "dev.signet.audit..",
        "dev.signet.registry..",
        "dev.signet.sandbox..",
        "dev.signet.localstack..",
        "dev.signet.bench..",
        "dev.signet.e2e.."
      };

  private ArchitectureRules() {}

  /** The main classes under {@code rootPackage}, tests excluded. */
  public static JavaClasses mainClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(rootPackage);
  }

  /**
   * Classes in {@code domainPackage} (an ArchUnit package pattern) depend on none of {@link
   * #INFRASTRUCTURE} nor on the service's own adapter packages {@code alsoForbidden}.
   */
  public static ArchRule pureDomain(String domainPackage, String... alsoForbidden) {
    return noClasses()
        .that()
        .resideInAPackage(domainPackage)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            Stream.concat(Arrays.stream(INFRASTRUCTURE), Arrays.stream(alsoForbidden))
                .toArray(String[]::new));
  }

  /** Classes in {@code sharedPackage} depend on no service's classes. */
  public static ArchRule noServiceCode(String sharedPackage) {
    return noClasses()
        .that()
        .resideInAPackage(sharedPackage)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVICES)
        .because("shared modules hold infrastructure only; domain code stays in its service");
  }
}
