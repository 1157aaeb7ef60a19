package dev.signet.sms.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.signet.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's domain stays pure (no web, database, broker or event types), the wire's channel
 * enums stay in the adapters that map them, and no code waits for a reactive result outside
 * start-up.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES = ArchitectureRules.mainClasses("dev.signet.sms");

  @Test
  void domainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    ArchitectureRules.pureDomain(
            "dev.signet.sms.domain..",
            "com.vonage..",
            "dev.signet.sms.dispatch..",
            "dev.signet.sms.receipt..",
            "dev.signet.sms.guard..",
            "dev.signet.sms.outbox..",
            "dev.signet.sms.testnumber..",
            "dev.signet.sms.web..",
            "dev.signet.sms.config..")
        .check(CLASSES);
  }

  @Test
  void nothingButTheKafkaListenersAndEventMappersSeesTheWireChannel() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.signet.sms.dispatch..", "dev.signet.sms.receipt..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.signet.events.sms.SmsChannel")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.signet.events.challenge.SmsChannel")
        .check(CLASSES);
  }

  /**
   * One concurrency model: the Kafka listener waits for the claims of its batch through futures,
   * everything after a claim is reactive, and only start-up wiring ({@code config}) may block.
   */
  @Test
  void noCodeBlocksOnAReactiveResultOutsideStartUp() {
    ArchitectureRules.noBlockingOutside(new String[] {"dev.signet.sms.config.."}).check(CLASSES);
  }
}
