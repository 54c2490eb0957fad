package io.cimle.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects as files under a root directory. Writes go to a temporary file that is fsynced and then
 * renamed over the target, so a crash mid-write never leaves a half-written object under its key.
 * A process killed mid-write leaves its temporary file behind; opening the store sweeps those older
 * than {@link #ORPHAN_AGE} (old enough that no live writer, on this host or another sharing the
 * volume, can still own them: an upload takes seconds to minutes).
 *
 * <p>Conditional writes ({@link #putIf}) hold an exclusive lock on {@link #LOCK_FILE} under the root
 * (fcntl locks: every process on this host, and hosts sharing the volume where its file system honours
 * them) while they compare and write, so they serialise; the tag is the SHA-256 of the value.
 */
public final class FileSystemObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(FileSystemObjectStore.class.getName());
    private static final String TMP_SUFFIX = ".tmp-upload";
    /** The lock conditional writes hold, a file under the root that no key can name. */
    public static final String LOCK_FILE = ".conditional-writes.lock";
    /** One per root in this JVM: a file lock is held per process, so threads take this first. */
    private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
    /** Temporary files older than this are orphans of a killed writer. */
    public static final Duration ORPHAN_AGE = Duration.ofHours(1);
    private final Path root;

    public FileSystemObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        int swept = sweepOrphanedUploads(ORPHAN_AGE);
        if (swept > 0) {
            LOG.log(System.Logger.Level.INFO, "removed {0} orphaned temporary upload(s) under {1}", swept, this.root);
        }
    }

    /**
     * Deletes temporary upload files last modified more than {@code olderThan} ago.
     *
     * @return how many were deleted
     */
    public int sweepOrphanedUploads(Duration olderThan) throws IOException {
        Instant cutoff = Instant.now().minus(olderThan);
        int[] deleted = {0};
        walkFiles((file, attrs) -> {
            if (file.getFileName().toString().endsWith(TMP_SUFFIX)
                    && attrs.lastModifiedTime().toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                deleted[0]++;
            }
        });
        return deleted[0];
    }

    public Path root() {
        return root;
    }

    private Path path(String key) {
        ObjectStore.checkKey(key);
        return root.resolve(key);
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                long copied = content.transferTo(out);
                if (length >= 0 && copied != length) {
                    throw new IOException("expected " + length + " bytes for " + key + ", got " + copied);
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<InputStream> get(String key) throws IOException {
        try {
            return Optional.of(Files.newInputStream(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Tagged> getTagged(String key) throws IOException {
        Optional<byte[]> bytes = getBytes(key);
        return bytes.map(b -> new Tagged(b, CheckpointStore.sha256(b)));
    }

    @Override
    public boolean putIf(String key, byte[] content, String expectedTag) throws IOException {
        path(key); // checks the key before taking the lock
        synchronized (JVM_LOCKS.computeIfAbsent(root, r -> new Object())) {
            try (FileChannel lock = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); var held = lock.lock()) {
                String current = getTagged(key).map(Tagged::tag).orElse(null);
                if (!Objects.equals(current, expectedTag)) {
                    return false;
                }
                put(key, content);
                return true;
            }
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) throws IOException {
        Path p = path(key);
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        walkFiles((file, attrs) -> {
            String key = root.relativize(file).toString().replace('\\', '/');
            if (key.startsWith(prefix) && !key.endsWith(TMP_SUFFIX) && !key.equals(LOCK_FILE)) {
                keys.add(key);
            }
        });
        keys.sort(null);
        return keys;
    }

    private interface FileVisitor {
        void visit(Path file, BasicFileAttributes attrs) throws IOException;
    }

    /** Every regular file under the root. Writers rename temporary files meanwhile: one that vanishes is skipped. */
    private void walkFiles(FileVisitor visitor) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    visitor.visit(file, attrs);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public String uri(String key) {
        return path(key).toUri().toString();
    }
}
