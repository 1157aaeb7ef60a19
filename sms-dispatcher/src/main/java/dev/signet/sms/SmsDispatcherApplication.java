package dev.signet.sms;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Turns requested challenges into delivered messages through Vonage. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SmsDispatcherApplication {

  public static void main(String[] args) {
    // Avro 1.12 refuses generated classes outside trusted packages; trust only our event catalogue.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.signet.events");
    SpringApplication.run(SmsDispatcherApplication.class, args);
  }
}
