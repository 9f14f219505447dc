package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.CheckpointOptions;
import io.slatedb.CheckpointScope;
import io.slatedb.Db;
import io.slatedb.DbReader;
import io.slatedb.FlushType;
import io.slatedb.Settings;
import io.slatedb.WriteBatch;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.CallKind;
import io.slatedb.testing.FaultRule;
import io.slatedb.store.LocalDirectoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command line retries transient store failures: each command runs on a store that fails the first
 * call of one kind once, for every kind of call the command makes (found by running it once without
 * faults), and must succeed with the same result as without the failure. The commands reach the store
 * only through the engine's handles, so this exercises the handles' retries as the CLI builds them.
 */
@Timeout(300)
class CliStoreRetriesTest {

    @TempDir
    Path root;

    /** A database "db" with 30 keys in three L0 SSTs and a never-expiring checkpoint, in a directory. */
    record Seeded(Path dir, String storeUrl, UUID checkpoint) {
        ObjectStore objects() {
            return new LocalDirectoryObjectStore(dir);
        }
    }

    /**
     * One command: its arguments, and the check of a run that succeeded. Read-only commands are checked
     * against the output of the same command run without faults.
     */
    record Command(String name, Function<Seeded, String[]> args, boolean readOnly, BiConsumer<Seeded, CliRun> check) {
    }

    static List<Command> commands() {
        List<Command> all = new ArrayList<>();
        all.add(readOnly("get", s -> args("get", "k1-3")));
        all.add(readOnly("scan", s -> args("scan")));
        all.add(readOnly("manifest list", s -> args("manifest", "list")));
        all.add(readOnly("manifest show", s -> args("manifest", "show")));
        all.add(readOnly("checkpoint list", s -> args("checkpoint", "list")));
        all.add(new Command("put", s -> args("put", "new", "value"), false,
                (s, run) -> assertEquals("value", read(s, "db", "new"))));
        all.add(new Command("delete", s -> args("delete", "k0-0"), false,
                (s, run) -> assertEquals(null, read(s, "db", "k0-0"))));
        all.add(new Command("checkpoint create", s -> args("checkpoint", "create", "--name", "made"), false,
                (s, run) -> assertTrue(checkpoints(s).stream().anyMatch(c -> "made".equals(c.name())),
                        run::describe)));
        all.add(new Command("checkpoint refresh", s -> args("checkpoint", "refresh", s.checkpoint().toString(),
                "--lifetime", "2h"), false,
                (s, run) -> assertNotNull(checkpoints(s).stream().filter(c -> c.id().equals(s.checkpoint()))
                        .findFirst().orElseThrow().expireTime())));
        all.add(new Command("checkpoint delete", s -> args("checkpoint", "delete", s.checkpoint().toString()), false,
                (s, run) -> assertTrue(checkpoints(s).stream().noneMatch(c -> c.id().equals(s.checkpoint())))));
        all.add(new Command("clone create", s -> args("clone", "create", "--path", "clone", "--source", "db",
                "--checkpoint", s.checkpoint().toString()), false,
                (s, run) -> assertEquals("v2-9", read(s, "clone", "k2-9"))));
        all.add(new Command("compact", s -> args("compact"), false,
                (s, run) -> assertEquals("v0-5", read(s, "db", "k0-5"))));
        all.add(new Command("gc run", s -> args("gc", "run", "--min-age", "0s"), false,
                (s, run) -> assertEquals("v1-5", read(s, "db", "k1-5"))));
        all.add(new Command("db delete", s -> args("db", "delete", "--confirm"), false,
                (s, run) -> assertEquals(List.of(), objects(s, "db/"))));
        return all;
    }

    private static Command readOnly(String name, Function<Seeded, String[]> args) {
        return new Command(name, args, true, (s, run) -> { });
    }

    private static String[] args(String... args) {
        return args;
    }

    @TestFactory
    Stream<DynamicNode> oneTransientFailureOfAnyCallIsRetried() {
        return commands().stream().flatMap(command -> {
            Set<CallKind> kinds = callKinds(command);
            if (kinds.isEmpty()) {
                return Stream.of(DynamicTest.dynamicTest(command.name() + " makes store calls",
                        () -> fail(command.name() + " made no store call")));
            }
            return kinds.stream().map(kind -> DynamicTest.dynamicTest(command.name() + ", " + kind + " fails once",
                    () -> retriedOnce(command, kind)));
        });
    }

