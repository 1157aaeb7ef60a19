package dev.signet.audit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import dev.signet.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The activity domain stays pure; event types stay in the messaging adapters; one concurrency model
 * (no reactive pipeline is blocked on outside start-up).
 */
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

  /**
   * Kafka listeners and schedulers use blocking stores, HTTP paths stay reactive: nothing waits on
   * a reactive pipeline except the start-up code of {@code @Configuration} classes (indexes, the
   * webhook database). Shutdown disposes subscriptions and blocks on nothing.
   */
  @Test
  void noReactivePipelineIsBlockedOnOutsideStartUp() {
    noClasses()
        .that()
        .areNotAnnotatedWith(Configuration.class)
        .should()
        .callMethodWhere(BLOCKING_CALL)
        .because("a Kafka or scheduler path uses a blocking store, an HTTP path stays reactive")
        .check(CLASSES);
  }

  private static final DescribedPredicate<JavaMethodCall> BLOCKING_CALL =
      DescribedPredicate.describe(
          "Mono.block*, Flux.block* or Flux.toIterable/toStream",
          call ->
              (call.getTargetOwner().isAssignableTo(Mono.class)
                      || call.getTargetOwner().isAssignableTo(Flux.class))
                  && (call.getName().startsWith("block")
                      || call.getName().equals("toIterable")
                      || call.getName().equals("toStream")));
}
