package org.infrakit.reliability;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.osgi.framework.ServiceException;

/**
 * An instance plugin that fails a fraction of its calls while switched on, in the ways a real
 * remote plugin fails: refusing before doing anything, failing after doing the work (the answer is
 * lost), or not answering within the call timeout, before or after doing the work (the proxy then
 * throws a REMOTE {@link ServiceException}, as it does on a deadline). Which call fails is
 * deterministic: every {@code period}-th call, the kinds taking turns.
 */
final class FaultyInstancePlugin implements InstancePlugin {
    enum Fault {
        REFUSED, ANSWER_LOST, TIMEOUT_BEFORE, TIMEOUT_AFTER
    }

    private final InstancePlugin delegate;
    private final int period;
    private final long timeoutMs;
    private final AtomicLong calls = new AtomicLong();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private volatile boolean on;

    /**
     * @param delegate the real plugin
     * @param period one call in {@code period} fails while on
     * @param timeoutMs how long a call that times out hangs first
     */
    FaultyInstancePlugin(InstancePlugin delegate, int period, long timeoutMs) {
        this.delegate = delegate;
        this.period = period;
        this.timeoutMs = timeoutMs;
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicLong());
        }
    }

    void on(boolean failing) {
        on = failing;
    }

    /** @return how many faults of each kind were injected */
    Map<Fault, Long> injected() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @FunctionalInterface
    private interface Op<T> {
        T run() throws PluginException;
    }

    private <T> T call(String method, Op<T> op) throws PluginException {
        Fault f = null;
        if (on) {
            long n = calls.incrementAndGet();
            if (n % period == 0) {
                f = Fault.values()[(int) ((n / period) % Fault.values().length)];
                injected.get(f).incrementAndGet();
            }
        }
        if (f == Fault.REFUSED) {
            throw new PluginException("injected failure: " + method + " refused");
        }
        if (f == Fault.TIMEOUT_BEFORE) {
            hang();
            throw timeout(method);
        }
        T result = op.run();
        if (f == Fault.ANSWER_LOST) {
            throw new ServiceException("injected failure: the answer to " + method + " was lost",
                    ServiceException.REMOTE);
        }
        if (f == Fault.TIMEOUT_AFTER) {
            hang();
            throw timeout(method);
        }
        return result;
    }

    private void hang() {
        try {
            Thread.sleep(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ServiceException timeout(String method) {
        return new ServiceException("injected failure: " + method + " did not answer within " + timeoutMs + " ms",
                ServiceException.REMOTE);
    }

    @Override
    public void validate(RawJson properties) throws PluginException {
        delegate.validate(properties); // validation happens at commit time: not a fault target here
    }

    @Override
    public String provision(InstanceSpec spec) throws PluginException {
        return call("Provision", () -> delegate.provision(spec));
    }

    @Override
    public void label(String instance, Map<String, String> labels) throws PluginException {
        call("Label", () -> {
            delegate.label(instance, labels);
            return null;
        });
    }

    @Override
    public void destroy(String instance, DestroyContext context) throws PluginException {
        call("Destroy", () -> {
            delegate.destroy(instance, context);
            return null;
        });
    }

    @Override
    public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
            throws PluginException {
        return call("DescribeInstances", () -> delegate.describeInstances(tags, properties));
    }
}
