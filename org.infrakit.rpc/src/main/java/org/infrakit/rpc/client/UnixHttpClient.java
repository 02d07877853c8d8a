package org.infrakit.rpc.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 client for one unix socket: POST with a Content-Length body, replies with
 * Content-Length, chunked (Go servers chunk replies over 2048 bytes) or close-delimited bodies;
 * kept-alive connections in a small pool; a deadline per call.
 *
 * <p>The deadline is enforced by a timer that closes the connection, which makes a blocked
 * connect, write or read fail at once: JDK socket channels have no read timeout of their own.
 */
public final class UnixHttpClient implements AutoCloseable {
    private static final int MAX_LINE = 64 * 1024;

    private final Path socket;
    private final UnixDomainSocketAddress address;
    private final ScheduledExecutorService timer;
    private final int maxIdle;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    /** The call did not complete before its deadline. */
    public static final class TimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /** The connection was closed before any byte of a reply arrived. */
    private static final class NoReplyException extends EOFException {
        private static final long serialVersionUID = 1L;

        NoReplyException() {
            super("the connection was closed before a reply arrived");
        }
    }

    /**
     * @param socket the unix socket to talk to
     * @param timer the timer enforcing deadlines; owned by the caller
     * @param maxIdle how many idle connections to keep
     */
    public UnixHttpClient(Path socket, ScheduledExecutorService timer, int maxIdle) {
        this.socket = socket;
        this.address = UnixDomainSocketAddress.of(socket);
        this.timer = timer;
        this.maxIdle = maxIdle;
    }

    /** @return the socket */
    public Path socket() {
        return socket;
    }

