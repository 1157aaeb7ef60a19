package dev.signet.rules.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import dev.signet.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The evaluation domain stays pure: no framework, broker, database or event types in it; and no
 * code waits for a reactive result outside start-up and the Kafka listener paths.
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
   * Only start-up wiring ({@code config}) and the Kafka listener paths, which wait on their
   * listener thread for their writes before the offset is committed, may block on a reactive
   * result; the HTTP API, the relay and the retention loop stay reactive.
   */
  @Test
  void noCodeBlocksOnAReactiveResultOutsideStartUpAndTheListenerPaths() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.signet.rules.config..")
        .and()
        .doNotHaveFullyQualifiedName("dev.signet.rules.decision.DecisionListeners")
        .and()
        .doNotHaveFullyQualifiedName("dev.signet.rules.decision.SmsSignalListeners")
        .and()
        .doNotHaveFullyQualifiedName("dev.signet.rules.decision.DecisionService")
        .and()
        .doNotHaveFullyQualifiedName("dev.signet.rules.policy.messaging.SendTrafficListeners")
        .and()
        .doNotHaveFullyQualifiedName("dev.signet.rules.store.SignalStore")
        .should()
        .callMethodWhere(blockingReactorCall())
        .check(CLASSES);
  }

  static DescribedPredicate<JavaCall<?>> blockingReactorCall() {
    return DescribedPredicate.describe(
        "a blocking Reactor call (block, blockOptional, blockFirst, blockLast, toIterable,"
            + " toStream)",
        call ->
            call.getTargetOwner().getPackageName().startsWith("reactor.core.publisher")
                && call.getName().matches("block.*|toIterable|toStream"));
  }
}
