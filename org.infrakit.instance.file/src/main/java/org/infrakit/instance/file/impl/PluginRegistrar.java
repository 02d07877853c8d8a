package org.infrakit.instance.file.impl;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.PluginProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes plugin objects as services so that every plugin name is served by exactly one
 * service, whatever the order in which the built-in default and configurations come and go.
 *
 * <p>Components <em>claim</em> a name for a plugin object. Per name, the service published is:
 * the oldest claim made by a configuration, else the built-in default's claim. So a configuration
 * that uses the default's name replaces the default for as long as it exists (the default comes
 * back when it is deleted), and a second configuration with a name already served waits, with a
 * warning in the log, until the first one is deleted. Two services with the same name are never
 * published.
 *
 * <p>Publishing happens while this object's lock is held, so that claims and releases from
 * different threads (DS activation, configuration updates) cannot interleave into a duplicate.
 * Service listeners run on the calling thread and may call back in (the lock is reentrant); no
 * listener of ours blocks on another thread.
 *
 * @param <S> the plugin service type
 */
final class PluginRegistrar<S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistrar.class);

    /** Publishes one service; the production one registers an OSGi service. */
    @FunctionalInterface
    interface Publisher<S> {
        /**
         * @param name the plugin name
         * @param service the plugin object
         * @return how to withdraw the service again
         */
        Runnable publish(String name, S service);
    }

    /** One component's wish to serve a name with a plugin object. */
    final class Claim {
        private final String name;
        private final S service;
        private final boolean fallback;
        private final String origin;

        private Claim(String name, S service, boolean fallback, String origin) {
            this.name = name;
            this.service = service;
            this.fallback = fallback;
            this.origin = origin;
        }

        /** Withdraws the claim; the next claim for the name, if any, is published. Idempotent. */
        void release() {
            PluginRegistrar.this.release(this);
        }

        /** @return whether this claim's plugin object is the one published for its name */
        boolean isServing() {
            synchronized (PluginRegistrar.this) {
                Published p = published.get(name);
                return p != null && p.claim == this;
            }
        }

        @Override
        public String toString() {
            return origin;
        }
    }

    private record Published(PluginRegistrar<?>.Claim claim, Runnable withdraw) {
    }

    private final Publisher<S> publisher;
    private final Map<String, List<Claim>> claims = new HashMap<>();
    private final Map<String, Published> published = new HashMap<>();
    private boolean closed;

    /** @param publisher how to publish and withdraw services */
    PluginRegistrar(Publisher<S> publisher) {
        this.publisher = publisher;
    }

    /**
     * @param <S> the service type
     * @param context the bundle to register services for
     * @param type the service interface
     * @return a publisher that registers {@code type} services carrying
     *     {@value PluginProperties#NAME}
     */
    static <S> Publisher<S> osgi(BundleContext context, Class<S> type) {
        return (name, service) -> {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(PluginProperties.NAME, name);
            ServiceRegistration<S> registration = context.registerService(type, service, props);
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle is stopping and the framework has unregistered it already
                }
            };
        };
    }

    /**
     * Claims a name.
     *
     * @param name the plugin name (already validated)
     * @param service the plugin object to publish under it
     * @param fallback {@code true} for the built-in default, which yields to any configuration
     * @param origin who claims, for log messages (e.g. {@code configuration org.infrakit.x~a})
     * @return the claim, to release later
     * @throws IllegalStateException when this registrar is closed
     */
    synchronized Claim claim(String name, S service, boolean fallback, String origin) {
        if (closed) {
            throw new IllegalStateException("plugin registrar is closed");
        }
        Claim claim = new Claim(name, service, fallback, origin);
        claims.computeIfAbsent(name, n -> new ArrayList<>()).add(claim);
        try {
            update(name);
        } catch (RuntimeException e) {
            remove(claim);
            throw e;
        }
        Published now = published.get(name);
        if (now != null && now.claim != claim) {
            if (fallback) {
                LOG.info("Plugin {} is served by {} instead of {}", name, now.claim, claim);
            } else {
                LOG.warn("Plugin name {} is already served by {}; {} waits until that one is removed", name,
                        now.claim, claim);
            }
        }
        return claim;
    }

    private synchronized void release(Claim claim) {
        if (closed || !remove(claim)) {
            return;
        }
        update(claim.name);
    }

    private boolean remove(Claim claim) {
        List<Claim> list = claims.get(claim.name);
        if (list == null || !list.remove(claim)) {
            return false;
        }
        if (list.isEmpty()) {
            claims.remove(claim.name);
        }
        return true;
    }

    /** Publishes the winning claim for a name if it is not the one published already. */
    private void update(String name) {
        Claim winner = winner(claims.get(name));
        Published current = published.get(name);
        if (current != null && current.claim == winner) {
            return;
        }
        if (current != null) {
            published.remove(name);
            current.withdraw.run();
            if (winner != null) {
                LOG.info("Plugin {}: {} takes over from {}", name, winner, current.claim);
            }
        }
        if (winner != null) {
            published.put(name, new Published(winner, publisher.publish(name, winner.service)));
        }
    }

    private Claim winner(List<Claim> list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        for (Claim c : list) {
            if (!c.fallback) {
                return c;
            }
        }
        return list.get(0);
    }

    /** Withdraws every service; later releases do nothing and later claims fail. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Published p : published.values()) {
            p.withdraw.run();
        }
        published.clear();
        claims.clear();
    }
}
