package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No credential in the repository: the tracked files (git ls-files; a plain walk where there is no
 * git) are searched for AWS access key ids, private keys and literal S3 secrets in manifests and
 * configuration. Test fixtures (src/test/) are allowed to hold fakes.
 */
class SecretScanTest {
    static final Pattern AWS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b");
    static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----");
    /** A secret key set to a literal (not empty, not a ${...} placeholder or a secretKeyRef) in YAML or properties. */
    static final Pattern LITERAL_SECRET = Pattern.compile(
            "(?i)(secret[-_.]?access[-_.]?key|aws_secret_access_key|sasl[-_.]jaas[-_.]config)[ \\t]*[:=][ \\t]*[\"']?([^\\s\"'$#{<][^\\s\"']{7,})");
    /** Values that say "put yours here". */
    static final Pattern PLACEHOLDER = Pattern.compile("(?i)(replace[-_]?me|change[-_]?me|example|your[-_].*|x{4,}|\\.\\.\\.)");

    @Test
    void noTrackedFileHoldsACredential() throws Exception {
        Path root = Ports.root().toAbsolutePath().normalize();
        List<String> files = tracked(root);
        List<String> findings = new ArrayList<>();
        int scanned = 0;
        for (String f : files) {
            if (f.contains("/src/test/") || f.startsWith("src/test/")) {
                continue; // fixtures may hold fakes
            }
            Path p = root.resolve(f);
            if (!Files.isRegularFile(p) || Files.size(p) > 4 << 20) {
                continue;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(p))).toString();
            } catch (CharacterCodingException e) {
                continue; // binary
            }
            scanned++;
            find(AWS_KEY_ID, text, f, findings);
            find(PRIVATE_KEY, text, f, findings);
            if (f.matches(".*\\.(ya?ml|properties|env|json|conf)$") || f.contains("Dockerfile")) {
                find(LITERAL_SECRET, text, f, findings);
            }
        }
        System.out.println("[reliability] secret scan: " + scanned + " tracked text files outside test fixtures, "
                + findings.size() + " credential-looking literals");
        assertTrue(scanned > 50, "the scan saw the repository (" + scanned + " files under " + root + ")");
        assertEquals(List.of(), findings);
    }

    @Test
    void theScannerRecognisesWhatItLooksFor() {
        List<String> hits = new ArrayList<>();
        find(AWS_KEY_ID, "key: " + "AKIA" + "ABCDEFGHIJKLMNOP", "x", hits);
        find(PRIVATE_KEY, "-----BEGIN " + "RSA PRIVATE KEY-----", "x", hits);
        find(LITERAL_SECRET, "cimle.storage.s3.secret-access-key=" + "hunter2hunter2", "x", hits);
        find(LITERAL_SECRET, "secret-access-key: " + "\"abcdEFGH1234\"", "x", hits);
        assertEquals(4, hits.size(), hits.toString());
        List<String> none = new ArrayList<>();
        find(LITERAL_SECRET, "secret-access-key: ${AWS_SECRET_ACCESS_KEY}", "x", none);
        find(LITERAL_SECRET, "secret-access-key:\n  valueFrom:", "x", none);
        find(LITERAL_SECRET, "cimle.storage.s3.secret-access-key=", "x", none);
        find(LITERAL_SECRET, "secret-access-key: REPLACE_ME", "x", none);
        assertEquals(List.of(), none);
    }

    private static void find(Pattern p, String text, String file, List<String> out) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            if (m.groupCount() >= 2 && m.group(2) != null && PLACEHOLDER.matcher(m.group(2)).matches()) {
                continue;
            }
            int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            out.add(file + ":" + line + ": " + p.pattern().substring(0, Math.min(24, p.pattern().length())) + "...");
        }
    }

    private static List<String> tracked(Path root) throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z").redirectErrorStream(false).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0 && out.length > 0) {
                List<String> files = new ArrayList<>();
                for (String s : new String(out, StandardCharsets.UTF_8).split("\0")) {
                    if (!s.isEmpty()) {
                        files.add(s);
                    }
                }
                return files;
            }
        } catch (IOException e) {
            // no git: walk instead
        }
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.startsWith(".git/") && !f.contains("/target/") && !f.startsWith(".run/")
                            && !f.contains("node_modules/"))
                    .toList();
        }
    }
}
