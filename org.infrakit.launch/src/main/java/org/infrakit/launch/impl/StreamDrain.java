package org.infrakit.launch.impl;

import java.io.IOException;
import java.io.InputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output pipe of a child process to its end on an owned thread and feeds the mirror.
 * It always reads, whatever the mirror does with the lines, so the child never blocks on a full
 * pipe. The thread ends when every holder of the pipe's write end has closed it (normally when
 * the process exits); it is a daemon so that a grandchild that inherited the pipe cannot hold
 * the runtime's JVM open.
 */
final class StreamDrain {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDrain.class);

    private final Thread thread;

    /**
     * Starts draining.
     *
     * @param threadName the thread's name
     * @param in the pipe
     * @param mirror where the lines go
     */
    StreamDrain(String threadName, InputStream in, OutputMirror mirror) {
        this.thread = new Thread(() -> run(in, mirror), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(InputStream in, OutputMirror mirror) {
        LineSplitter splitter = mirror.splitter();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                splitter.feed(buf, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("{}: {}", Thread.currentThread().getName(), e.toString());
        } finally {
            splitter.flush();
            mirror.flushNote();
        }
    }

    /**
     * Waits a little for the last lines (after the process exited).
     *
     * @param millis the longest wait
     */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
