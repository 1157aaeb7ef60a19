package dev.signet.audit.query;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document of the query API, served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI auditOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Signet audit-service query API")
                .version("v1")
                .description(
                    "Activity views built from every Signet topic: user timelines, challenges,"
                        + " actions, time-bucketed aggregates and the views' lag. Authenticate with"
                        + " the management secret (SIGNET_MANAGEMENT_SECRET) as a Bearer token or"
                        + " as the Basic user name. Lists are newest first and paged with opaque"
                        + " cursors (nextCursor → cursor). Errors:"
                        + " {\"error\",\"errorCode\",\"errorDescription\"}; bad parameters are 400"
                        + " invalid_request."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "managementSecret",
                    new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
  }
}
