package dev.signet.rules.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.signet.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The evaluation domain stays pure: no framework, broker, database or event types in it; and no
 * code waits for a reactive result outside start-up.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = ArchitectureRules.mainClasses("dev.signet.rules");

  @Test
  void evaluationDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    ArchitectureRules.pureDomain(
            "dev.signet.rules.evaluation..",
            "dev.signet.rules.store..",
            "dev.signet.rules.management..",
            "dev.signet.rules.decision..",
            "dev.signet.rules.web..",
            "dev.signet.rules.config..")
        .check(CLASSES);
  }

  @Test
  void sendPolicyDomainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    ArchitectureRules.pureDomain(
            "dev.signet.rules.policy",
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

  /**
   * Only start-up wiring ({@code config}) may block on a reactive result. The Kafka listener paths
   * block on their listener thread with blocking stores (MongoDB's synchronous driver) instead; the
   * HTTP API, the relay and the retention loop stay reactive.
   */
  @Test
  void noCodeBlocksOnAReactiveResultOutsideStartUp() {
    ArchitectureRules.noBlockingOutside(new String[] {"dev.signet.rules.config.."}).check(CLASSES);
  }
}