    /** The kinds of store call {@code command} makes when nothing fails. */
    private Set<CallKind> callKinds(Command command) {
        Seeded seeded = seed();
        List<FaultInjectingObjectStore> opened = new ArrayList<>();
        CliRun run = CliRun.onStore(url -> remember(opened, new FaultInjectingObjectStore(ObjectStores.resolve(url))),
                seeded.storeUrl(), command.args().apply(seeded));
        assertEquals(0, run.exitCode(), run::describe);
        Set<CallKind> kinds = EnumSet.noneOf(CallKind.class);
        opened.forEach(store -> kinds.addAll(store.callKinds()));
        return kinds;
    }

    private void retriedOnce(Command command, CallKind kind) {
        Seeded seeded = seed();
        String[] args = command.args().apply(seeded);
        // Without faults, but through the same wrapper: the text names the store as it describes itself.
        CliRun expected = command.readOnly() ? CliRun.onStore(
                url -> new FaultInjectingObjectStore(ObjectStores.resolve(url)), seeded.storeUrl(), args) : null;
        if (expected != null) {
            assertEquals(0, expected.exitCode(), expected::describe);
        }
        // One rule for the whole run, whichever of its stores makes the call first.
        FaultRule once = FaultRule.on(kind, Fault.failTransiently()).once();
        List<FaultInjectingObjectStore.InjectedFault> injected = new ArrayList<>();
        CliRun run = CliRun.onStore(url -> {
            FaultInjectingObjectStore store = new FaultInjectingObjectStore(ObjectStores.resolve(url));
            if (injected.stream().noneMatch(FaultInjectingObjectStore.InjectedFault::exhausted)) {
                injected.add(store.inject(once));
            }
            return store;
        }, seeded.storeUrl(), args);
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("", run.err(), run::describe);
        assertEquals(1, injected.stream().mapToLong(FaultInjectingObjectStore.InjectedFault::fired).sum(),
                "the failure was injected");
        if (expected != null) {
            assertEquals(expected.out(), run.out(), "the same result as without the failure");
        }
        command.check().accept(seeded, run);
    }

    private static <T> T remember(List<? super T> list, T item) {
        list.add(item);
        return item;
    }

    private Seeded seed() {
        Path dir;
        try {
            dir = Files.createTempDirectory(root, "case");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Settings settings = Settings.DEFAULT.withOverrides(Map.of("compactor_options", "none",
                "garbage_collector_options", "none"));
        UUID checkpoint;
        try (LocalDirectoryObjectStore objects = new LocalDirectoryObjectStore(dir);
             Db db = Db.builder("db", objects).withSettings(settings).build()) {
            for (int f = 0; f < 3; f++) {
                WriteBatch batch = new WriteBatch();
                for (int i = 0; i < 10; i++) {
                    batch.put(utf8("k" + f + "-" + i), utf8("v" + f + "-" + i));
                }
                db.write(batch);
                db.flush(FlushType.MEMTABLE);
            }
            checkpoint = db.createCheckpoint(CheckpointScope.ALL, CheckpointOptions.DEFAULT).id();
        }
        return new Seeded(dir, GoldenDb.fileUrl(dir), checkpoint);
    }

    private static String read(Seeded seeded, String path, String key) {
        return withObjects(seeded, objects -> {
            try (DbReader reader = DbReader.open(path, objects)) {
                byte[] value = reader.get(utf8(key));
                return value == null ? null : new String(value, StandardCharsets.UTF_8);
            }
        });
    }

    private static List<CheckpointInfo> checkpoints(Seeded seeded) {
        return withObjects(seeded, objects -> {
            try (Admin admin = Admin.builder("db", objects).build()) {
                return admin.listCheckpoints();
            }
        });
    }

    private static List<String> objects(Seeded seeded, String prefix) {
        return withObjects(seeded, objects -> Futures.join(objects.listAll(prefix)).stream()
                .map(metadata -> metadata.path()).toList());
    }

    private static <T> T withObjects(Seeded seeded, Function<ObjectStore, T> read) {
        try (ObjectStore objects = seeded.objects()) {
            return read.apply(objects);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
