package io.cimle.kafka;

import io.cimle.wire.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running in this JVM,
 * built from Kafka's own server jars. Used by tests (temporary data directory, free ports) and by
 * the local run (a fixed data directory, so topics and offsets survive restarts).
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final String CLUSTER_ID_FILE = "cimle-cluster.properties";

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final boolean deleteOnClose;
    /** A second listener for clients that go through a proxy (a test's faulty link), or 0 for none. */
    private final int proxiedPort;
    private final int proxiedAdvertisedPort;
    private KafkaRaftServer server;

    private LocalKafkaBroker(Path dataDir, int brokerPort, int controllerPort, boolean deleteOnClose) {
        this(dataDir, brokerPort, controllerPort, deleteOnClose, 0, 0);
    }

    private LocalKafkaBroker(Path dataDir, int brokerPort, int controllerPort, boolean deleteOnClose, int proxiedPort,
            int proxiedAdvertisedPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.deleteOnClose = deleteOnClose;
        this.proxiedPort = proxiedPort;
        this.proxiedAdvertisedPort = proxiedAdvertisedPort;
    }

    /** A broker on free ports in a fresh temporary directory, deleted on close. */
    public static LocalKafkaBroker startTemporary() {
        try {
            Path dir = Files.createTempDirectory("cimle-kafka-");
            LocalKafkaBroker broker = new LocalKafkaBroker(dir, FreePorts.next(), FreePorts.next(), true);
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A temporary broker with a second listener, {@link #proxiedPort()}, that advertises itself as
     * {@code 127.0.0.1:advertisedPort}: a client bootstrapped at that address (a TCP proxy in front of the
     * proxied port) then reaches the broker only through it, for every request, as Kafka clients connect
     * to the advertised address of the listener they came in on.
     */
    public static LocalKafkaBroker startTemporaryBehind(int advertisedPort) {
        try {
            Path dir = Files.createTempDirectory("cimle-kafka-");
            LocalKafkaBroker broker = new LocalKafkaBroker(dir, FreePorts.next(), FreePorts.next(), true, FreePorts.next(), advertisedPort);
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxied listener's own port (a proxy relays to it); 0 without one. */
    public int proxiedPort() {
        return proxiedPort;
    }

    /**
     * A broker whose log lives in {@code dataDir}. The ports are remembered in the directory on the
     * first start, so a restart serves the same bootstrap address. {@code brokerPort} 0 picks a free one.
     */
    public static LocalKafkaBroker startPersistent(Path dataDir, int brokerPort) {
        try {
            Files.createDirectories(dataDir);
            Properties saved = loadClusterFile(dataDir);
            int port = Integer.parseInt(saved.getProperty("broker.port",
                    Integer.toString(brokerPort == 0 ? FreePorts.next() : brokerPort)));
            int controller = Integer.parseInt(saved.getProperty("controller.port", Integer.toString(FreePorts.next())));
            LocalKafkaBroker broker = new LocalKafkaBroker(dataDir, port, controller, false);
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void start() throws IOException {
        Properties props = serverProperties();
        Path logDir = dataDir.resolve("log");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props);
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String proxied = proxiedPort == 0 ? "" : ",PROXIED://127.0.0.1:" + proxiedPort;
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort + proxied);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort
                + (proxiedPort == 0 ? "" : ",PROXIED://127.0.0.1:" + proxiedAdvertisedPort));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("log").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // No fsync per message (Kafka's own default: durability comes from the page cache and, in a
        // cluster, replication). Flushing every record cost ~6 ms per produce on this machine's disk,
        // more than a tiny model's forward; a killed broker process loses nothing either way.
        // Keep the small local broker's footprint small.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    private void format(Properties props) throws IOException {
        Properties saved = loadClusterFile(dataDir);
        String clusterId = saved.getProperty("cluster.id", Uuid.randomUuid().toString());
        Path config = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "written by cimle kafka-local");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // StorageTool.main would call System.exit; execute returns a status instead.
        int status = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(),
                "--ignore-formatted"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed: " + out);
        }
        Properties cluster = new Properties();
        cluster.put("cluster.id", clusterId);
        cluster.put("broker.port", Integer.toString(brokerPort));
        cluster.put("controller.port", Integer.toString(controllerPort));
        try (Writer w = Files.newBufferedWriter(dataDir.resolve(CLUSTER_ID_FILE), StandardCharsets.UTF_8)) {
            cluster.store(w, "cimle local broker identity");
        }
    }

    private static Properties loadClusterFile(Path dataDir) throws IOException {
        Properties p = new Properties();
        Path f = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(f)) {
            try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            } catch (ExecutionException | RuntimeException e) {
                last = new IllegalStateException(e);
                sleep(200);
            }
        }
        throw new IllegalStateException("broker did not become ready within " + timeout, last);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** Creates the given topics if missing; {@link Topics#CHECKPOINTS} is log-compacted. */
    public void createTopics(Collection<String> names, int partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            NewTopic t = new NewTopic(name, partitions, (short) 1);
            if (Topics.isCompacted(name)) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(t);
        }
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + entry.getKey() + " failed", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates every topic of the system. */
    public void createSystemTopics(int partitions) {
        createTopics(Topics.all(), partitions);
    }

    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops and starts the broker on the same ports and log (for fault tests). */
    public synchronized void restart() {
        stopServer();
        try {
            start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stopServer();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp dir we could not fully delete is harmless.
        }
    }
}
