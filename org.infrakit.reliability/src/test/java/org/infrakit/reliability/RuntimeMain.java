package org.infrakit.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.infrakit.group.impl.EngineOptions;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

/**
 * A runtime in a process of its own, for the tests that kill one: the three default plugins
 * ({@link PluginHost}) with committed specs stored under {@code <root>/groups}, serving their
 * sockets in {@code <root>/plugins}. Prints {@code ready} when the sockets answer; a SIGTERM stops
 * it cleanly (sockets removed), a SIGKILL leaves everything as it was.
 *
 * <p>usage: {@code RuntimeMain <root> <poll ms> <provision delay ms>}; the delay makes each
 * Provision take that long, so that a rolling update lasts long enough to be interrupted.
 */
public final class RuntimeMain {
    private RuntimeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long pollMs = Long.parseLong(args[1]);
        long delayMs = Long.parseLong(args[2]);
        EngineOptions options = new EngineOptions(Duration.ofMillis(pollMs), Duration.ofMillis(Math.min(100, pollMs)),
                2, null);
        PluginHost host = new PluginHost(root, ServerSettings.DEFAULTS, options, true, p -> new Slow(p, delayMs));
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "rel-runtime-shutdown"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Provision takes a while, as a cloud's does. */
    private record Slow(InstancePlugin delegate, long delayMs) implements InstancePlugin {
        @Override
        public void validate(RawJson properties) throws PluginException {
            delegate.validate(properties);
        }

        @Override
        public String provision(InstanceSpec spec) throws PluginException {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.provision(spec);
        }

        @Override
        public void label(String instance, Map<String, String> labels) throws PluginException {
            delegate.label(instance, labels);
        }

        @Override
        public void destroy(String instance, DestroyContext context) throws PluginException {
            delegate.destroy(instance, context);
        }

        @Override
        public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
                throws PluginException {
            return delegate.describeInstances(tags, properties);
        }
    }
}
