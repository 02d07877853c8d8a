package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infrakit.flavor.vanilla.impl.VanillaFlavor;
import org.infrakit.group.impl.ExecutorScheduler;
import org.infrakit.group.impl.GroupEngine;
import org.infrakit.group.impl.PluginRegistry;
import org.infrakit.rpc.impl.PluginsDir;
import org.infrakit.rpc.impl.importer.PluginImporter;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginProperties;
import org.infrakit.spi.PluginRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceException;

/**
 * An instance plugin in another process (Python), imported by the real importer and managed by
 * the group plugin, is killed with SIGKILL while calls are in flight (its Provisions did their
 * work, their answers are lost): the calls fail at once with a {@link ServiceException} (not at
 * their timeout), the import goes away, and when the process is started again it is imported again
 * and the group converges with nothing lost and nothing duplicated.
 */
class ImportedPluginKilledTest {
    static final String NAME = "instance-py";
    static final long CALL_TIMEOUT_MS = 20_000;

    private Path root;
    private Path plugins;
    private Path state;
    private Path control;
    private Process python;
    private PluginImporter importer;
    private GroupEngine engine;
    private ScheduledExecutorService timers;
    private ExecutorService workers;

    @AfterEach
    void tearDown() throws Exception {
        if (python != null) {
            python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (importer != null) {
            importer.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (workers != null) {
            workers.shutdownNow();
            timers.shutdownNow();
        }
        TempDirs.delete(root);
    }

    static Path python3() {
        for (String p : new String[] {"/usr/bin/python3", "/usr/local/bin/python3"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    private Process startPlugin() throws Exception {
        Path script = Path.of(getClass().getResource("/python/instance_plugin.py").toURI());
        Process p = new ProcessBuilder(python3().toString(), script.toString(), plugins.resolve(NAME).toString(),
                state.toString(), control.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        return p;
    }

    private InstancePlugin imported(PluginRegistry registry) {
        return registry.instancePlugin(PluginRef.parse(NAME));
    }

    @Test
    void aKilledImportedPluginFailsFastIsImportedAgainAndTheGroupConverges() throws Exception {
        assumeTrue(python3() != null, "python3 is needed for a plugin in another process");
        root = TempDirs.create();
        plugins = PluginsDir.ensure(root.resolve("plugins"));
        state = Files.createDirectory(root.resolve("py-instances"));
        control = Files.createDirectory(root.resolve("control"));
        python = startPlugin();

        // the runtime's side: importer -> registry (as the bridge's service registrations feed the
        // group component's references) -> group engine; the vanilla flavor is a local service
        PluginRegistry registry = new PluginRegistry();
        registry.add(FlavorPlugin.class, new VanillaFlavor(), Map.of(PluginProperties.NAME, PluginHost.FLAVOR));
        timers = Executors.newSingleThreadScheduledExecutor(PluginHost.named("rel-py-timer"));
        workers = Executors.newCachedThreadPool(PluginHost.named("rel-py-worker"));
        engine = new GroupEngine(registry, new ExecutorScheduler(timers), workers, InstancePluginFaultsTest.FAST, null);
        registry.addListener(engine::pluginsChanged);
        importer = new PluginImporter(plugins, (kind, service, props) -> {
            registry.add(kind.type(), service, props);
            return () -> registry.remove(kind.type(), service);
        }, new PluginImporter.Settings(CALL_TIMEOUT_MS, 1_000, 200, false), "reliability-runtime", name -> false);
        importer.start();
        Poll.until(Duration.ofSeconds(20), () -> imported(registry) != null ? null : "not imported", "the import");

        Convergence convergence = new Convergence(state, engine, "py");
        GroupSpec three = Specs.cattle("py", 3, NAME, "v1");
        engine.commitGroup(three, false);
        Set<String> before = convergence.await(3, Specs.hash(three), Duration.ofSeconds(30), Duration.ofMillis(300));

        // slow down, grow the group: its Provisions hang in the plugin after writing their files
        Files.createFile(control.resolve("slow"));
        GroupSpec five = Specs.cattle("py", 5, NAME, "v1");
        engine.commitGroup(five, false);
        InstancePlugin proxy = imported(registry);
        CompletableFuture<Object> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.describeInstances(Map.of("hang", "yes"), false);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, workers);
        Poll.until(Duration.ofSeconds(20), () -> Files.exists(control.resolve("busy")) ? null : "no call hangs yet",
                "a call hanging in the plugin");
        Poll.sleep(200);
        assertThat(inFlight).isNotDone();

        long killed = System.nanoTime();
        python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Throwable failure;
        try {
            inFlight.get(CALL_TIMEOUT_MS / 2, TimeUnit.MILLISECONDS);
            throw new AssertionError("the call in flight succeeded although its plugin was killed");
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        long failedAfterMs = (System.nanoTime() - killed) / 1_000_000;
        assertThat(failure).isInstanceOf(ServiceException.class).hasMessageContaining(plugins.resolve(NAME).toString());
        assertThat(((ServiceException) failure).getType()).isEqualTo(ServiceException.REMOTE);
        assertThat(failedAfterMs).as("ms from the kill to the failure (the call timeout is %d ms)", CALL_TIMEOUT_MS)
                .isLessThan(3_000);

        // the socket file stays behind; the importer notices nobody answers and withdraws the services
        assertThat(Files.exists(plugins.resolve(NAME))).isTrue();
        Poll.until(Duration.ofSeconds(20), () -> imported(registry) == null ? null : "still imported",
                "the import to be withdrawn");
        Files.delete(control.resolve("slow"));
        Files.deleteIfExists(control.resolve("busy"));

        python = startPlugin();
        Poll.until(Duration.ofSeconds(20), () -> imported(registry) != null ? null : "not imported again",
                "the import of the restarted plugin");
        Set<String> after = convergence.await(5, Specs.hash(five), Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(after).as("the instances from before the kill are all still there").containsAll(before);
    }
}
