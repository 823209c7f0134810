package dev.tierlimit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP proxy on a loopback port in front of the test Redis, which a test can stall (bytes are held,
 * as from a Redis that stopped replying) or take down (connections dropped and new ones refused)
 * and bring back on the same port. Thread-safe.
 */
final class LoopbackProxy implements AutoCloseable {

    private final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket server;
    private boolean stalled;

    private LoopbackProxy(int port) {
        this.port = port;
    }

    /**
     * Starts a proxy on a free loopback port below Linux's default ephemeral range (32768 to 60999).
     * A port from that range could be handed out, while the proxy is down, as the source port of an
     * outgoing connection, such as a client's reconnect, and {@link #bringBack()} could then not bind it.
     */
    static LoopbackProxy start() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            LoopbackProxy proxy = new LoopbackProxy(random.nextInt(20_000, 32_000));
            try {
                proxy.listen();
                return proxy;
            } catch (IOException e) {
                lastFailure = e;
            }
        }
        throw new IOException("no free loopback port between 20000 and 32000 for the test proxy", lastFailure);
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Holds every byte in both directions until {@link #resume()}. */
    synchronized void stall() {
        stalled = true;
    }

    /** Forwards held and new bytes again. */
    synchronized void resume() {
        stalled = false;
        notifyAll();
    }

    /** Closes every connection and the listening socket, so reconnects are refused. */
    synchronized void takeDown() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** Listens on the same port again after {@link #takeDown()}. */
    synchronized void bringBack() throws IOException {
        listen();
    }

    @Override
    public void close() throws IOException {
        resume();
        takeDown();
    }

    private synchronized void listen() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = listening;
        Thread acceptor = new Thread(() -> acceptUntilClosed(listening), "proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptUntilClosed(ServerSocket listening) {
        try {
            while (true) {
                Socket client = listening.accept();
                Socket redis = new Socket(RedisExtension.HOST, RedisExtension.PORT);
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(redis);
                }
                pump(client, redis);
                pump(redis, client);
            }
        } catch (IOException e) {
            // The listening socket was closed by takeDown() or close().
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    awaitNotStalled();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (SocketException e) {
                // One side was closed, and the other pump ends the same way.
            } catch (IOException | InterruptedException e) {
                // The test is tearing the proxy down.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void awaitNotStalled() throws InterruptedException {
        while (stalled) {
            wait();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
