package dev.signet.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The documented text for a request record member of the wrong JSON type, where the API documents
 * more than the generic {@code <field> must be a string.} (e.g. {@code clientIds must be an array
 * of strings.}). It covers the member's elements too.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface MismatchText {

  /** The whole {@code errorDescription}. */
  String value();
}
