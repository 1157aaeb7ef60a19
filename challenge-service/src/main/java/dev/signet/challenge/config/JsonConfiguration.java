package dev.signet.challenge.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;

/**
 * JSON of the HTTP API. Input is strict: a duplicated key is an error, not a silent "last one
 * wins". Output omits what is unset: a member whose value is null is left out, in records and in
 * maps alike, because Authsignal's SDK types mark those members optional and apps test them with
 * {@code === undefined} (an explicit {@code null} would read as a value).
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

  @Bean
  JsonMapperBuilderCustomizer strictDuplicateKeys() {
    return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  @Bean
  JsonMapperBuilderCustomizer omitUnset() {
    return builder ->
        builder.changeDefaultPropertyInclusion(
            inclusion ->
                inclusion
                    .withValueInclusion(JsonInclude.Include.NON_NULL)
                    .withContentInclusion(JsonInclude.Include.NON_NULL));
  }
}
