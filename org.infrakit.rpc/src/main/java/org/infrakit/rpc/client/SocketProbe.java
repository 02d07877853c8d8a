package org.infrakit.rpc.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Tells what is at a socket path without speaking to it: a connect attempt, nothing sent. */
public final class SocketProbe {
    /** What is at a socket path. */
    public enum State {
        /** Nothing at the path. */
        ABSENT,
        /** A file that is not a socket (a regular file, a directory): not ours to touch. */
        NOT_A_SOCKET,
        /** A socket file nobody listens on: left behind by a dead process. */
        STALE,
        /** A live process accepts connections on it. */
        LISTENING
    }

    private SocketProbe() {
    }

    /**
     * @param socket a socket path (symbolic links are not followed)
     * @return what is there; a connect attempt tells a live socket from a stale one
     */
    public static State state(Path socket) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return State.ABSENT;
        } catch (IOException e) {
            return State.NOT_A_SOCKET;
        }
        if (!attrs.isOther()) {
            return State.NOT_A_SOCKET;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return State.LISTENING;
        } catch (ConnectException e) {
            return State.STALE;
        } catch (IOException e) {
            // ENOENT between the stat and the connect: it just went away
            return Files.exists(socket, LinkOption.NOFOLLOW_LINKS) ? State.STALE : State.ABSENT;
        }
    }

    /**
     * Removes a socket file only when nobody answers on it.
     *
     * @param socket a socket path
     * @return whether a stale socket file was removed
     */
    public static boolean removeIfStale(Path socket) {
        if (state(socket) != State.STALE) {
            return false;
        }
        try {
            return Files.deleteIfExists(socket);
        } catch (IOException e) {
            return false;
        }
    }
}
