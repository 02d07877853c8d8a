package org.infrakit.boot;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM shutdown hook: on SIGTERM, SIGINT or SIGHUP it stops the framework and waits for it, so
 * every bundle is stopped in order (sockets removed, external plugins stopped) before the JVM
 * halts. The bnd launcher has no such hook: without it the JVM would exit with the bundles still
 * active. When the framework is already stopped (an orderly exit) the hook does nothing.
 */
final class StopOnSignal implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    private final Framework framework;
    private final long timeoutMs;

    /**
     * @param framework the framework to stop
     * @param timeoutMs how long to wait for the framework to stop before the JVM halts anyway
     */
    StopOnSignal(Framework framework, long timeoutMs) {
        this.framework = framework;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void run() {
        int state = framework.getState();
        if ((state & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            LOG.info("Stopping the runtime (the JVM is shutting down)");
            try {
                framework.stop();
            } catch (BundleException | RuntimeException e) {
                LOG.error("Cannot stop the framework: {}", e.toString());
                return;
            }
        } else if (state != Bundle.STOPPING) {
            return;
        }
        try {
            FrameworkEvent event = framework.waitForStop(timeoutMs);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("The runtime did not stop within {} ms; exiting anyway", timeoutMs);
            } else {
                LOG.info("Runtime stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
