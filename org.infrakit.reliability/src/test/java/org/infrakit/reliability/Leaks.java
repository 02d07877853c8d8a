package org.infrakit.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * File descriptors and live threads of this JVM, counted before and after a scenario.
 *
 * <p>Threads of bounded pools that only shrink after an idle minute (Jetty's request pool of 128
 * at most) are counted apart: they cannot leak without bound, and the check asserts the bound
 * instead. Every other thread counts.
 */
final class Leaks {
    private static final Path FDS = Path.of("/proc/self/fd");

    /** @param fds open descriptors by number, with what they point at @param threads live threads' names */
    record Snapshot(Map<Integer, String> fds, List<String> threads, int pooled) {
        int fdCount() {
            return fds.size();
        }
    }

    private final List<String> poolPrefixes;
    private final int poolBound;

    /**
     * @param poolBound the most threads the bounded pools may hold together
     * @param poolPrefixes name prefixes of their threads
     */
    Leaks(int poolBound, String... poolPrefixes) {
        this.poolBound = poolBound;
        this.poolPrefixes = List.of(poolPrefixes);
    }

    /** @return the counts now */
    Snapshot take() {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> s = Files.list(FDS)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    fds.put(Integer.parseInt(p.getFileName().toString()), String.valueOf(Files.readSymbolicLink(p)));
                } catch (IOException | NumberFormatException e) {
                    // the descriptor of the listing itself, closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> threads = new ArrayList<>();
        int pooled = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isAlive()) {
                continue;
            }
            if (poolPrefixes.stream().anyMatch(t.getName()::startsWith)) {
                pooled++;
            } else {
                threads.add(t.getName());
            }
        }
        threads.sort(null);
        return new Snapshot(fds, threads, pooled);
    }

    /**
     * Waits (at most {@code settle}) until the descriptors and threads are back to what they were,
     * within the tolerances; fails naming what is left over.
     */
    void assertBackTo(Snapshot before, int fdTolerance, int threadTolerance, Duration settle) {
        long deadline = System.nanoTime() + settle.toNanos();
        Snapshot now;
        while (true) {
            now = take();
            boolean fdsOk = now.fdCount() <= before.fdCount() + fdTolerance;
            boolean threadsOk = now.threads().size() <= before.threads().size() + threadTolerance;
            if (fdsOk && threadsOk && now.pooled() <= poolBound) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Poll.sleep(100);
        }
        List<String> newFds = new ArrayList<>();
        for (Map.Entry<Integer, String> e : now.fds().entrySet()) {
            if (!e.getValue().equals(before.fds().get(e.getKey()))) {
                newFds.add(e.getKey() + " -> " + e.getValue());
            }
        }
        List<String> newThreads = new ArrayList<>(now.threads());
        before.threads().forEach(newThreads::remove);
        throw new AssertionError("Resources not released after " + settle.toMillis() + " ms: file descriptors "
                + before.fdCount() + " -> " + now.fdCount() + " (tolerance " + fdTolerance + "), threads "
                + before.threads().size() + " -> " + now.threads().size() + " (tolerance " + threadTolerance
                + "), pooled threads " + now.pooled() + " (bound " + poolBound + ")\nnew descriptors: "
                + newFds.subList(0, Math.min(40, newFds.size())) + "\nnew threads: " + newThreads);
    }
}
