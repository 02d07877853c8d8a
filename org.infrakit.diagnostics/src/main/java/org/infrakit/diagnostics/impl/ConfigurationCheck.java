package org.infrakit.diagnostics.impl;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so when a configuration has a key its component does not know, or a value its type does
 * not admit, for every component that declares its configuration type (bnd writes the metatype
 * of every {@code @ObjectClassDefinition}): a {@code poll_interval} meant as {@code poll.interval}
 * would otherwise be ignored without a word, and a {@code parallelism = many} fail or fall back
 * where nobody looks.
 *
 * <p>Each configuration is checked when it is created or changed (a {@link ConfigurationEvent}),
 * and every existing one once at start; each finding is one warning naming the file (FileInstall's
 * {@code felix.fileinstall.filename}) or else the PID, the key, and the valid key most likely meant.
 * A configuration is reported once per change: the same properties checked again say nothing.
 * A PID under {@code org.infrakit.} that no installed bundle declares is reported too, with the
 * declared PID most likely meant. Other PIDs without a metatype are not ours to judge.
 *
 * <p>Checks run on one thread of this component's, in the order of the events, never on
 * ConfigAdmin's event thread.
 */
@Component(service = ConfigurationListener.class)
public final class ConfigurationCheck implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationCheck.class);
    /** The PIDs whose undeclared use is reported. */
    static final String OUR_PREFIX = "org.infrakit.";
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final MetaTypeService metaType;
    /**
     * How long a PID under {@value #OUR_PREFIX} may stay undeclared before it is reported: a plugin
     * bundle and its {@code .cfg} dropped into the deploy folder together may be installed after
     * the configuration is made.
     */
    static final long UNDECLARED_GRACE_MILLIS = 2_000;

    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "infrakit-configuration-check");
        t.setDaemon(true);
        return t;
    });
    /** The properties last checked, by PID, so that nothing is said twice; used on the check thread only. */
    private final Map<String, Map<String, Object>> checked = new HashMap<>();

    /**
     * @param context the bundle's context, to find the bundles that declare configuration types
     * @param configurationAdmin to read the configurations
     * @param metaType the configuration types of the bundles
     */
    @Activate
    public ConfigurationCheck(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference MetaTypeService metaType) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.metaType = metaType;
        submit(this::checkAll);
    }

    /** Stops checking; a check under way finishes. */
    @Deactivate
    void deactivate() throws InterruptedException {
        checks.shutdownNow();
        checks.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            submit(() -> checked.remove(pid));
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            submit(() -> check(pid));
        }
    }

    private void submit(Runnable task) {
        try {
            checks.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // the framework stopping under us (bundle contexts turn invalid) is the usual cause
                    LOG.debug("Configuration check failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException stopped) {
            // deactivated
        }
    }

    private void checkAll() {
        try {
            Configuration[] all = configurationAdmin.listConfigurations(null);
            if (all != null) {
                for (Configuration c : all) {
                    check(c);
                }
            }
        } catch (java.io.IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the configurations to check them: {}", e.getMessage());
        }
    }

    private void check(String pid) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
            if (found != null) {
                for (Configuration c : found) {
                    check(c);
                }
            }
        } catch (java.io.IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot read configuration {} to check it: {}", pid, e.getMessage());
        }
    }

    private void check(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            return; // created but never updated: nothing to check yet
        }
        String pid = configuration.getPid();
        Map<String, Object> now = copy(properties);
        if (sameAsChecked(pid, now)) {
            return;
        }
        checked.put(pid, now);
        String factoryPid = configuration.getFactoryPid();
        String typePid = factoryPid != null ? factoryPid : pid;
        String source = source(now, pid);
        Declared declared = declared(typePid, factoryPid != null);
        if (declared.ocd() == null) {
            if (typePid.startsWith(OUR_PREFIX)) {
                try {
                    checks.schedule(() -> reportUndeclared(source, pid, typePid, factoryPid != null, now),
                            UNDECLARED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    // deactivated
                }
            }
            return;
        }
        for (String finding : ConfigurationKeys.check(source, declared.ocd(), properties)) {
            LOG.warn("{}", finding);
        }
    }

    /** Reports a PID still undeclared after the grace period, unless its configuration changed or went meanwhile. */
    private void reportUndeclared(String source, String pid, String typePid, boolean factory,
            Map<String, Object> checkedThen) {
        if (checked.get(pid) != checkedThen) {
            return;
        }
        Declared declared = declared(typePid, factory);
        if (declared.ocd() != null) {
            checked.remove(pid);
            check(pid); // declared meanwhile: check its keys now
            return;
        }
        if (declared.ourPids().contains(typePid)) {
            LOG.warn("{}: {} is {}; it is not used", source, typePid, factory
                    ? "not a factory configuration: name the file " + typePid + ".cfg"
                    : "a factory configuration: name the file " + typePid + "-<name>.cfg");
            return;
        }
        String nearest = KeyHint.nearest(typePid, declared.ourPids());
        LOG.warn("{}: no installed bundle has a {}configuration {}; it is not used{}", source,
                factory ? "factory " : "", typePid, nearest != null ? " (did you mean " + nearest + "?)" : "");
    }

    private boolean sameAsChecked(String pid, Map<String, Object> now) {
        Map<String, Object> before = checked.get(pid);
        if (before == null || !before.keySet().equals(now.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : now.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), before.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The configuration type a PID declares, else the PIDs under {@value #OUR_PREFIX} that are declared. */
    private record Declared(ObjectClassDefinition ocd, List<String> ourPids) {
    }

    private Declared declared(String typePid, boolean factory) {
        TreeSet<String> ours = new TreeSet<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            if (info == null) {
                continue;
            }
            String[] pids = factory ? info.getFactoryPids() : info.getPids();
            for (String p : pids == null ? new String[0] : pids) {
                if (p.equals(typePid)) {
                    return new Declared(info.getObjectClassDefinition(p, null), List.of());
                }
            }
            addOurs(ours, info.getPids());
            addOurs(ours, info.getFactoryPids());
        }
        return new Declared(null, new ArrayList<>(ours));
    }

    private static void addOurs(TreeSet<String> ours, String[] pids) {
        for (String p : pids == null ? new String[0] : pids) {
            if (p.startsWith(OUR_PREFIX)) {
                ours.add(p);
            }
        }
    }

    /** @return the file the configuration came from (a path), else {@code configuration <pid>} */
    static String source(Map<String, Object> properties, String pid) {
        Object file = properties.get(FILE_PROPERTY);
        if (file == null) {
            return "configuration " + pid;
        }
        String s = file.toString();
        try {
            return s.startsWith("file:") ? Path.of(URI.create(s)).toString() : s;
        } catch (IllegalArgumentException notAFileUrl) {
            return s;
        }
    }

    private static Map<String, Object> copy(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (var keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, properties.get(key));
        }
        return map;
    }

    private static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
