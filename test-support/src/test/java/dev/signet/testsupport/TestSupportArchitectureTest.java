package dev.signet.testsupport;

import org.junit.jupiter.api.Test;

/** Test support is shared by every service, so it holds no service's code. */
class TestSupportArchitectureTest {

  @Test
  void dependsOnNoServiceCode() {
    ArchitectureRules.noServiceCode("dev.signet.testsupport..")
        .check(ArchitectureRules.mainClasses("dev.signet.testsupport"));
  }

  @Test
  void holdsNoOtherPackage() {
    ArchitectureRules.onlyIn("dev.signet.testsupport..").check(ArchitectureRules.moduleClasses());
  }
}
