package io.slatedb.store;

import java.util.Optional;

/**
 * The rules every {@link ObjectStore} applies to object paths and list prefixes, so that a path means
 * the same object in memory, in a local directory and in a bucket, and can never leave the store's
 * root.
 *
 * <p>An object path is one or more segments joined with {@code /}. It must:
 * <ul>
 *   <li>not be empty;</li>
 *   <li>not contain a NUL character or a backslash (a separator on some file systems);</li>
 *   <li>be valid Unicode (no unpaired surrogate, which has no UTF-8 encoding);</li>
 *   <li>not start with {@code /}, not end with {@code /}, and not contain {@code //} (empty segments);</li>
 *   <li>not have a segment that is {@code .} or {@code ..}.</li>
 * </ul>
 * Names that merely start with a dot (SlateDB's {@code <db>/.deleting}) are fine.
 *
 * <p>A list prefix follows the same rules with two exceptions: it may be empty (everything), and it
 * may end with {@code /}. Its last part (after the last {@code /}) is a partial name, so it may be
 * {@code .} or {@code ..} (a prefix of {@code .deleting}); complete segments before it may not.
 *
 * <p>Stores fail the operation's future with {@link PermanentObjectStoreException} when a path or
 * prefix breaks a rule; the message names the path and the rule.
 */
public final class StorePaths {

    private StorePaths() {
    }

    /** What is wrong with {@code path} as an object path, or empty when it is valid. */
    public static Optional<String> pathProblem(String path) {
        return pathProblem(path, "object path");
    }

    /**
     * What is wrong with {@code path} under the object path rules, or empty when it is valid; the
     * message calls it {@code what} (for example "database path" for a path that names a prefix of
     * objects under the same rules).
     */
    public static Optional<String> pathProblem(String path, String what) {
        if (path == null) {
            return Optional.of("a " + what + " is required, but it is null");
        }
        String rule = brokenRule(path, false);
        return rule == null ? Optional.empty() : Optional.of("invalid " + what + " " + quote(path) + ": " + rule);
    }

    /** What is wrong with {@code prefix} as a list prefix, or empty when it is valid. */
    public static Optional<String> prefixProblem(String prefix) {
        if (prefix == null) {
            return Optional.of("a list prefix is required, but it is null (use \"\" to list everything)");
        }
        String rule = brokenRule(prefix, true);
        return rule == null ? Optional.empty() : Optional.of("invalid list prefix " + quote(prefix) + ": " + rule);
    }

    /** Whether {@code path} is a valid object path. */
    public static boolean isValidPath(String path) {
        return pathProblem(path).isEmpty();
    }

    /**
     * Checks an object path.
     *
     * @throws PermanentObjectStoreException naming the path and the broken rule
     */
    public static void checkPath(String path) {
        Optional<String> problem = pathProblem(path);
        if (problem.isPresent()) {
            throw new PermanentObjectStoreException(path, problem.get(), null);
        }
    }

    /**
     * Checks a list prefix.
     *
     * @throws PermanentObjectStoreException naming the prefix and the broken rule
     */
    public static void checkPrefix(String prefix) {
        Optional<String> problem = prefixProblem(prefix);
        if (problem.isPresent()) {
            throw new PermanentObjectStoreException(prefix, problem.get(), null);
        }
    }

    private static String brokenRule(String s, boolean prefix) {
        if (s.isEmpty()) {
            return prefix ? null : "it must not be empty";
        }
        if (s.indexOf('\0') >= 0) {
            return "it must not contain a NUL character";
        }
        if (s.indexOf('\\') >= 0) {
            return "it must not contain a backslash ('\\')";
        }
        if (hasUnpairedSurrogate(s)) {
            return "it must be valid Unicode, but it contains an unpaired surrogate";
        }
        if (s.charAt(0) == '/') {
            return "it must not start with '/'";
        }
        if (!prefix && s.charAt(s.length() - 1) == '/') {
            return "it must not end with '/' (that is an empty last segment)";
        }
        if (s.contains("//")) {
            return "it must not contain an empty segment ('//')";
        }
        int start = 0;
        while (start <= s.length()) {
            int slash = s.indexOf('/', start);
            int end = slash < 0 ? s.length() : slash;
            // In a prefix, the text after the last '/' is a partial name such as "." of ".deleting".
            boolean completeSegment = slash >= 0 || !prefix;
            if (completeSegment && isDotSegment(s, start, end)) {
                return "it must not contain a '.' or '..' segment";
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return null;
    }

    private static boolean isDotSegment(String s, int start, int end) {
        int length = end - start;
        return (length == 1 && s.charAt(start) == '.')
                || (length == 2 && s.charAt(start) == '.' && s.charAt(start + 1) == '.');
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The path in double quotes, with control characters escaped so that messages stay printable. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validPairAt(s, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean validPairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
