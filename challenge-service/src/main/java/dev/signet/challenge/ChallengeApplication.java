package dev.signet.challenge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Public HTTP API: users, authenticators, challenges, tracked actions and tokens. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChallengeApplication {

  public static void main(String[] args) {
    // Avro 1.12 refuses generated classes outside trusted packages; trust only our event catalogue.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.signet.events");
    SpringApplication.run(ChallengeApplication.class, args);
  }
}
