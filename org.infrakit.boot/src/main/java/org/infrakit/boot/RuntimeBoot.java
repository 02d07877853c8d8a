package org.infrakit.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up support of the executable runtime jar, run by the bnd launcher as the
 * {@code Embedded-Activator} of this {@code -runpath} jar, with the system bundle's context, right
 * after the framework is initialised and before any bundle starts:
 * <ul>
 * <li>chooses the console ({@link ConsoleMode}): the Gogo prompt on a terminal, headless otherwise;</li>
 * <li>creates the deploy folder ({@code felix.fileinstall.dir}) when it is missing;</li>
 * <li>stops the framework cleanly when the JVM is asked to exit by a signal ({@link StopOnSignal});</li>
 * <li>makes an orderly stop exit with 0 ({@link OrderlyExit}): Ctrl-D, {@code stop 0}, or the
 * command {@code infrakit:shutdown} of the shell bundle.</li>
 * </ul>
 */
public final class RuntimeBoot implements BundleActivator {
    /** Read by the bnd launcher: start this activator right after the framework's init. */
    public static final String IMMEDIATE = "AFTER_FRAMEWORK_INIT";
    /** Launch property: how long SIGTERM waits for the framework to stop, in milliseconds. */
    static final String STOP_TIMEOUT = "infrakit.stop.timeout.ms";
    /** Default of {@value #STOP_TIMEOUT}: plugins get 5 s grace each, stopped in parallel. */
    static final long DEFAULT_STOP_TIMEOUT_MS = 30_000;
    /** Launch property: when the start command began (ms since the epoch), for the start-up time. */
    static final String START_MS = "infrakit.start.ms";
    /** The bnd launcher's own service, once every bundle has been started. */
    static final String LAUNCHER_READY = "(launcher.ready=true)";

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeBoot.class);

    private Thread hook;
    private ServiceRegistration<?> mainThread;

    @Override
    public void start(BundleContext context) {
        Framework framework = (Framework) context.getBundle();
        ConsoleMode mode = chooseConsole(context);
        ensureDeployDir(context);

        hook = new Thread(new StopOnSignal(framework, stopTimeout(context)), "infrakit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        OrderlyExit exit = new OrderlyExit();
        exit.listen(context);
        Dictionary<String, Object> main = new Hashtable<>();
        main.put("main.thread", Boolean.TRUE);
        mainThread = context.registerService(Callable.class.getName(), exit, main);

        // The launcher marks its own service launcher.ready=true once it has started every bundle.
        AtomicBoolean once = new AtomicBoolean();
        try {
            context.addServiceListener(new ServiceListener() {
                @Override
                public void serviceChanged(ServiceEvent event) {
                    context.removeServiceListener(this);
                    if (once.compareAndSet(false, true)) {
                        started(context, mode);
                    }
                }
            }, LAUNCHER_READY);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop(BundleContext context) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
        unregister(mainThread);
    }

    private static void started(BundleContext context, ConsoleMode mode) {
        String home = System.getenv("INFRAKIT_HOME");
        String where = home == null || home.isEmpty() ? Path.of("").toAbsolutePath().toString() : home;
        String took = took(context.getProperty(START_MS), System.currentTimeMillis());
        if (mode == ConsoleMode.HEADLESS) {
            LOG.info("InfraKit runtime started{}, headless, in {} (pid {}); SIGTERM or SIGINT stops it", took,
                    where, ProcessHandle.current().pid());
        } else {
            LOG.info("InfraKit runtime started{} in {} (pid {}); Ctrl-D or 'shutdown' stops it", took, where,
                    ProcessHandle.current().pid());
        }
    }

    /**
     * @param startMs the launch property {@value #START_MS}: when the start command began, in
     *     milliseconds since the epoch; {@code null} when not given
     * @param nowMs the time now
     * @return {@code " after N ms"}, or {@code ""} when the start time is unknown or not plausible
     */
    static String took(String startMs, long nowMs) {
        if (startMs == null) {
            return "";
        }
        try {
            long ms = nowMs - Long.parseLong(startMs.trim());
            return ms >= 0 && ms < 3_600_000 ? " after " + ms + " ms" : "";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static ConsoleMode chooseConsole(BundleContext context) {
        String goshArgs = context.getProperty(ConsoleMode.GOSH_ARGS);
        ConsoleMode mode;
        try {
            mode = ConsoleMode.decide(goshArgs, context.getProperty(ConsoleMode.PROPERTY), Terminal::stdinIsTerminal);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; deciding from the terminal", e.getMessage());
            mode = ConsoleMode.decide(null, "auto", Terminal::stdinIsTerminal);
        }
        if (goshArgs == null && mode == ConsoleMode.HEADLESS) {
            // Felix answers BundleContext.getProperty from the system properties for keys that
            // are not framework properties; Gogo's shell reads gosh.args when it starts.
            System.setProperty(ConsoleMode.GOSH_ARGS, ConsoleMode.NO_INTERACTIVE);
        }
        return mode;
    }

    private static void ensureDeployDir(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot create the deploy folder {}: {}", dir, e.toString());
        }
    }

    private static long stopTimeout(BundleContext context) {
        String value = context.getProperty(STOP_TIMEOUT);
        if (value == null || value.isBlank()) {
            return DEFAULT_STOP_TIMEOUT_MS;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("Invalid {} \"{}\": not a number of milliseconds; using {}", STOP_TIMEOUT, value,
                    DEFAULT_STOP_TIMEOUT_MS);
            return DEFAULT_STOP_TIMEOUT_MS;
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the framework
        }
    }
}
