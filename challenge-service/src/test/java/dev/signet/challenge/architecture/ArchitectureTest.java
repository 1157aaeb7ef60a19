package dev.signet.challenge.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.signet.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The challenge core stays pure and the domain never points up at HTTP: the rules, the outcomes and
 * the phone number know no framework, broker, database or event types, and only controllers and the
 * web package know how an outcome becomes an HTTP answer.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = ArchitectureRules.mainClasses("dev.signet.challenge");

  /** What the pure packages must not reach besides infrastructure: the adapters around them. */
  private static final String[] ADAPTERS = {
    "dev.signet.platform..",
    "dev.signet.challenge.web..",
    "dev.signet.challenge.challenge",
    "dev.signet.challenge.config.."
  };

  @Test
  void theChallengeDomainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    ArchitectureRules.pureDomain("dev.signet.challenge.challenge.domain..", ADAPTERS)
        .check(CLASSES);
  }

  @Test
  void outcomesAndPhoneNumbersDependOnNoFrameworkBrokerDatabaseOrEventTypes() {
    ArchitectureRules.pureDomain("dev.signet.challenge.outcome..", ADAPTERS).check(CLASSES);
    ArchitectureRules.pureDomain("dev.signet.challenge.phone..", ADAPTERS).check(CLASSES);
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