    /**
     * POSTs a body to {@code /}.
     *
     * @param body the request body (JSON)
     * @param timeoutMs the deadline for connecting, sending and receiving the whole reply
     * @return the reply, whatever its status
     * @throws TimeoutException when the deadline passed
     * @throws IOException when the socket cannot be reached or the connection failed
     */
    public HttpReply post(byte[] body, long timeoutMs) throws IOException {
        byte[] head = ("POST / HTTP/1.1\r\nHost: rpc\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (int attempt = 0;; attempt++) {
            Connection c = takeIdle();
            boolean reused = c != null;
            if (c == null) {
                c = new Connection(SocketChannel.open(StandardProtocolFamily.UNIX));
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                c.close();
                throw new TimeoutException("no reply within " + timeoutMs + " ms");
            }
            Connection conn = c;
            ScheduledFuture<?> watchdog = timer.schedule(conn::abort, remaining, TimeUnit.NANOSECONDS);
            boolean sent = false;
            try {
                if (!reused) {
                    c.channel.connect(address);
                }
                c.write(head, body);
                sent = true;
                Reply r = c.readReply();
                if (!watchdog.cancel(false) || !r.keepAlive()) {
                    c.close();
                } else {
                    giveBack(c);
                }
                return r.reply();
            } catch (IOException e) {
                watchdog.cancel(false);
                c.close();
                if (c.aborted || e instanceof AsynchronousCloseException) {
                    throw timeout(timeoutMs);
                }
                // A kept-alive connection the server closed while it was idle: the write fails
                // (broken pipe) or the reply never starts. The server did not take the request,
                // so it is sent again, once, on a new connection.
                if (reused && attempt == 0 && (!sent || e instanceof NoReplyException)) {
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Sends one request of any method, path and content type on a connection of its own, closed
     * after the reply: for tools that check how a server answers requests {@link #post} never sends.
     *
     * @param method the HTTP method
     * @param path the request target
     * @param contentType {@code null} for no Content-Type header
     * @param body {@code null} for no body (and no Content-Length)
     * @param timeoutMs the deadline for connecting, sending and receiving the whole reply
     * @return the reply, whatever its status
     * @throws TimeoutException when the deadline passed
     * @throws IOException when the socket cannot be reached or the connection failed
     */
    public HttpReply send(String method, String path, String contentType, byte[] body, long timeoutMs)
            throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: rpc\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        Connection c = new Connection(SocketChannel.open(StandardProtocolFamily.UNIX));
        ScheduledFuture<?> watchdog = timer.schedule(c::abort, timeoutMs, TimeUnit.MILLISECONDS);
        try {
            c.channel.connect(address);
            c.write(head.toString().getBytes(StandardCharsets.UTF_8), body == null ? new byte[0] : body);
            return c.readReply().reply();
        } catch (IOException e) {
            if (c.aborted || e instanceof AsynchronousCloseException) {
                throw timeout(timeoutMs);
            }
            throw e;
        } finally {
            watchdog.cancel(false);
            c.close();
        }
    }

    private static TimeoutException timeout(long timeoutMs) {
        return new TimeoutException("no reply within " + timeoutMs + " ms");
    }

    private synchronized Connection takeIdle() {
        return idle.pollLast();
    }

    private void giveBack(Connection c) {
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addLast(c);
                return;
            }
        }
        c.close();
    }

    /** Closes the idle connections; connections in use close when their call ends. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        Connection c;
        while ((c = takeIdle()) != null) {
            c.close();
        }
    }

    private record Reply(HttpReply reply, boolean keepAlive) {
    }

    private static final class Connection {
        final SocketChannel channel;
        /** Unread input, in read mode (position..limit). */
        ByteBuffer in = ByteBuffer.allocate(8192).flip();
        volatile boolean aborted;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void abort() {
            aborted = true;
            close();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }

        void write(byte[] head, byte[] body) throws IOException {
            ByteBuffer[] out = {ByteBuffer.wrap(head), ByteBuffer.wrap(body)};
            while (out[0].hasRemaining() || out[1].hasRemaining()) {
                channel.write(out);
            }
        }

        /** Reads more input; returns false at end of stream. */
        private boolean fill() throws IOException {
            if (in.position() > 0 || in.limit() == in.capacity()) {
                in.compact();
                if (in.position() == in.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
            } else {
                in.position(in.limit()).limit(in.capacity());
            }
            int n = channel.read(in);
            in.flip();
            return n >= 0;
        }

        private String readLine(boolean first) throws IOException {
            while (true) {
                for (int i = in.position(); i < in.limit(); i++) {
                    if (in.get(i) == '\n') {
                        int end = i > in.position() && in.get(i - 1) == '\r' ? i - 1 : i;
                        String line = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
                                StandardCharsets.ISO_8859_1);
                        in.position(i + 1);
                        return line;
                    }
                }
                if (in.remaining() > MAX_LINE) {
                    throw new IOException("reply line longer than " + MAX_LINE + " bytes");
                }
                boolean nothingYet = first && !in.hasRemaining();
                boolean more;
                try {
                    more = fill();
                } catch (AsynchronousCloseException e) {
                    throw e;
                } catch (IOException e) {
                    // a connection the server closed while it was idle may be reset rather than
                    // ended when the next request reaches it: the server never took that request
                    if (nothingYet) {
                        throw (NoReplyException) new NoReplyException().initCause(e);
                    }
                    throw e;
                }
                if (!more) {
                    if (nothingYet) {
                        throw new NoReplyException();
                    }
                    throw new EOFException("the connection was closed in the middle of a reply");
                }
            }
        }

        private void readBody(ByteArrayOutputStream out, long n) throws IOException {
            long left = n;
            while (left > 0) {
                if (!in.hasRemaining() && !fill()) {
                    throw new EOFException("the connection was closed in the middle of a reply body");
                }
                int take = (int) Math.min(left, in.remaining());
                out.write(in.array(), in.arrayOffset() + in.position(), take);
                in.position(in.position() + take);
                left -= take;
            }
        }

        Reply readReply() throws IOException {
            while (true) {
                String status = readLine(true);
                String[] parts = status.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP reply: " + status);
                }
                int code;
                try {
                    code = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IOException("not an HTTP reply: " + status);
                }
                Map<String, String> headers = new HashMap<>();
                String line;
                while (!(line = readLine(false)).isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                line.substring(colon + 1).trim());
                    }
                }
                if (code >= 100 && code < 200) {
                    continue; // 100 Continue and friends: the real reply follows
                }
                boolean keepAlive = parts[0].equals("HTTP/1.1")
                        && !"close".equalsIgnoreCase(headers.get("connection"));
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                String te = headers.get("transfer-encoding");
                String cl = headers.get("content-length");
                if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                    readChunks(body);
                } else if (cl != null) {
                    long n;
                    try {
                        n = Long.parseLong(cl);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + cl);
                    }
                    readBody(body, n);
                } else if (code != 204 && code != 304) {
                    // delimited by the end of the connection
                    while (true) {
                        if (in.hasRemaining()) {
                            body.write(in.array(), in.arrayOffset() + in.position(), in.remaining());
                            in.position(in.limit());
                        }
                        if (!fill()) {
                            break;
                        }
                    }
                    keepAlive = false;
                }
                return new Reply(new HttpReply(code, headers, body.toByteArray()), keepAlive);
            }
        }

        private void readChunks(ByteArrayOutputStream body) throws IOException {
            while (true) {
                String sizeLine = readLine(false);
                int semi = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + sizeLine);
                }
                if (size == 0) {
                    while (!readLine(false).isEmpty()) {
                        // trailers are ignored
                    }
                    return;
                }
                readBody(body, size);
                readLine(false);
            }
        }
    }
}
