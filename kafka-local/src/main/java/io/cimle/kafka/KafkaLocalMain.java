package io.cimle.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local broker until interrupted: {@code java -jar kafka-local.jar [dataDir] [port]}.
 * Defaults: data under {@code .run/kafka}, port 9092. Creates the system's topics.
 */
public final class KafkaLocalMain {
    private KafkaLocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".run/kafka");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int partitions = Integer.getInteger("cimle.kafka.partitions", 4);
        LocalKafkaBroker broker = LocalKafkaBroker.startPersistent(dir, port);
        broker.createSystemTopics(partitions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-local-shutdown"));
        System.out.println("kafka-local: broker ready at " + broker.bootstrapServers() + " (data in "
                + dir.toAbsolutePath() + "), topics " + broker.topics());
        stopped.await();
    }
}
