package io.cimle.core.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
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
import java.util.TreeSet;
import java.util.UUID;

/**
 * Objects as files under a root directory. Writes go to a temporary file that is fsynced and then
 * renamed over the target, so a crash mid-write never leaves a half-written object under its key.
 * A process killed mid-write leaves its temporary file behind; opening the store sweeps those older
 * than {@link #ORPHAN_AGE} (old enough that no live writer, on this host or another sharing the
 * volume, can still own them: an upload takes seconds to minutes).
 *
 * <p>Conditional writes ({@link #putIf}) take no lock: a key written so keeps its values as numbered
 * generations in a folder beside it ({@code KEY.generations/0000000000000000001}, ...), the newest one being
 * its value, and a write that read generation n commits by creating generation n + 1 as a hard link,
 * which the file system does at most once. Of writers racing from one value exactly one wins, and a writer
 * that stalls (a SIGSTOPped or swapped-out stale leader) holds nothing up: when it wakes, its n + 1 is taken
 * and its write is refused. (An fcntl lock did this before: a holder frozen mid-write kept every other
 * trainer from claiming a term or moving LATEST until it was let run again.) The tag is the value's
 * SHA-256; the newest few generations are kept, so that a reader that listed one can still open it.
 */
public final class FileSystemObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(FileSystemObjectStore.class.getName());
    private static final String TMP_SUFFIX = ".tmp-upload";
    /** The folder beside a conditionally written key that holds its generations; no key may end so. */
    static final String GENERATIONS = ".generations";
    /** Generations a key keeps (the newest is its value). */
    private static final int KEPT_GENERATIONS = 8;
    /** The lock file stores of earlier versions left under the root: never a key. */
    private static final String LEGACY_LOCK_FILE = ".conditional-writes.lock";
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
        for (String segment : key.split("/")) {
            if (segment.endsWith(GENERATIONS)) {
                throw new IllegalArgumentException("invalid object key '" + key + "': '" + GENERATIONS
                        + "' ends a folder of this store's own");
            }
        }
        return root.resolve(key);
    }

    private static Path generationsOf(Path target) {
        return target.resolveSibling(target.getFileName() + GENERATIONS);
    }

    /** The file of generation {@code n} (0: the plain file). */
    private static Path fileOf(Path target, long n) {
        return n == 0 ? target : generationsOf(target).resolve(String.format("%019d", n));
    }

    /** A generation file's number, or -1 for anything else in the folder (a temporary file). */
    private static long generationNumber(Path file) {
        String n = file.getFileName().toString();
        return n.length() == 19 && n.chars().allMatch(Character::isDigit) ? Long.parseLong(n) : -1;
    }

    /** The newest generation's number, 0 when the key has none (a plain file, or nothing). */
    private static long newestGeneration(Path target) throws IOException {
        Path dir = generationsOf(target);
        if (!Files.isDirectory(dir)) {
            return 0; // most keys: written plainly, read here on every get
        }
        long newest = 0;
        try (var names = Files.list(dir)) {
            for (Path p : (Iterable<Path>) names::iterator) {
                newest = Math.max(newest, generationNumber(p));
            }
        } catch (NoSuchFileException e) {
            return 0; // deleted meanwhile
        }
        return newest;
    }

    /** The key's value with the generation it was read from, or null bytes when absent. */
    private record Read(long generation, byte[] bytes) {
    }

    private static Read read(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = newestGeneration(target);
            try {
                return new Read(n, Files.readAllBytes(fileOf(target, n)));
            } catch (NoSuchFileException e) {
                if (n == 0) {
                    return new Read(0, null);
                }
                if (attempt >= 10) {
                    throw e; // pruned ten times over while we read: written faster than we can read
                }
                // pruned after we listed it: a newer one exists, read again
            }
        }
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
        try {
            writeSynced(tmp, content, length, key);
            long newest = newestGeneration(target);
            if (newest > 0) {
                // A key written conditionally before: its value is its newest generation, so add one.
                while (!link(target, ++newest, tmp)) {
                    newest = Math.max(newest, newestGeneration(target));
                }
                prune(target, newest - KEPT_GENERATIONS);
                return;
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

    private static void writeSynced(Path tmp, InputStream content, long length, String key) throws IOException {
        try (OutputStream out = Files.newOutputStream(tmp)) {
            long copied = content.transferTo(out);
            if (length >= 0 && copied != length) {
                throw new IOException("expected " + length + " bytes for " + key + ", got " + copied);
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Creates generation {@code n} of the key from {@code tmp}; false when it exists already. */
    private static boolean link(Path target, long n, Path tmp) throws IOException {
        Path dir = generationsOf(target);
        Files.createDirectories(dir);
        try {
            Files.createLink(fileOf(target, n), tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public Optional<InputStream> get(String key) throws IOException {
        Path target = path(key);
        for (int attempt = 0; ; attempt++) {
            long n = newestGeneration(target);
            try {
                return Optional.of(Files.newInputStream(fileOf(target, n)));
            } catch (NoSuchFileException e) {
                if (n == 0) {
                    return Optional.empty();
                }
                if (attempt >= 10) {
                    throw e;
                }
                // that generation was pruned after we listed it: a newer one exists
            }
        }
    }

    @Override
    public Optional<Tagged> getTagged(String key) throws IOException {
        byte[] bytes = read(path(key)).bytes();
        return bytes == null ? Optional.empty() : Optional.of(new Tagged(bytes, CheckpointStore.sha256(bytes)));
    }

    @Override
    public boolean putIf(String key, byte[] content, String expectedTag) throws IOException {
        Path target = path(key);
        Read now = read(target);
        String tag = now.bytes() == null ? null : CheckpointStore.sha256(now.bytes());
        if (!Objects.equals(tag, expectedTag)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TMP_SUFFIX);
        try {
            writeSynced(tmp, new ByteArrayInputStream(content), content.length, key);
            if (expectedTag == null) {
                // Create if absent: a hard link to the plain name, which exists at most once.
                try {
                    Files.createLink(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
                if (newestGeneration(target) > 0) {
                    Files.deleteIfExists(target); // the key had generations: it was there, ours is not its value
                    return false;
                }
                return true;
            }
            long next = now.generation() + 1;
            if (!link(target, next, tmp)) {
                return false; // another writer moved the key from the value we read
            }
            if (newestGeneration(target) > next) {
                // Either a writer that read ours built on it already, or we woke from a long stall into a number
                // that had been pruned: either way ours is not the value, and a stale writer must hear no.
                return false;
            }
            Files.deleteIfExists(target); // a plain file is generation 0: superseded
            prune(target, next - KEPT_GENERATIONS);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes the key's generations numbered at most {@code upTo} (best effort: a racing pruner may be first). */
    private static void prune(Path target, long upTo) throws IOException {
        if (upTo < 1) {
            return;
        }
        try (var names = Files.list(generationsOf(target))) {
            for (Path p : (Iterable<Path>) names::iterator) {
                long n = generationNumber(p);
                if (n >= 1 && n <= upTo) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (NoSuchFileException e) {
            // no generations
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        Path target = path(key);
        return newestGeneration(target) > 0 || Files.isRegularFile(target);
    }

    @Override
    public long size(String key) throws IOException {
        Path target = path(key);
        Path p = fileOf(target, newestGeneration(target));
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        walkFiles((file, attrs) -> {
            Path parent = file.getParent();
            String name = file.getFileName().toString();
            if (name.endsWith(TMP_SUFFIX) || name.equals(LEGACY_LOCK_FILE)) {
                return;
            }
            String folder = parent == null ? "" : parent.getFileName().toString();
            Path keyFile = folder.endsWith(GENERATIONS)
                    ? parent.resolveSibling(folder.substring(0, folder.length() - GENERATIONS.length()))
                    : file;
            String key = root.relativize(keyFile).toString().replace('\\', '/');
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        });
        return new ArrayList<>(keys);
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
        Path target = path(key);
        prune(target, Long.MAX_VALUE);
        Files.deleteIfExists(generationsOf(target));
        Files.deleteIfExists(target);
    }

    @Override
    public String uri(String key) {
        return path(key).toUri().toString();
    }
}
