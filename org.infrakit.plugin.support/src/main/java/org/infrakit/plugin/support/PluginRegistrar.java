package org.infrakit.plugin.support;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import java.util.function.BooleanSupplier;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.osgi.framework.Bundle;
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
 * <p>A claim may bring its plugin object ready made, or a way to <em>open</em> it: then the object
 * is made (and its resources prepared) only when the claim is first published, never while another
 * claim serves the name. A claim whose opening fails is logged and skipped.
 *
 * <p>Once the bundle is stopping, nothing new is published: DS deactivates the components one by
 * one, and a configuration going away must not bring the built-in default back for the moment
 * before the default goes too. Services already published are still withdrawn as their claims go.
 *
 * <p>Each plugin bundle has its own copy of this class (see the package description) and one
 * registrar, made by its services component with {@link #osgi} and {@link #stopping}.
 *
 * @param <S> the plugin service type
 */
public final class PluginRegistrar<S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistrar.class);

    /** Publishes one service; the production one registers an OSGi service. */
    @FunctionalInterface
    public interface Publisher<S> {
        /**
         * @param name the plugin name
         * @param service the plugin object
         * @return how to withdraw the service again
         */
        Runnable publish(String name, S service);
    }

    /** Makes a plugin object when its claim is first published. */
    @FunctionalInterface
    public interface Opener<S> {
        /**
         * @return the plugin object
         * @throws PluginException when it cannot be made; the claim is then skipped
         */
        S open() throws PluginException;
    }

    /** One component's wish to serve a name with a plugin object. */
    public final class Claim {
        private final String name;
        private final Opener<S> opener;
        private final boolean fallback;
        private final String origin;
        private S service;
        private PluginException failure;

        private Claim(String name, S service, Opener<S> opener, boolean fallback, String origin) {
            this.name = name;
            this.service = service;
            this.opener = opener;
            this.fallback = fallback;
            this.origin = origin;
        }

        /** @return the plugin object, or {@code null} while it has not been opened */
        public S opened() {
            synchronized (PluginRegistrar.this) {
                return service;
            }
        }

        /** Withdraws the claim; the next claim for the name, if any, is published. Idempotent. */
        public void release() {
            PluginRegistrar.this.release(this);
        }

        /** @return whether this claim's plugin object is the one published for its name */
        public boolean isServing() {
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
    private final BooleanSupplier stopping;
    private final Map<String, List<Claim>> claims = new HashMap<>();
    private final Map<String, Published> published = new HashMap<>();
    private boolean closed;

    /** @param publisher how to publish and withdraw services */
    PluginRegistrar(Publisher<S> publisher) {
        this(publisher, () -> false);
    }

    /**
     * @param publisher how to publish and withdraw services
     * @param stopping says whether the bundle is stopping, when nothing new is published
     */
    public PluginRegistrar(Publisher<S> publisher, BooleanSupplier stopping) {
        this.publisher = publisher;
        this.stopping = stopping;
    }

    /**
     * @param context the bundle's context
     * @return whether that bundle is stopping (or already stopped: its context is no longer valid)
     */
    public static BooleanSupplier stopping(BundleContext context) {
        return () -> {
            try {
                return context.getBundle().getState() == Bundle.STOPPING;
            } catch (IllegalStateException stopped) {
                return true;
            }
        };
    }

    /**
     * @param <S> the service type
     * @param context the bundle to register services for
     * @param type the service interface
     * @return a publisher that registers {@code type} services carrying
     *     {@value PluginProperties#NAME}
     */
    public static <S> Publisher<S> osgi(BundleContext context, Class<S> type) {
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
    public synchronized Claim claim(String name, S service, boolean fallback, String origin) {
        return add(new Claim(name, service, null, fallback, origin));
    }

    /**
     * Claims a name for a plugin object made only when the claim is first published.
     *
     * @param name the plugin name (already validated)
     * @param opener makes the plugin object
     * @param fallback {@code true} for the built-in default, which yields to any configuration
     * @param origin who claims, for log messages
     * @return the claim, to release later; its {@link Claim#opened()} object is the claimant's to close
     * @throws PluginException when the claim is published at once and opening fails (the claim is
     *     then withdrawn)
     * @throws IllegalStateException when this registrar is closed
     */
    public synchronized Claim claimOpening(String name, Opener<S> opener, boolean fallback, String origin)
            throws PluginException {
        Claim claim = add(new Claim(name, null, opener, fallback, origin));
        if (claim.failure != null) {
            remove(claim);
            throw claim.failure;
        }
        return claim;
    }

    private Claim add(Claim claim) {
        if (closed) {
            throw new IllegalStateException("plugin registrar is closed");
        }
        String name = claim.name;
        boolean fallback = claim.fallback;
        claims.computeIfAbsent(name, n -> new ArrayList<>()).add(claim);
        try {
            update(name);
        } catch (RuntimeException e) {
            remove(claim);
            throw e;
        }
        Published now = published.get(name);
        if (now != null && now.claim != claim && claim.failure == null) {
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

    /**
     * Publishes the winning claim for a name if it is not the one published already; while the
     * bundle is stopping, only withdraws.
     */
    private void update(String name) {
        Published current = published.get(name);
        Claim winner = winner(claims.get(name));
        if (current != null && current.claim == winner) {
            return;
        }
        if (current != null) {
            published.remove(name);
            current.withdraw.run();
        }
        if (winner != null && stopping.getAsBoolean()) {
            LOG.debug("Plugin {}: not publishing {}, the bundle is stopping", name, winner);
            return;
        }
        while (winner != null && !open(winner)) {
            winner = winner(claims.get(name));
        }
        if (winner == null) {
            return;
        }
        if (current != null) {
            LOG.info("Plugin {}: {} takes over from {}", name, winner, current.claim);
        }
        published.put(name, new Published(winner, publisher.publish(name, winner.service)));
    }

    /** @return whether the claim has its plugin object, opening it now if need be */
    private boolean open(Claim claim) {
        if (claim.service != null) {
            return true;
        }
        try {
            claim.service = claim.opener.open();
            return true;
        } catch (PluginException e) {
            claim.failure = e;
            LOG.error("Plugin {} of {} cannot be served: {}", claim.name, claim, e.getMessage());
            return false;
        }
    }

    /** @return the oldest configured claim that has not failed to open, else the oldest such default */
    private Claim winner(List<Claim> list) {
        if (list == null) {
            return null;
        }
        Claim fallback = null;
        for (Claim c : list) {
            if (c.failure != null) {
                continue;
            }
            if (!c.fallback) {
                return c;
            }
            if (fallback == null) {
                fallback = c;
            }
        }
        return fallback;
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
