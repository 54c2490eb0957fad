package io.cimle.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP link the test controls, between a service and what it talks to (a broker, object storage):
 * it relays both ways and can add latency, cap the bandwidth, or cut the link. A cut is a partition,
 * not a refusal: connections stay open and accepted ones hang, bytes are neither delivered nor lost
 * (each side's kernel buffers them and TCP waits), so the service sees timeouts, as behind a failed
 * switch; {@link #heal()} lets the held bytes through again. {@link #reset()} closes every connection instead.
 */
final class FaultyLink implements AutoCloseable {
    private static final int CHUNK = 8192;

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean cut;
    private volatile long latencyMs;
    private volatile long bytesPerSecond;
    private volatile boolean closed;

    FaultyLink(String upstreamHost, int upstreamPort) throws IOException {
        this(upstreamHost, upstreamPort, 0);
    }

    /** Listens on {@code port} of the loopback address (0: a free one) and relays to the upstream. */
    FaultyLink(String upstreamHost, int upstreamPort, int port) throws IOException {
        this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        Thread acceptor = new Thread(this::accept, "faulty-link-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted so far (a client's reconnections and retries show here). */
    long accepted() {
        return accepted.get();
    }

    /** Bytes relayed so far, both directions. */
    long relayed() {
        return relayed.get();
    }

    /** One-way delay added to every chunk relayed (a slow link); 0 for none. */
    FaultyLink latency(long ms) {
        latencyMs = ms;
        return this;
    }

    /** Caps each direction of each connection at this rate; 0 for no cap. */
    FaultyLink bandwidth(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    /** Partitions the link: nothing passes until {@link #heal()}. */
    void cut() {
        cut = true;
    }

    void heal() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    /** Closes every open connection at once (as a restarted peer would); the link stays up for new ones. */
    void reset() {
        sockets.forEach(FaultyLink::closeQuietly);
        sockets.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> connect(client), "faulty-link-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        sockets.add(client);
        Socket up = new Socket();
        try {
            awaitOpen(); // a connection attempt during a cut hangs, as a SYN into a black hole does
            sockets.add(up);
            up.connect(upstream, 5000);
            client.setTcpNoDelay(true);
            up.setTcpNoDelay(true);
            Thread back = new Thread(() -> pump(up, client), "faulty-link-down");
            back.setDaemon(true);
            back.start();
            pump(client, up);
            back.join();
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
            closeQuietly(up);
        } finally {
            sockets.remove(client);
            sockets.remove(up);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            long windowStart = System.nanoTime();
            long windowBytes = 0;
            while (true) {
                int n = in.read(buf, 0, bytesPerSecond > 0 ? (int) Math.min(CHUNK, Math.max(1, bytesPerSecond / 20)) : CHUNK);
                if (n < 0) {
                    break;
                }
                awaitOpen();
                if (latencyMs > 0) {
                    Thread.sleep(latencyMs);
                }
                long rate = bytesPerSecond;
                if (rate > 0) {
                    windowBytes += n;
                    long dueNanos = windowStart + windowBytes * 1_000_000_000L / rate;
                    long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
                    if (waitMs > 0) {
                        Thread.sleep(waitMs);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
                relayed.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (cut && !closed) {
                gate.wait(200);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        heal();
        closeQuietly(server);
        reset();
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
