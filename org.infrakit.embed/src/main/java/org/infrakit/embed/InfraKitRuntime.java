package org.infrakit.embed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.framework.FrameworkFactory;
import org.infrakit.boot.home.HomeLock;
import org.infrakit.spi.InfrakitPaths;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The InfraKit runtime inside another Java program: its own Felix framework with Declarative
 * Services, Configuration Admin, the OSGi log (forwarded to the host's SLF4J), the RPC bridge and
 * the default plugins {@code group}, {@code instance-file} and {@code flavor-vanilla}, whose
 * sockets appear in the plugins directory as with the standalone runtime.
 *
 * <pre>{@code
 * try (InfraKitRuntime runtime = InfraKitRuntime.builder().home(Path.of("/var/lib/infrakit")).start()) {
 *     GroupPlugin groups = runtime.plugin(GroupPlugin.class, "group");
 *     groups.commitGroup(spec, false);
 * }
 * }</pre>
 *
 * <p>The plugin SPI ({@code org.infrakit.spi}, with the Jackson it uses) and SLF4J are shared with
 * the host program: the framework's system bundle exports them from the host's class path, so the
 * services are of the host's SPI types. Every other class stays inside the framework.
 *
 * <p>One runtime per home directory at a time, in this process or any other: {@link Builder#start()}
 * takes the home's lock ({@code runtime.lock}, an operating-system lock held until {@link #close()})
 * before it writes anything there, and refuses when another runtime holds it. Closing stops every
 * bundle (the sockets are removed, external plugins launched by it stopped), then releases the lock.
 */
public final class InfraKitRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InfraKitRuntime.class);
    /** The bundles the host provides instead: the framework must not get a second copy. */
    private static final List<String> HOST_PROVIDED = List.of("org.infrakit.spi",
            "com.fasterxml.jackson.core.jackson-annotations", "com.fasterxml.jackson.core.jackson-core",
            "com.fasterxml.jackson.core.jackson-databind", "slf4j.api");
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    private static final String CONFIGADMIN = "org.apache.felix.configadmin";

    private final Framework framework;
    private final HomeLock lock;
    private final Path home;
    private final Path pluginsDir;
    private final Duration timeout;
    private final List<ServiceTracker<?, ?>> trackers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private InfraKitRuntime(Framework framework, HomeLock lock, Path home, Path pluginsDir, Duration timeout) {
        this.framework = framework;
        this.lock = lock;
        this.home = home;
        this.pluginsDir = pluginsDir;
        this.timeout = timeout;
    }

    /** @return a builder, with the standalone runtime's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits for a plugin, local or imported from a socket, for the builder's timeout.
     *
     * @param <T> the plugin type
     * @param type {@code GroupPlugin.class}, {@code InstancePlugin.class} or {@code FlavorPlugin.class}
     * @param name the plugin name, or {@code name/type} for a typed object
     * @return the plugin service; valid while that plugin is up (after its bundle or configuration
     *     changed, ask again)
     * @throws IllegalStateException when no such plugin appears in time, or the runtime is closed
     */
    public <T> T plugin(Class<T> type, String name) {
        return plugin(type, name, timeout);
    }

    /**
     * Waits for a plugin, local or imported from a socket.
     *
     * @param <T> the plugin type
     * @param type {@code GroupPlugin.class}, {@code InstancePlugin.class} or {@code FlavorPlugin.class}
     * @param name the plugin name, or {@code name/type} for a typed object
     * @param wait how long to wait for it
     * @return the plugin service; valid while that plugin is up
     * @throws IllegalStateException when no such plugin appears in time, or the runtime is closed
     */
    public <T> T plugin(Class<T> type, String name, Duration wait) {
        Objects.requireNonNull(type, "type");
        if (closed) {
            throw new IllegalStateException("The InfraKit runtime in " + home + " is closed");
        }
        PluginRef ref = PluginRef.parse(name);
        String problem = PluginRef.nameProblem(ref.name());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(framework.getBundleContext(), filter(type, ref), null);
        tracker.open();
        T service;
        try {
            service = tracker.waitForService(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            tracker.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for plugin '" + ref + "'", e);
        }
        if (service == null) {
            tracker.close();
            throw new IllegalStateException("No " + type.getSimpleName() + " named '" + ref + "' within "
                    + wait.toMillis() + " ms (plugins directory " + pluginsDir + ")");
        }
        trackers.add(tracker);
        return service;
    }

    private Filter filter(Class<?> type, PluginRef ref) {
        String typeClause = ref.type().isEmpty()
                ? "(|(!(" + PluginProperties.TYPE + "=*))(" + PluginProperties.TYPE + "=))"
                : "(" + PluginProperties.TYPE + "=" + escape(ref.type()) + ")";
        String filter = "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")(" + PluginProperties.NAME + "="
                + escape(ref.name()) + ")" + typeClause + ")";
        try {
            return framework.getBundleContext().createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("Invalid plugin reference '" + ref + "': " + e.getMessage(), e);
        }
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** @return the system bundle's context: install more bundles, look up services, and so on */
    public BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    /** @return the home directory */
    public Path home() {
        return home;
    }

    /** @return the plugins directory, where the sockets are */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /**
     * Stops the framework and waits for it (at most the builder's timeout): every bundle is
     * stopped, every socket it served removed. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
        stop(framework, timeout);
        release(lock);
        LOG.info("InfraKit runtime in {} stopped", home);
    }

    private static void release(HomeLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("Cannot release the lock of {}: {}", lock.home(), e.toString());
        }
    }

    private static void stop(Framework framework, Duration timeout) {
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(Math.max(1, timeout.toMillis()));
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("The InfraKit runtime did not stop within {} ms", timeout.toMillis());
            }
        } catch (BundleException e) {
            LOG.warn("Cannot stop the InfraKit runtime: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures and starts an {@link InfraKitRuntime}. Not thread-safe. */
    public static final class Builder {
        private Path home;
        private Path pluginsDir;
        private Path deployDir;
        private Integer logLevel;
        private Duration timeout = Duration.ofSeconds(30);
        private final List<Path> bundles = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param dir the home directory: the default plugins keep their state below it
         *     ({@code instances/}, {@code groups/}) and the framework its cache
         *     ({@code felix-cache/}); default {@code $INFRAKIT_HOME}, else {@code ~/.infrakit}
         * @return this
         */
        public Builder home(Path dir) {
            this.home = Objects.requireNonNull(dir, "home");
            return this;
        }

        /**
         * @param dir where the plugin sockets are served and foreign ones imported; default
         *     {@code <home>/plugins}
         * @return this
         */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = Objects.requireNonNull(dir, "pluginsDir");
            return this;
        }

        /**
         * Watches a deploy folder for bundle jars and {@code .cfg} files, like the standalone
         * runtime (Apache Felix FileInstall, polling every 100 ms). Without it there is none.
         *
         * @param dir the folder; created when missing
         * @return this
         */
        public Builder deployDir(Path dir) {
            this.deployDir = Objects.requireNonNull(dir, "deployDir");
            return this;
        }

        /**
         * @param level the RPC bridge's log level, 0 (panic) to 5 (debug: every request and
         *     response is logged); default 4
         * @return this
         */
        public Builder logLevel(int level) {
            if (level < 0 || level > 5) {
                throw new IllegalArgumentException("Invalid log level " + level + ": use 0 (panic) to 5 (debug)");
            }
            this.logLevel = level;
            return this;
        }

        /**
         * Installs and starts one more bundle after the built-in ones, e.g. a plugin bundle.
         *
         * @param jar the bundle jar
         * @return this
         */
        public Builder bundle(Path jar) {
            bundles.add(Objects.requireNonNull(jar, "jar"));
            return this;
        }

        /**
         * @param key a framework property (a launch property of the standalone runtime)
         * @param value its value
         * @return this
         */
        public Builder frameworkProperty(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param wait how long {@link InfraKitRuntime#plugin(Class, String)} waits for a plugin, and
         *     {@link InfraKitRuntime#close()} for the framework to stop; default 30 s
         * @return this
         */
        public Builder timeout(Duration wait) {
            this.timeout = Objects.requireNonNull(wait, "timeout");
            return this;
        }

        /**
         * Starts the framework and every bundle. Returns once the bundles are started; the
         * plugins and their sockets come up right after ({@link InfraKitRuntime#plugin} waits).
         *
         * @return the running runtime
         * @throws HomeLock.HeldException when another runtime (in this process or another) runs in
         *     the home: its message names the home and that runtime's pid
         * @throws IllegalStateException when it cannot start (nothing is left running then)
         */
        public InfraKitRuntime start() {
            Path homeDir = (home != null ? home : defaultHome()).toAbsolutePath().normalize();
            Path sockets = (pluginsDir != null ? pluginsDir : homeDir.resolve("plugins")).toAbsolutePath().normalize();
            Path deploy = deployDir == null ? null : deployDir.toAbsolutePath().normalize();
            HomeLock lock;
            try {
                lock = HomeLock.acquire(homeDir);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot lock the InfraKit home " + homeDir + ": " + e.getMessage(), e);
            }
            Framework framework = null;
            try {
                if (deploy != null) {
                    Files.createDirectories(deploy);
                }
                framework = new FrameworkFactory().newFramework(frameworkProperties(homeDir, sockets, deploy));
                framework.init();
                List<Bundle> installed = install(framework.getBundleContext(), deploy != null);
                framework.start();
                startConfigurationAdmin(installed);
                configure(Configurations.of(framework.getBundleContext()), homeDir, sockets);
                for (Bundle b : installed) {
                    if (!isFragment(b) && b.getState() != Bundle.ACTIVE) {
                        b.start();
                    }
                }
                LOG.info("InfraKit runtime started in {} (plugins directory {})", homeDir, sockets);
                return new InfraKitRuntime(framework, lock, homeDir, sockets, timeout);
            } catch (IOException | BundleException | RuntimeException e) {
                if (framework != null) {
                    stop(framework, timeout);
                }
                release(lock);
                throw new IllegalStateException("Cannot start the InfraKit runtime in " + homeDir + ": "
                        + e.getMessage(), e);
            }
        }

        private Map<String, String> frameworkProperties(Path homeDir, Path sockets, Path deploy) throws IOException {
            Map<String, String> config = new HashMap<>();
            config.put(Constants.FRAMEWORK_STORAGE, homeDir.resolve("felix-cache").toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, HostPackages.exports());
            // every default plugin resolves its directories from these (the built-in instance-file
            // plugin stores in <home>/instances), whatever the environment of this JVM says
            config.put(InfrakitPaths.HOME_PROPERTY, homeDir.toString());
            config.put(InfrakitPaths.PLUGINS_DIR_PROPERTY, sockets.toString());
            if (deploy != null) {
                config.put("felix.fileinstall.dir", deploy.toString());
                config.put("felix.fileinstall.poll", "100");
                config.put("felix.fileinstall.noInitialDelay", "true");
                config.put("felix.fileinstall.log.level", "3");
                // the .cfg files are the user's: never written back (see cnf/ext/runtime.bndrun.bnd)
                config.put("felix.fileinstall.enableConfigSave", "false");
                // read as UTF-8, not FileInstall's default ISO-8859-1 (see cnf/ext/runtime.bndrun.bnd)
                config.put("felix.fileinstall.configEncoding", "UTF-8");
            }
            if (logLevel != null) {
                config.put("infrakit.log.level", Integer.toString(logLevel));
            }
            config.putAll(properties);
            return config;
        }

        private List<Bundle> install(BundleContext context, boolean withFileInstall) throws IOException, BundleException {
            List<Bundle> installed = new ArrayList<>();
            for (EmbeddedBundles.Entry entry : EmbeddedBundles.list()) {
                if (HOST_PROVIDED.contains(entry.symbolicName())
                        || (!withFileInstall && entry.symbolicName().equals(FILEINSTALL))) {
                    continue;
                }
                try (InputStream in = entry.open()) {
                    installed.add(context.installBundle("infrakit:embedded/" + entry.fileName(), in));
                }
            }
            for (Path jar : bundles) {
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(context.installBundle(jar.toAbsolutePath().toUri().toString(), in));
                } catch (IOException e) {
                    throw new IOException("cannot read bundle " + jar + ": " + e.getMessage(), e);
                }
            }
            return installed;
        }

        private static void startConfigurationAdmin(List<Bundle> installed) throws BundleException {
            for (Bundle b : installed) {
                if (CONFIGADMIN.equals(b.getSymbolicName())) {
                    b.start();
                    return;
                }
            }
            throw new IllegalStateException("the Configuration Admin bundle is missing");
        }

        /**
         * The default plugins find their directories through the framework properties
         * {@value InfrakitPaths#HOME_PROPERTY} and {@value InfrakitPaths#PLUGINS_DIR_PROPERTY}
         * ({@link #frameworkProperties}), which {@link #frameworkProperty} may override; these
         * configurations keep the bridge, the group plugin and the launcher on this runtime's
         * {@code home} and plugins directory whatever such a property says.
         */
        private void configure(Configurations configs, Path homeDir, Path sockets) {
            configs.put("org.infrakit.rpc", Map.of("plugins.dir", sockets.toString()));
            configs.put("org.infrakit.group", Map.of("state.dir", homeDir.resolve("groups").toString()));
            configs.put("org.infrakit.launch.runtime",
                    Map.of("home", homeDir.toString(), "plugins.dir", sockets.toString()));
        }

        private static boolean isFragment(Bundle b) {
            return b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
        }

        private static Path defaultHome() {
            String env = System.getenv("INFRAKIT_HOME");
            return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".infrakit");
        }
    }
}
