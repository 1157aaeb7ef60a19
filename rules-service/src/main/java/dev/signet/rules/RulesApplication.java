package dev.signet.rules;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Rules per action, decisions and risk signals, the SMS send policy. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RulesApplication {

  public static void main(String[] args) {
    // Avro 1.12 refuses generated classes outside trusted packages; trust only our event catalogue.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.signet.events");
    SpringApplication.run(RulesApplication.class, args);
  }
}
