package dev.signet.registry.web;

import static org.springframework.web.reactive.function.server.RequestPredicates.all;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The Confluent REST subset Signet's serde and Confluent's own clients call. */
@Configuration(proxyBeanMethods = false)
class RegistryRoutes {

  @Bean
  RouterFunction<ServerResponse> registryApi(RegistryHandler handler, ConfigHandler config) {
    return RouterFunctions.route()
        .GET("/", handler::root)
        .GET("/schemas/types", handler::schemaTypes)
        .GET("/schemas/ids/{id}", handler::schemaById)
        .GET("/schemas/ids/{id}/versions", handler::versionsOfId)
        .GET("/schemas/ids/{id}/subjects", handler::subjectsOfId)
        .GET("/subjects", handler::subjects)
        .POST("/subjects/{subject}", handler::lookup)
        .DELETE("/subjects/{subject}", handler::deleteSubject)
        .GET("/subjects/{subject}/versions", handler::versions)
        .POST("/subjects/{subject}/versions", handler::register)
        .GET("/subjects/{subject}/versions/{version}", handler::version)
        .GET("/subjects/{subject}/versions/{version}/schema", handler::rawSchema)
        .GET("/subjects/{subject}/versions/{version}/referencedby", handler::referencedBy)
        .POST("/compatibility/subjects/{subject}/versions", handler::compatibility)
        .POST("/compatibility/subjects/{subject}/versions/{version}", handler::compatibility)
        .GET("/config", config::globalConfig)
        .PUT("/config", config::updateConfig)
        .GET("/config/{subject}", config::subjectConfig)
        .PUT("/config/{subject}", config::updateConfig)
        .DELETE("/config/{subject}", config::deleteSubjectConfig)
        .GET("/mode", config::mode)
        .GET("/mode/{subject}", config::mode)
        // Newer Confluent clients probe the associations API first and fall back on a 404.
        .route(path("/associations").or(path("/associations/**")), handler::notFound)
        .route(all(), handler::notFound)
        .build();
  }
}
