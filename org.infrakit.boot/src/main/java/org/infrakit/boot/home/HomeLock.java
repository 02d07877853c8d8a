package org.infrakit.boot.home;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-runtime-per-home lock: an operating-system lock ({@link FileChannel#tryLock()}) on
 * {@value #FILE} in the home directory, holding the pid of its owner. It is taken before the
 * runtime writes anything else into the home (the bundle cache included) and held until the runtime
 * stops. The operating system releases it when the process dies, however it dies (kill -9
 * included), so a lock left behind never blocks a restart. The file itself stays: removing it
 * would let two later runtimes lock two different files of the same name.
 *
 * <p>Depends on the JDK only: the executable jar loads this class before anything else
 * ({@link HomeLockAgent}).
 */
public final class HomeLock implements AutoCloseable {
    /** The lock file's name in the home directory. */
    public static final String FILE = "runtime.lock";

    private final Path home;
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /** Another runtime holds the home: its message names the home and that runtime's pid. */
    public static final class HeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final long pid;

        HeldException(Path home, long pid) {
            super("Another InfraKit runtime " + (pid > 0 ? "(pid " + pid + ") " : "(pid unknown) ")
                    + "is running in " + home + "; stop it first, or give this one another INFRAKIT_HOME");
            this.pid = pid;
        }

        /** @return the pid of the runtime that holds the home, or -1 when it cannot be read */
        public long pid() {
            return pid;
        }
    }

    /**
     * Locks the home, creating the directory when it is missing, and writes this process's pid into
     * the lock file.
     *
     * @param home the home directory
     * @return the lock, held until {@link #close()} or the end of the process
     * @throws HeldException when another runtime (another process, or another runtime of this
     *     process) holds it
     * @throws IOException when the directory or the lock file cannot be created or locked
     */
    public static HomeLock acquire(Path home) throws IOException {
        Path dir = home.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // another runtime of this very process holds it
            channel.close();
            throw new HeldException(dir, ProcessHandle.current().pid());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new HeldException(dir, holder(file));
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new HomeLock(dir, channel, lock);
    }

    /**
     * Reads the holder's pid. It writes it right after locking, so a contender that lost by a hair
     * may find the file empty for a moment: it looks again for a little while.
     */
    private static long holder(Path file) {
        for (int i = 0; i < 20; i++) {
            try {
                String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            } catch (IOException | NumberFormatException e) {
                // unreadable or half-written: look again
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }

    /** @return the locked home directory */
    public Path home() {
        return home;
    }

    /** Releases the lock (the file stays). Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
