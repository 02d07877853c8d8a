package org.infrakit.group.impl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.osgi.framework.ServiceException;

/**
 * An in-memory instance plugin that records its calls and fails, times out or lags on demand.
 * IDs are {@code <prefix>0001}, {@code <prefix>0002}, …, so ID order is creation order.
 */
class FakeInstancePlugin implements InstancePlugin {
    /** An instance and when it was created. */
    record Instance(String id, String logicalID, Map<String, String> tags, InstanceSpec spec, long createdAt) {
    }

    private final String prefix;
    private final LongSupplier clock;
    private final Map<String, Instance> instances = new TreeMap<>(Tags.UTF8_ORDER);
    private final List<String> calls = new ArrayList<>();
    private final List<InstanceSpec> provisioned = new ArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private int maxInFlight;
    private int maxCount;

    /** Provisions to fail before creating anything. */
    volatile int failProvisions;
    /** Provisions that create the instance and then fail as a timed-out call would. */
    volatile int timeOutProvisions;
    /** When set, listing fails with it. */
    volatile PluginException listError;
    /** When set, Validate fails with it. */
    volatile String validateError;
    /** New instances are listed only this many nanoseconds (of {@link #clock}) after creation. */
    volatile long listLagNanos;
    /** Time each Provision takes, in milliseconds (real time). */
    volatile long provisionMillis;
    /** Time each Destroy takes, in milliseconds (real time). */
    volatile long destroyMillis;
    /** When set, Destroy fails with it. */
    volatile String destroyError;
    /** Instances that someone else removes just before their Destroy, which then fails as the file plugin's does. */
    final Set<String> goneBeforeDestroy = ConcurrentHashMap.newKeySet();
    /** Instances whose Destroy fails ({@code instance <id> is protected}). */
    final Set<String> protectedIds = ConcurrentHashMap.newKeySet();
    /** When set, every call is also appended here (shared with the flavor, to see their order). */
    volatile List<String> journal;

    FakeInstancePlugin(String prefix, LongSupplier clock) {
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public void validate(RawJson properties) throws PluginException {
        synchronized (this) {
            record("Validate");
        }
        if (validateError != null) {
            throw new PluginException(validateError);
        }
    }

    @Override
    public String provision(InstanceSpec spec) throws PluginException {
        int now = inFlight.incrementAndGet();
        synchronized (this) {
            maxInFlight = Math.max(maxInFlight, now);
            record("Provision");
        }
        try {
            sleep(provisionMillis);
            synchronized (this) {
                if (failProvisions > 0) {
                    failProvisions--;
                    throw new PluginException("provision failed on purpose");
                }
                String id = prefix + String.format("%04d", nextId.incrementAndGet());
                instances.put(id, new Instance(id, spec.logicalID(), spec.tags(), spec, clock.getAsLong()));
                provisioned.add(spec);
                maxCount = Math.max(maxCount, instances.size());
                if (timeOutProvisions > 0) {
                    timeOutProvisions--;
                    throw new ServiceException("Instance.Provision timed out", ServiceException.REMOTE);
                }
                return id;
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public synchronized void label(String instance, Map<String, String> labels) throws PluginException {
        record("Label " + instance);
        Instance i = instances.get(instance);
        if (i == null) {
            throw new PluginException("no instance " + instance);
        }
        Map<String, String> tags = new TreeMap<>(i.tags());
        tags.putAll(labels);
        instances.put(instance, new Instance(i.id(), i.logicalID(), tags, i.spec(), i.createdAt()));
    }

    @Override
    public void destroy(String instance, DestroyContext context) throws PluginException {
        synchronized (this) {
            record("Destroy " + instance + " " + context.reason());
        }
        sleep(destroyMillis);
        synchronized (this) {
            if (destroyError != null) {
                throw new PluginException(destroyError);
            }
            if (goneBeforeDestroy.contains(instance)) {
                instances.remove(instance);
                throw new PluginException("remove /tmp/instances/" + instance + ": no such file or directory");
            }
            if (protectedIds.contains(instance)) {
                throw new PluginException("instance " + instance + " is protected");
            }
            if (instances.remove(instance) == null) {
                throw new PluginException("no instance " + instance);
            }
        }
    }

    @Override
    public synchronized List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
            throws PluginException {
        record("DescribeInstances");
        if (listError != null) {
            throw listError;
        }
        long now = clock.getAsLong();
        List<InstanceDescription> out = new ArrayList<>();
        for (Instance i : instances.values()) {
            if (Tags.matches(i.tags(), tags) && now - i.createdAt() >= listLagNanos) {
                out.add(InstanceDescription.of(i.id(), i.logicalID(), i.tags(), null));
            }
        }
        return out;
    }

    private synchronized void record(String call) {
        calls.add(call);
        List<String> j = journal;
        if (j != null) {
            j.add(call);
        }
    }

    // ---- test helpers

    /** Adds an instance as if made by hand. */
    synchronized String add(String id, String logicalID, Map<String, String> tags) {
        instances.put(id, new Instance(id, logicalID, tags, null, clock.getAsLong()));
        maxCount = Math.max(maxCount, instances.size());
        return id;
    }

    /** Removes an instance behind the group's back. */
    synchronized void vanish(String id) {
        instances.remove(id);
    }

    synchronized List<Instance> instances() {
        return new ArrayList<>(instances.values());
    }

    synchronized List<String> ids() {
        return new ArrayList<>(instances.keySet());
    }

    synchronized List<String> calls() {
        return new ArrayList<>(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    synchronized long count(String prefixOfCall) {
        return calls.stream().filter(c -> c.startsWith(prefixOfCall)).count();
    }

    synchronized List<InstanceSpec> provisioned() {
        return Collections.unmodifiableList(new ArrayList<>(provisioned));
    }

    synchronized int maxCount() {
        return maxCount;
    }

    synchronized void resetMaxCount() {
        maxCount = instances.size();
    }

    synchronized int maxInFlight() {
        return maxInFlight;
    }

    synchronized Instance get(String id) {
        return instances.get(id);
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
