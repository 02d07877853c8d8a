package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.infrakit.rpc.json.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The file instance plugin: an instance is a regular file {@code <dir>/<ID>} holding the spec it
 * was provisioned with and its current tags, in the 2017 Go plugin's exact format
 * ({@link InstanceFile}), so that this plugin and the Go one can share a directory.
 *
 * <p>Departures from the reference, all for safety: the directory is created when missing and
 * must be writable at start; {@code Validate(null)} is OK (the reference crashed); IDs that are
 * empty, {@code .}, or contain {@code /}, {@code \}, {@code ..} or NUL are refused (the reference
 * would address other paths, and deleted its own directory for an empty ID); files are replaced
 * atomically (the reference wrote in place); a new ID never overwrites an existing file;
 * DescribeInstances caches parsed files ({@link InstanceIndex}) and skips non-regular files
 * without opening them; a file whose {@code ID} is not its file name is not an instance
 * (DescribeInstances skips it with a warning, Label refuses it), so a copy of one instance's file
 * under another name can never make a caller act on the instance it names.
 *
 * <p>Safe for concurrent use. Needs no OSGi: construct it with a name and a directory, and
 * {@link #close()} it when done (it may own a directory watch).
 */
public final class FileInstancePlugin implements InstancePlugin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileInstancePlugin.class);

    /** How DescribeInstances knows whether a cached parse of a file still holds; see {@link InstanceIndex#entries()}. */
    public enum CacheMode {
        /** A directory watch reports changed files (falls back to {@link #STAT} when unavailable). */
        WATCH,
        /** Size, mtime and inode of every file are compared on every call. */
        STAT,
        /** No cache: every file is read on every call, as the reference does. */
        NONE
    }

    private static final int MAX_ID_ATTEMPTS = 16;
    /** Distinct (filter, properties) answers kept; a group plugin asks with one filter per group. */
    private static final int MAX_MEMO = 64;

    private record Query(Map<String, String> tags, boolean properties) {
    }

    private final String name;
    private final Path dir;
    private final RandomGenerator random;
    private final InstanceIndex index;
    /** Serialises read-modify-write (Label) against Destroy, so a label cannot bring back a destroyed file. */
    private final Object mutations = new Object();
    /** Answers computed from {@link #memoFor}, the index's last entry list; dropped when that changes. */
    private final Map<Query, List<InstanceDescription>> memo = new HashMap<>();
    private List<InstanceIndex.Entry> memoFor;
    /** Temporary files of failed writes that the directory would not let us remove yet. */
    private final Set<Path> leftovers = ConcurrentHashMap.newKeySet();

    /**
     * A plugin with the system clock, a secure random ID source and a watched cache.
     *
     * @param name the plugin name, for logs
     * @param dir the directory; created when missing
     * @throws PluginException when the name is invalid, or the directory cannot be created or written
     */
    public FileInstancePlugin(String name, Path dir) throws PluginException {
        this(name, dir, Clock.systemUTC(), new SecureRandom(), CacheMode.WATCH);
    }

    /**
     * @param name the plugin name, for logs
     * @param dir the directory; created when missing. Relative paths are resolved against the
     *     working directory and appear in error messages as given (lexically cleaned), as in the
     *     reference: {@code ./tutorial} gives {@code remove tutorial/instance-1: …}
     * @param clock the clock used to judge file mtimes
     * @param random the source of instance IDs (used under a lock, so it need not be thread-safe)
     * @param cacheMode how DescribeInstances validates its cache
     * @throws PluginException when the name is invalid, or the directory cannot be created or written
     */
    public FileInstancePlugin(String name, Path dir, Clock clock, RandomGenerator random, CacheMode cacheMode)
            throws PluginException {
        this.name = PluginRef.validateName(name);
        this.dir = dir.normalize();
        this.random = random;
        InstanceDirs.prepare(this.dir, clock);
        this.index = new InstanceIndex(this.dir, clock, cacheMode);
    }

    /** @return the plugin name */
    public String name() {
        return name;
    }

    /** @return the directory, as configured (lexically cleaned) */
    public Path dir() {
        return dir;
    }

    /**
     * Accepts any JSON object (the properties are not used) and, unlike the reference, which
     * crashed, also absent or {@code null} properties.
     */
    @Override
    public void validate(RawJson properties) throws PluginException {
        if (properties != null && !properties.isObject()) {
            throw new PluginException("invalid file instance properties: they must be a JSON object, not "
                    + kind(properties));
        }
    }

    /**
     * Writes {@code <dir>/instance-<random 63-bit decimal>} atomically. An ID whose file exists
     * already is drawn again (the reference would have overwritten it).
     */
    @Override
    public String provision(InstanceSpec spec) throws PluginException {
        AtomicFiles.removeLeftovers(leftovers);
        InstanceSpec s = spec == null ? InstanceFile.ZERO_SPEC : spec;
        for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
            String id = "instance-" + nextId();
            Path target = dir.resolve(id);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            AtomicFiles.write(target, InstanceFile.provisioned(id, s).encode(), leftovers);
            LOG.debug("{}: provisioned {}", name, id);
            return id;
        }
        throw new PluginException("cannot find a free instance ID in " + dir + " after " + MAX_ID_ATTEMPTS
                + " attempts");
    }

    private long nextId() {
        synchronized (random) {
            return random.nextLong() & Long.MAX_VALUE;
        }
    }

    /**
     * Merges the labels into the file's top-level tags (the spec is kept as provisioned) and
     * replaces the file atomically.
     *
     * @throws PluginException {@code open <dir>/<id>: no such file or directory} for an unknown
     *     instance; a clear error for a bad ID or a file that is not an instance
     */
    @Override
    public void label(String instance, Map<String, String> labels) throws PluginException {
        AtomicFiles.removeLeftovers(leftovers);
        Path path = fileOf(instance);
        synchronized (mutations) {
            InstanceFile current = readInstance(path);
            String mismatch = InstanceFile.identityProblem(instance, current);
            if (mismatch != null) {
                throw new PluginException(path + " is not an instance file: " + mismatch);
            }
            AtomicFiles.write(path, current.labelled(labels).encode(), leftovers);
            index.invalidate(instance);
        }
        LOG.debug("{}: labelled {} with {}", name, instance, labels);
    }

    /**
     * Deletes the instance's file (the context is not used).
     *
     * @throws PluginException {@code remove <dir>/<id>: no such file or directory} for an unknown
     *     instance; a clear error for a bad ID, or an ID naming a directory (never deleted)
     */
    @Override
    public void destroy(String instance, DestroyContext context) throws PluginException {
        AtomicFiles.removeLeftovers(leftovers);
        Path path = fileOf(instance);
        synchronized (mutations) {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new PluginException("remove " + path + ": is a directory, not an instance file");
            }
            try {
                Files.delete(path);
            } catch (IOException e) {
                throw new PluginException(FileErrors.text("remove", path, e), e);
            }
            index.invalidate(instance);
        }
        LOG.debug("{}: destroyed {}", name, instance);
    }

    /**
     * Every file of the directory that decodes as an instance file and is named after its
     * {@code ID}, in file-name order, whose top-level tags hold every pair of the filter (a missing
     * tag counts as {@code ""}); with {@code properties}, each description carries the stored spec.
     */
    @Override
    public List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
            throws PluginException {
        AtomicFiles.removeLeftovers(leftovers);
        List<InstanceIndex.Entry> entries = index.entries();
        // The index hands out the same list object for as long as no file has changed, so an
        // answer computed from it holds until it hands out another one.
        Query query = new Query(tags == null ? Map.of() : new HashMap<>(tags), properties);
        synchronized (memo) {
            if (entries != memoFor) {
                memo.clear();
                memoFor = entries;
            }
            List<InstanceDescription> known = memo.get(query);
            if (known != null) {
                return known;
            }
        }
        List<InstanceDescription> out = new ArrayList<>();
        for (InstanceIndex.Entry e : entries) {
            if (Tags.matches(e.file.tags(), tags)) {
                out.add(properties ? e.withProperties() : e.description);
            }
        }
        List<InstanceDescription> answer = Collections.unmodifiableList(out);
        synchronized (memo) {
            if (entries == memoFor && memo.size() < MAX_MEMO) {
                memo.put(query, answer);
            }
        }
        return answer;
    }

    /** @return how many files DescribeInstances has read so far (for tests and benchmarks) */
    public long fileReads() {
        return index.reads();
    }

    /** @return the cache mode in effect */
    public CacheMode cacheMode() {
        return index.mode();
    }

    /** Stops the directory watch, if any. Calls after this fail. */
    @Override
    public void close() {
        AtomicFiles.removeLeftovers(leftovers);
        index.close();
    }

    @Override
    public String toString() {
        return "FileInstancePlugin[" + name + ", " + dir + "]";
    }

    private InstanceFile readInstance(Path path) throws PluginException {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // never opened: a FIFO would block
            throw new PluginException("read " + path + ": " + (Files.isDirectory(path) ? "is a directory"
                    : "not a regular file"));
        }
        try (InputStream in = Files.newInputStream(path)) {
            return InstanceFile.read(in);
        } catch (NoSuchFileException e) {
            throw new PluginException(FileErrors.text("open", path, e), e);
        } catch (JsonProcessingException e) {
            throw new PluginException(path + " is not an instance file: " + ProtocolJson.describe(e), e);
        } catch (IOException e) {
            throw new PluginException(FileErrors.text("read", path, e), e);
        }
    }

    /**
     * @param id an instance ID from a caller
     * @return its file
     * @throws PluginException when the ID is not a plain file name, which would address another path
     */
    Path fileOf(String id) throws PluginException {
        String problem = idProblem(id);
        if (problem != null) {
            throw new PluginException("invalid instance ID " + ProtocolJson.write(id == null ? "" : id) + ": " + problem);
        }
        return dir.resolve(id);
    }

    /**
     * @param id an instance ID
     * @return why it cannot name a file in the directory, or {@code null} when it can
     */
    static String idProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "it must not be empty";
        }
        if (id.equals(".")) {
            return "it must not be '.'";
        }
        if (id.contains("..")) {
            return "it must not contain '..'";
        }
        if (id.indexOf('/') >= 0 || id.indexOf('\\') >= 0) {
            return "it must be a plain file name, without '/' or '\\'";
        }
        if (id.indexOf('\0') >= 0) {
            return "it must not contain NUL";
        }
        return null;
    }

    private static String kind(RawJson value) {
        return switch (value.json().charAt(0)) {
            case '[' -> "an array";
            case '"' -> "a string";
            case 't', 'f' -> "a boolean";
            default -> "a number";
        };
    }
}
