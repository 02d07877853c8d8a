package org.infrakit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

class RuntimeBootTest {
    @TempDir
    Path tmp;
    private Framework framework;

    @AfterEach
    void cleanUp() throws Exception {
        System.clearProperty(ConsoleMode.GOSH_ARGS);
        if (framework != null && framework.getState() != Bundle.RESOLVED) {
            Frameworks.stop(framework);
        }
    }

    @Test
    void headlessSetsGoshArgsCreatesTheDeployFolderAndRegistersTheServices() throws Exception {
        Path deploy = tmp.resolve("home/deploy");
        framework = Frameworks.started(tmp.resolve("cache"),
                Map.of("felix.fileinstall.dir", deploy.toString(), ConsoleMode.PROPERTY, "headless"));
        BundleContext context = framework.getBundleContext();
        RuntimeBoot boot = new RuntimeBoot();

        boot.start(context);
        try {
            assertThat(System.getProperty(ConsoleMode.GOSH_ARGS)).isEqualTo("--nointeractive");
            assertThat(context.getProperty(ConsoleMode.GOSH_ARGS)).isEqualTo("--nointeractive");
            assertThat(deploy).isDirectory();

            ServiceReference<?>[] main = context.getServiceReferences(Callable.class.getName(), "(main.thread=true)");
            assertThat(main).hasSize(1);
            assertThat(context.getService(main[0])).isInstanceOf(OrderlyExit.class);

        } finally {
            boot.stop(context);
        }
    }

    @Test
    void aShellLeavesGoshArgsAlone() throws Exception {
        framework = Frameworks.started(tmp.resolve("cache"), Map.of(ConsoleMode.PROPERTY, "shell"));
        RuntimeBoot boot = new RuntimeBoot();

        boot.start(framework.getBundleContext());
        boot.stop(framework.getBundleContext());

        assertThat(System.getProperty(ConsoleMode.GOSH_ARGS)).isNull();
        assertThat(framework.getBundleContext().getServiceReferences(Callable.class.getName(), "(main.thread=true)"))
                .isNull();
    }

    @Test
    void anExistingDeployFolderIsKept() throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Path jar = Files.writeString(deploy.resolve("keep.cfg"), "a=b\n");
        framework = Frameworks.started(tmp.resolve("cache"),
                Map.of("felix.fileinstall.dir", deploy.toString(), ConsoleMode.PROPERTY, "shell"));
        RuntimeBoot boot = new RuntimeBoot();

        boot.start(framework.getBundleContext());
        boot.stop(framework.getBundleContext());

        assertThat(jar).hasContent("a=b");
    }

    @Test
    void theStartUpTimeIsMeasuredFromTheStartCommand() {
        assertThat(RuntimeBoot.took("1000", 1850)).isEqualTo(" after 850 ms");
        assertThat(RuntimeBoot.took(null, 1850)).isEmpty();
        assertThat(RuntimeBoot.took("%3N", 1850)).isEmpty();
        assertThat(RuntimeBoot.took("5000", 1850)).isEmpty();
    }

    @Test
    void theStartedLineWaitsForTheLaunchersReadyMark() throws Exception {
        framework = Frameworks.started(tmp.resolve("cache"), Map.of(ConsoleMode.PROPERTY, "shell"));
        BundleContext context = framework.getBundleContext();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RuntimeBoot.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.setAdditive(false);
        RuntimeBoot boot = new RuntimeBoot();
        try {
            boot.start(context);
            // a stand-in for the bnd launcher's service, registered before and marked ready after the bundles start
            java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
            org.osgi.framework.ServiceRegistration<?> launcher =
                    context.registerService(Object.class.getName(), new Object(), props);
            assertThat(events.list).isEmpty();

            props.put("launcher.ready", "true");
            launcher.setProperties(props);

            assertThat(events.list).extracting(e -> e.getFormattedMessage())
                    .singleElement().asString().startsWith("InfraKit runtime started in ").contains("Ctrl-D");
        } finally {
            boot.stop(context);
            logger.detachAppender(events);
            logger.setLevel(level);
            logger.setAdditive(true);
        }
    }
}
