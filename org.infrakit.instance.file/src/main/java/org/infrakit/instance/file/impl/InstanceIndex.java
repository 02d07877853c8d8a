package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.infrakit.rpc.json.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The parsed instance files of one directory, kept so that DescribeInstances does not re-read and
 * re-parse every file on every call, yet always answers for the directory as it is (files added,
 * removed or edited by hand included).
 *
 * <p>Every call lists the directory's names once: that alone decides which entries exist, so a
 * file added or removed by hand is seen by the very next call. Whether a cached parse of a name
 * still holds is decided by the {@link FileInstancePlugin.CacheMode mode}; see {@link #entries()}.
 */
final class InstanceIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceIndex.class);

    /**
     * A file's size and mtime prove it unchanged only if it was read at least this long after its
     * mtime: a write in the same timestamp tick as our read would otherwise keep size and mtime.
     * Linux file systems tick in a few milliseconds at most; FAT, the coarsest, in 2 seconds.
     */
    static final long MTIME_GRANULARITY_MILLIS = 2_000;

    /** One directory entry as last read. */
    static final class Entry {
        final String name;
        /** The parsed file, or {@code null} when the entry is not an instance (directory, not JSON). */
        final InstanceFile file;
        final long size;
        final FileTime mtime;
        final Object fileKey;
        final long readAtMillis;
        final InstanceDescription description;
        private volatile RawJson properties;

        private Entry(String name, InstanceFile file, BasicFileAttributes attrs, long readAtMillis) {
            this.name = name;
            this.file = file;
            this.size = attrs == null ? -1 : attrs.size();
            this.mtime = attrs == null ? null : attrs.lastModifiedTime();
            this.fileKey = attrs == null ? null : attrs.fileKey();
            this.readAtMillis = readAtMillis;
            this.description = file == null ? null : file.description();
        }

        /** @return the description with the stored spec as its properties (computed once) */
        InstanceDescription withProperties() {
            RawJson p = properties;
            if (p == null) {
                p = RawJson.from(file.spec());
                properties = p;
            }
            return new InstanceDescription(description.id(), description.logicalID(), description.tags(), p);
        }

        /** Whether attributes taken now show the file unchanged since it was read (STAT mode). */
        boolean unchanged(BasicFileAttributes now) {
            return now.size() == size && now.lastModifiedTime().equals(mtime)
                    && Objects.equals(now.fileKey(), fileKey)
                    && readAtMillis - mtime.toMillis() >= MTIME_GRANULARITY_MILLIS;
        }
    }

    private final Path dir;
    private final Clock clock;
    private final FileInstancePlugin.CacheMode requestedMode;
    private FileInstancePlugin.CacheMode mode;
    /** Every entry of the last call (instances or not), by name; empty in NONE mode. */
    private Map<String, Entry> cache = new HashMap<>();
    /** The same entries in name order. */
    private List<Entry> all = List.of();
    /** The entries of {@link #all} that are instances: the last answer. */
    private List<Entry> instances = List.of();
    /** Names changed since they were read: reported by the watch, or changed by us (any mode). */
    private final Set<String> dirty = new HashSet<>();
    private WatchService watcher;
    private WatchKey key;
    private Object watchedDirKey;
    private long reads;
    private boolean closed;
    /**
     * The files skipped so far, by name, with what was said about them: a file is reported once
     * per change (new size, mtime or reason), not on every call, in every mode.
     */
    private final Map<String, String> reported = new HashMap<>();

    /**
     * @param dir the directory (as configured; used in messages as it is)
     * @param clock the clock compared with files' mtimes
     * @param mode how cached entries are validated
     */
    InstanceIndex(Path dir, Clock clock, FileInstancePlugin.CacheMode mode) {
        this.dir = dir;
        this.clock = clock;
        this.requestedMode = mode;
        this.mode = mode;
    }

    /**
     * The instance files of the directory, in file-name order (UTF-8 byte order, as Go's
     * {@code ReadDir} sorts), as they are now.
     *
     * <p>Why the cache stays correct when files change by hand:
     * <ul>
     * <li>Which names exist comes from a fresh listing on every call, never from the cache, so
     * additions and removals are seen at once.</li>
     * <li>{@code WATCH} (the default): an inotify watch on the directory (JDK {@link WatchService})
     * reports every create, delete, rename, write and attribute change of an entry; each reported
     * name is dropped from the cache and re-read. The watch is registered before anything is
     * read, so no change after a read goes unreported; on an event overflow, or when the watch
     * breaks or the directory is replaced (its file key changes), the whole cache is dropped. Our
     * own Label and Destroy drop their entry at once. The only lag is the JDK's delivery of an
     * event (normally well under a millisecond): an edit made in place by hand immediately before
     * a call can be missed by that one call, never by a later one. Not reported by inotify, so not
     * seen until the file is otherwise touched: writes through a hard link in another directory,
     * and changes made by other hosts on a network file system.</li>
     * <li>{@code STAT} (used when no watch can be had): every entry is re-read unless its size,
     * mtime and file key (device and inode) are what they were when it was read <em>and</em> it
     * was read at least {@value #MTIME_GRANULARITY_MILLIS} ms after its mtime. The last condition
     * covers same-size rewrites within one mtime tick: until a file's mtime is safely in the past,
     * it is re-read on every call. Replacing a file by rename changes its inode. Not seen: an edit
     * that keeps the size and inode and then sets the mtime back by hand.</li>
     * <li>{@code NONE}: every file is re-read on every call, as the reference does (a baseline
     * for benchmarks).</li>
     * </ul>
     *
     * @return the entries that are instances
     * @throws PluginException when the directory cannot be listed
     */
    synchronized List<Entry> entries() throws PluginException {
        if (closed) {
            throw new PluginException("instance plugin for " + dir + " is stopped");
        }
        if (mode == FileInstancePlugin.CacheMode.WATCH) {
            watchForChanges();
        }
        String[] names = list();
        boolean sameNames = mode != FileInstancePlugin.CacheMode.NONE && names.length == cache.size()
                && allCached(names);
        if (sameNames && mode == FileInstancePlugin.CacheMode.WATCH && dirty.isEmpty()) {
            // no name added or removed, none reported changed
            return instances; // the common case: nothing changed since the last call
        }
        Iterable<String> ordered;
        if (sameNames) {
            List<String> known = new ArrayList<>(names.length);
            for (Entry e : all) {
                known.add(e.name);
            }
            ordered = known;
        } else {
            Arrays.sort(names, Tags.UTF8_ORDER);
            ordered = Arrays.asList(names);
        }
        Map<String, Entry> nextCache = new HashMap<>(names.length * 4 / 3 + 1);
        List<Entry> nextAll = new ArrayList<>(names.length);
        List<Entry> nextInstances = new ArrayList<>(names.length);
        boolean changed = !sameNames;
        for (String name : ordered) {
            Entry e = current(name);
            if (e == null) {
                changed = true;
                continue; // vanished between listing and reading
            }
            changed |= e != cache.get(name);
            nextAll.add(e);
            if (mode != FileInstancePlugin.CacheMode.NONE) {
                nextCache.put(name, e);
            }
            if (e.file != null) {
                nextInstances.add(e);
            }
        }
        dirty.clear();
        if (!sameNames) {
            reported.keySet().retainAll(Arrays.asList(names));
        }
        if (!changed) {
            return instances; // the same list object as last time: callers may keep what they derived from it
        }
        cache = nextCache;
        all = mode == FileInstancePlugin.CacheMode.NONE ? List.of() : nextAll;
        instances = Collections.unmodifiableList(nextInstances);
        return instances;
    }

    private boolean allCached(String[] names) {
        for (String name : names) {
            if (!cache.containsKey(name)) {
                return false;
            }
        }
        return true;
    }

    /** @param name a file name whose cached parse must not be used again (we just changed it) */
    synchronized void invalidate(String name) {
        dirty.add(name);
    }

    /** @return how many files have been read so far (tests use it to see the cache at work) */
    synchronized long reads() {
        return reads;
    }

    /** @return the mode in effect ({@code STAT} when {@code WATCH} was asked for but is not available) */
    synchronized FileInstancePlugin.CacheMode mode() {
        return mode;
    }

    /**
     * @return the directory's entry names, our temporary files left out, in no particular order
     * @throws PluginException when the directory cannot be listed
     */
    private String[] list() throws PluginException {
        // File.list() yields names straight from readdir, without a Path object per entry; it
        // returns null on failure without saying why, so then the NIO call gives the reason.
        String[] names = dir.toFile().list();
        if (names == null) {
            List<String> fromStream = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    fromStream.add(p.getFileName().toString());
                }
            } catch (IOException e) {
                throw new PluginException(FileErrors.text("open", dir, e), e);
            }
            names = fromStream.toArray(String[]::new);
        }
        int kept = 0;
        for (String name : names) {
            if (!AtomicFiles.isTemporary(name)) {
                names[kept++] = name;
            }
        }
        return kept == names.length ? names : Arrays.copyOf(names, kept);
    }

    /** @return the cached entry when it is still valid, else a fresh read; {@code null} when gone */
    private Entry current(String name) {
        Entry cached = cache.get(name);
        if (cached != null && !dirty.contains(name)) {
            switch (mode) {
                case WATCH -> {
                    return cached;
                }
                case STAT -> {
                    try {
                        BasicFileAttributes now = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                        if (cached.unchanged(now)) {
                            return cached;
                        }
                    } catch (IOException e) {
                        // gone or unreadable: read() below decides
                    }
                }
                case NONE -> {
                    // never trusted
                }
            }
        }
        return read(name);
    }

    private Entry read(String name) {
        Path path = dir.resolve(name);
        long readAt = clock.millis();
        reads++;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            skipped(name, null, FileErrors.reason(e));
            return new Entry(name, null, null, readAt);
        }
        if (!attrs.isRegularFile()) {
            // never opened: a directory cannot be decoded, and opening a FIFO would block
            skipped(name, attrs, attrs.isDirectory() ? "a directory" : "not a regular file");
            return new Entry(name, null, attrs, readAt);
        }
        String tooLarge = InstanceFileLimit.tooLarge(attrs.size());
        if (tooLarge != null) {
            skipped(name, attrs, tooLarge);
            return new Entry(name, null, attrs, readAt);
        }
        try (InputStream in = Files.newInputStream(path)) {
            InstanceFile file = InstanceFile.read(in);
            String mismatch = InstanceFile.identityProblem(name, file);
            if (mismatch != null) {
                skipped(name, attrs, mismatch);
                return new Entry(name, null, attrs, readAt);
            }
            reported.remove(name);
            return new Entry(name, file, attrs, readAt);
        } catch (NoSuchFileException e) {
            return null;
        } catch (JsonProcessingException e) {
            skipped(name, attrs, "not an instance file: " + ProtocolJson.describe(e));
        } catch (IOException e) {
            skipped(name, attrs, FileErrors.reason(e));
        }
        return new Entry(name, null, attrs, readAt);
    }

    /**
     * Warns that an entry is not an instance, once per change of the entry: the baseline mode
     * reads every file on every call, and a cache invalidated by a watch event re-reads too.
     */
    private void skipped(String name, BasicFileAttributes attrs, String why) {
        String said = attrs == null ? why
                : why + '\0' + attrs.size() + '\0' + attrs.lastModifiedTime() + '\0' + attrs.fileKey();
        if (said.equals(reported.put(name, said))) {
            LOG.debug("Skipping {}: {}", dir.resolve(name), why);
        } else {
            LOG.warn("Skipping {}: {}", dir.resolve(name), why);
        }
    }

    /**
     * Brings the cache up to date with the watch: (re)registers it when needed, then drops every
     * entry an event names. Falls back to {@code STAT} for good when no watch can be had.
     */
    private void watchForChanges() {
        try {
            if (watcher == null) {
                watcher = dir.getFileSystem().newWatchService();
            }
            Object dirKey = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            if (key == null || !key.isValid() || !Objects.equals(dirKey, watchedDirKey)) {
                if (key != null) {
                    key.cancel();
                }
                key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                watchedDirKey = dirKey;
                // anything read before the watch existed may have changed unseen
                forget();
                return;
            }
            // the key is queued on the service each time it is signalled; take it off so the queue stays empty
            while (watcher.poll() != null) {
                // nothing else is registered with this service
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    forget();
                } else if (event.context() instanceof Path p) {
                    dirty.add(p.toString());
                }
            }
            key.reset();
        } catch (NoSuchFileException e) {
            // the directory is gone: listing reports it; try again on the next call
            key = null;
            forget();
        } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
            LOG.warn("Cannot watch {} ({}); checking every file's size, mtime and inode instead", dir,
                    e instanceof IOException io ? FileErrors.reason(io) : e.toString());
            closeWatcher();
            mode = FileInstancePlugin.CacheMode.STAT;
            forget();
        }
    }

    /** Drops every cached entry: the next call reads everything. */
    private void forget() {
        cache = new HashMap<>();
        all = List.of();
        instances = List.of();
        dirty.clear();
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch on {}: {}", dir, e.toString());
            }
        }
        watcher = null;
        key = null;
    }

    /** Stops the watch (and its JDK thread); later calls fail. */
    @Override
    public synchronized void close() {
        closed = true;
        closeWatcher();
        forget();
    }

    @Override
    public String toString() {
        return "InstanceIndex[" + dir + ", " + requestedMode + "]";
    }
}
