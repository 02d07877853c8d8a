package org.infrakit.diagnostics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class DeployFolderCheckTest {
    @TempDir
    Path deploy;
    private final DeployFolderCheck check = new DeployFolderCheck(null);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DeployFolderCheck.class);

    @BeforeEach
    void capture() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
    }

    @Test
    void bundlesAndPlainConfigurationsAreLeftToFileInstall() throws IOException {
        assertThat(check.canHandle(jar("plugin.jar", "org.example.plugin"))).isFalse();
        assertThat(check.canHandle(file("org.infrakit.instance.file-b.cfg", "name=b\n"))).isFalse();
        assertThat(check.canHandle(file("org.infrakit.group.cfg", "parallelism=2\n"))).isFalse();
        assertThat(check.canHandle(file("notes.txt", "hello"))).isFalse();
    }

    @Test
    void aJarThatIsNoBundleIsReportedWithTheReason() throws IOException {
        File garbage = file("broken.jar", "this is not a jar");
        File plain = jar("library.jar", null);

        assertThat(check.canHandle(garbage)).isTrue();
        assertThat(check.canHandle(plain)).isTrue();
        check.install(garbage);
        check.update(plain);

        assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR);
        assertThat(events.list.get(0).getFormattedMessage()).startsWith(garbage + ": not a jar file (")
                .endsWith("; ignored");
        assertThat(events.list.get(1).getFormattedMessage())
                .isEqualTo(plain + ": not an OSGi bundle: its manifest has no Bundle-SymbolicName; ignored");
    }

    @Test
    void aTildeFactoryConfigurationIsReportedWithTheNameToUse() throws IOException {
        File tilde = file("org.infrakit.instance.file~b.cfg", "name=instance-file-b\n");

        assertThat(check.canHandle(tilde)).isTrue();
        check.install(tilde);

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(tilde
                + ": FileInstall names a factory configuration <factory pid>-<name>.cfg; rename it to "
                + "org.infrakit.instance.file-b.cfg; ignored");
    }

    @Test
    void removalIsNoted() throws IOException {
        File garbage = file("broken.jar", "x");
        check.uninstall(garbage);

        assertThat(events.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                .containsExactly(org.assertj.core.api.Assertions.tuple(Level.INFO, garbage + " is gone"));
    }

    private File file(String name, String content) throws IOException {
        return Files.writeString(deploy.resolve(name), content).toFile();
    }

    private File jar(String name, String bsn) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        Path path = deploy.resolve(name);
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new ZipEntry("a.txt"));
            jar.write('a');
            jar.closeEntry();
        }
        return path.toFile();
    }
}
