package dev.signet.rules.management;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document of the management API, served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI rulesOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Signet rules-service management API")
                .version("v1")
                .description(
                    "Rules per action, default outcomes and dry runs. Authenticate with the"
                        + " management secret (SIGNET_MANAGEMENT_SECRET) as a Bearer token or as"
                        + " the Basic user name. Errors:"
                        + " {\"error\",\"errorCode\",\"errorDescription\"}."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "managementSecret",
                    new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
  }
}
