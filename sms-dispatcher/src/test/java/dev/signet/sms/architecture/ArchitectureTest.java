package dev.signet.sms.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's domain stays pure (no web, database, broker or event types), event types stay in
 * the adapters that map them, and no code waits for a reactive result outside start-up.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.signet.sms");

  @Test
  void domainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.signet.sms.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "org.apache.avro..",
            "com.mongodb..",
            "org.bson..",
            "reactor..",
            "com.vonage..",
            "com.fasterxml..",
            "tools.jackson..",
            "dev.signet.events..",
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
   * One concurrency model: the Kafka listener waits for claims through futures, everything else is
   * reactive, and only start-up wiring (the {@code config} package) may block. The outbox keeps its
   * own start-up and relay thread until it becomes shared infrastructure.
   */
  @Test
  void noCodeBlocksOnAReactiveResultOutsideStartUp() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.signet.sms.config..", "dev.signet.sms.outbox..")
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
