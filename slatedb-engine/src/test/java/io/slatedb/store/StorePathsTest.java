package io.slatedb.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorePathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "db/manifest/00000000000000000001.manifest", "db/.deleting", ".hidden", "a/..b",
            "a/b..", "...", "a b/c", "\u00E9t\u00E9/\uD83D\uDE00", "a#1", "x/y/z/w"})
    void acceptsValidPaths(String path) {
        assertEquals(List.of(), StorePaths.pathProblem(path).stream().toList());
        StorePaths.checkPath(path);
    }

    static Stream<Arguments> invalidPaths() {
        return Stream.of(
                Arguments.of("", "must not be empty"),
                Arguments.of("/a", "must not start with '/'"),
                Arguments.of("a/", "must not end with '/'"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of(".", "'.' or '..' segment"),
                Arguments.of("..", "'.' or '..' segment"),
                Arguments.of("a/./b", "'.' or '..' segment"),
                Arguments.of("a/../b", "'.' or '..' segment"),
                Arguments.of("../etc/passwd", "'.' or '..' segment"),
                Arguments.of("a/..", "'.' or '..' segment"),
                Arguments.of("a\\b", "backslash"),
                Arguments.of("a\u0000b", "NUL"),
                Arguments.of("a\uD800b", "unpaired surrogate"),
                Arguments.of("a\uDC00", "unpaired surrogate"));
    }

    @ParameterizedTest
    @MethodSource("invalidPaths")
    void rejectsInvalidPathsNamingThePathAndTheRule(String path, String rule) {
        String problem = StorePaths.pathProblem(path).orElseThrow();
        assertTrue(problem.contains(rule), problem);
        assertTrue(problem.contains(StorePaths.quote(path)), problem);

        PermanentObjectStoreException e = assertThrows(PermanentObjectStoreException.class, () -> StorePaths.checkPath(path));
        assertEquals(problem, e.getMessage());
        assertEquals(path, e.path());
        assertFalse(StorePaths.isValidPath(path));
    }

    @Test
    void rejectsNull() {
        assertTrue(StorePaths.pathProblem(null).orElseThrow().contains("null"));
        assertTrue(StorePaths.prefixProblem(null).orElseThrow().contains("null"));
        assertThrows(PermanentObjectStoreException.class, () -> StorePaths.checkPath(null));
    }

    @Test
    void messagesKeepControlCharactersPrintable() {
        String problem = StorePaths.pathProblem("a\u0000b").orElseThrow();
        assertTrue(problem.contains("\"a\\u0000b\""), problem);
        assertFalse(problem.contains("\u0000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a/", "db/wal/", "db/wal/0000", "db/.", "db/..", ".", "..", "db/.del", "a/b/c/"})
    void acceptsValidPrefixes(String prefix) {
        assertTrue(StorePaths.prefixProblem(prefix).isEmpty(), () -> StorePaths.prefixProblem(prefix).orElseThrow());
        StorePaths.checkPrefix(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "a//", "a//b", "./", "../", "a/../", "a/./b", "a\\", "a\u0000", "\uD800"})
    void rejectsInvalidPrefixes(String prefix) {
        String problem = StorePaths.prefixProblem(prefix).orElseThrow();
        assertTrue(problem.startsWith("invalid list prefix " + StorePaths.quote(prefix)), problem);
        assertThrows(PermanentObjectStoreException.class, () -> StorePaths.checkPrefix(prefix));
    }

    @Property(tries = 300)
    void pathsJoinedFromValidSegmentsAreValid(@ForAll("segments") List<String> segments) {
        String path = String.join("/", segments);
        assertTrue(StorePaths.isValidPath(path), path);
        assertTrue(StorePaths.prefixProblem(path).isEmpty(), path);
        assertTrue(StorePaths.prefixProblem(path + "/").isEmpty(), path);
        assertFalse(StorePaths.isValidPath(path + "/"), path);
        assertFalse(StorePaths.isValidPath("/" + path), path);
        assertFalse(StorePaths.isValidPath(path + "//x"), path);
        assertFalse(StorePaths.isValidPath(path + "/../x"), path);
    }

    @Provide
    Arbitrary<List<String>> segments() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abz09.-_#\u00E9\uFF21").ofMinLength(1).ofMaxLength(5)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        return segment.list().ofMinSize(1).ofMaxSize(4);
    }
}
