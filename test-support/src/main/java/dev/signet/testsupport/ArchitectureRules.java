package dev.signet.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Paths;
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

  /** The classes this module compiled itself (Maven's {@code target/classes}), nothing else. */
  public static JavaClasses moduleClasses() {
    return new ClassFileImporter().importPath(Paths.get("target", "classes"));
  }

  /** Every class lives under {@code ownPackage}: no service package hides in a shared module. */
  public static ArchRule onlyIn(String ownPackage) {
    return classes()
        .should()
        .resideInAPackage(ownPackage)
        .because("shared modules hold infrastructure only; domain code stays in its service");
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

  /**
   * No class outside {@code allowedPackages} (start-up wiring) and the classes named in {@code
   * allowedClasses} waits for a reactive result ({@code block}, {@code blockFirst}, {@code
   * toIterable}, ...): one concurrency model per service, checked.
   */
  public static ArchRule noBlockingOutside(String[] allowedPackages, String... allowedClasses) {
    return noClasses()
        .that(
            DescribedPredicate.describe(
                "are outside "
                    + Arrays.toString(allowedPackages)
                    + " and not one of "
                    + Arrays.toString(allowedClasses),
                (JavaClass c) ->
                    Arrays.stream(allowedPackages)
                            .noneMatch(p -> c.getPackageName().startsWith(p.replace("..", "")))
                        && Arrays.stream(allowedClasses)
                            .noneMatch(
                                n -> c.getName().equals(n) || c.getName().startsWith(n + "$"))))
        .should()
        .callMethodWhere(BLOCKING_REACTOR_CALL);
  }

  private static final DescribedPredicate<JavaCall<?>> BLOCKING_REACTOR_CALL =
      DescribedPredicate.describe(
          "a blocking Reactor call (block, blockOptional, blockFirst, blockLast, toIterable,"
              + " toStream)",
          call ->
              call.getTargetOwner().getPackageName().startsWith("reactor.core.publisher")
                  && call.getName().matches("block.*|toIterable|toStream"));
}
