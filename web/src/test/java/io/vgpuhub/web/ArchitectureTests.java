package io.vgpuhub.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module picture holds: web -> metering -> db, and the host agent shares no code with the server. */
class ArchitectureTests {

    static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vgpuhub");
    }

    @Test
    void theServerNeverUsesHostAgentCode() {
        noClasses().that().resideInAnyPackage("io.vgpuhub.web..", "io.vgpuhub.metering..", "io.vgpuhub.db..")
                .should().dependOnClassesThat().resideInAPackage("io.vgpuhub.agent..")
                .check(classes);
    }

    @Test
    void theHostAgentNeverUsesServerCode() {
        noClasses().that().resideInAPackage("io.vgpuhub.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vgpuhub.web..", "io.vgpuhub.metering..", "io.vgpuhub.db..")
                .check(classes);
    }

    @Test
    void meteringAndTheSchemaNeverReachUpIntoTheServer() {
        noClasses().that().resideInAnyPackage("io.vgpuhub.metering..", "io.vgpuhub.db..")
                .should().dependOnClassesThat().resideInAPackage("io.vgpuhub.web..")
                .check(classes);
    }

    @Test
    void theSchemaModuleNeverUsesMetering() {
        noClasses().that().resideInAPackage("io.vgpuhub.db..")
                .should().dependOnClassesThat().resideInAPackage("io.vgpuhub.metering..")
                .check(classes);
    }
}
