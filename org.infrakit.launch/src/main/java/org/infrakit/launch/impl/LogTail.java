package org.infrakit.launch.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a detachable plugin's log file ({@code tail -F}) on an owned thread and feeds the
 * mirror. The plugin writes to the file directly, so its output survives the runtime and the
 * mirror picks up again after a restart of the runtime. Polls every 100 ms; a truncated file is
 * read again from its start, a replaced file (rotation) from the start of the new one.
 */
final class LogTail {
    private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);
    private static final long POLL_MILLIS = 100;

    private final Path file;
    private final OutputMirror mirror;
    private final LineSplitter splitter;
    private final Thread thread;
    private final ByteBuffer buf = ByteBuffer.allocate(8192);
    private volatile boolean running = true;
    private FileChannel channel;
    private Object fileKey;
    private long position;

    /**
     * Starts following.
     *
     * @param threadName the thread's name
     * @param file the log file
     * @param from the offset to start reading at (the file's size when the process was started)
     * @param mirror where the lines go
     */
    LogTail(String threadName, Path file, long from, OutputMirror mirror) {
        this.file = file;
        this.mirror = mirror;
        this.splitter = mirror.splitter();
        this.position = from;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** @param file a file @return its size, 0 when it does not exist */
    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private void run() {
        while (running) {
            poll();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** Reads whatever was appended since the last poll. Also called to get the last lines of a dead process. */
    synchronized void poll() {
        try {
            if (channel != null && !channel.isOpen()) {
                channel = null;
            }
            if (channel == null) {
                open();
                if (channel == null) {
                    return;
                }
            } else if (!Objects.equals(fileKey, currentKey())) {
                drain();
                channel.close();
                channel = null;
                position = 0;
                open();
                if (channel == null) {
                    return;
                }
            }
            if (channel.size() < position) {
                position = 0;
            }
            drain();
        } catch (IOException e) {
            LOG.debug("tail of {}: {}", file, e.toString());
        }
    }

    private void drain() throws IOException {
        int n;
        while ((n = channel.read(buf.clear(), position)) > 0) {
            position += n;
            splitter.feed(buf.array(), 0, n);
        }
    }

    private void open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            fileKey = currentKey();
        } catch (NoSuchFileException e) {
            channel = null;
        }
    }

    private Object currentKey() {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads the rest and stops following; a line without its newline yet is mirrored as it is. */
    void close() {
        // no interrupt: an interrupt closes a FileChannel in the middle of a read
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            poll();
            splitter.flush();
            mirror.flushNote();
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing {}: {}", file, e.toString());
                }
                channel = null;
            }
        }
    }
}
