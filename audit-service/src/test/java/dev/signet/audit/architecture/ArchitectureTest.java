package dev.signet.audit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.signet.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The activity domain stays pure; event types stay in the messaging adapters. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = ArchitectureRules.mainClasses("dev.signet.audit");

  @Test
  void activityDomainDependsOnNoFrameworkBrokerDatabaseOrEventTypes() {
    ArchitectureRules.pureDomain(
            "dev.signet.audit.activity..",
            "dev.signet.audit.ingest..",
            "dev.signet.audit.view..",
            "dev.signet.audit.query..",
            "dev.signet.audit.publish..",
            "dev.signet.audit.web..",
            "dev.signet.audit.config..")
        .check(CLASSES);
  }

  @Test
  void webhookDomainDependsOnNoFrameworkBrokerOrDatabase() {
    ArchitectureRules.pureDomain("dev.signet.audit.webhook.domain..", "io.netty..").check(CLASSES);
  }

  @Test
  void avroEventTypesStayInTheIngestAndPublishAdapters() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.signet.audit.ingest..",
            "dev.signet.audit.publish..",
            "dev.signet.audit.config..",
            "dev.signet.audit.webhook.messaging..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.signet.events.action..",
            "dev.signet.events.audit..",
            "dev.signet.events.authenticator..",
            "dev.signet.events.challenge..",
            "dev.signet.events.policy..",
            "dev.signet.events.sms..",
            "dev.signet.events.user..",
            "org.apache.avro..")
        .check(CLASSES);
  }
}
