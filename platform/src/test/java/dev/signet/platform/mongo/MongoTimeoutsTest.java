package dev.signet.platform.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MongoTimeoutsTest {

  @Test
  void boundsEveryWaitOfTheDriver() {
    MongoClientSettings.Builder builder = MongoClientSettings.builder();
    MongoTimeouts.DEFAULTS.apply(builder);
    MongoClientSettings settings = builder.build();

    assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(2000);
    assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(2000);
    assertThat(settings.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS)).isEqualTo(10000);
    assertThat(settings.getConnectionPoolSettings().getMaxWaitTime(TimeUnit.MILLISECONDS))
        .isEqualTo(5000);
  }

  @Test
  void optionsInTheConnectionStringWin() {
    MongoClientSettings.Builder builder = MongoClientSettings.builder();
    MongoTimeouts.DEFAULTS.apply(builder);
    builder.applyConnectionString(
        new ConnectionString("mongodb://127.0.0.1/db?serverSelectionTimeoutMS=7000"));

    assertThat(
            builder.build().getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS))
        .isEqualTo(7000);
  }
}
