package org.infrakit.group.impl;

import java.io.IOException;
import java.util.List;

import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of its {@link SpecStore}, or of none (specs kept in memory only): every write
 * failure becomes a plugin error that names the group and the directory.
 */
final class StoredGroups {
    private static final Logger LOG = LoggerFactory.getLogger(StoredGroups.class);

    private final SpecStore store;

    /** @param store the store, or {@code null} */
    StoredGroups(SpecStore store) {
        this.store = store;
    }

    /** @return the stored specs; none without a store */
    List<SpecStore.Stored> load() {
        return store == null ? List.of() : store.load();
    }

    /** Puts a file that cannot be used aside; with its pause marker, which would pause the next group of that ID. */
    void quarantine(SpecStore.Stored stored, String reason) {
        store.quarantine(stored.file(), reason);
        if (!stored.paused()) {
            return;
        }
        String id = stored.spec().id();
        try {
            store.clearPaused(id);
            LOG.info("Removed the pause marker {} with the spec it belonged to", store.markerFor(id));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot remove the pause marker {} of the group '{}' put aside; a group committed under that ID "
                    + "would be paused at the next start: {}", store.markerFor(id), id, Failures.text(e));
        }
    }

    void save(GroupSpec spec) throws PluginException {
        if (store != null) {
            run(() -> store.save(spec), "Failed to save the spec of group '" + spec.id() + "' in ");
        }
    }

    void forget(String id) throws PluginException {
        if (store != null) {
            run(() -> store.delete(id), "Failed to remove the spec of group '" + id + "' from ");
        }
    }

    void pause(String id, String reason) throws PluginException {
        if (store != null) {
            run(() -> store.markPaused(id, "Paused since a DestroyGroup failed: " + reason),
                    "Failed to store the pause of group '" + id + "' in ");
        }
    }

    void unpause(String id) throws PluginException {
        if (store != null) {
            run(() -> store.clearPaused(id), "Failed to remove the pause marker of group '" + id + "' from ");
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void run(Write write, String failed) throws PluginException {
        try {
            write.run();
        } catch (IOException | RuntimeException e) {
            throw new PluginException(failed + store.dir() + ": " + Failures.text(e), e);
        }
    }
}
