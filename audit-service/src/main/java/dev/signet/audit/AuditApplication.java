package dev.signet.audit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Activity views, the operator dashboard and the audit topic. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuditApplication {

  public static void main(String[] args) {
    // Avro 1.12 refuses generated classes outside trusted packages; trust only our event catalogue.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.signet.events");
    SpringApplication.run(AuditApplication.class, args);
  }
}
