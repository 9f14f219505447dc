package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of keys and values in data command output: each as {@code "<name>"} (the UTF-8 text, or null
 * when the bytes are not printable UTF-8) and {@code "<name>_hex"} (always the lower-case hex).
 */
final class DataJson {

    private DataJson() {
    }

    /** Puts {@code name} and {@code name_hex} for {@code bytes} (both null when absent) into {@code node}. */
    static ObjectNode bytes(ObjectNode node, String name, byte[] bytes) {
        node.put(name, ByteText.utf8OrNull(bytes));
        node.put(name + "_hex", Json.hex(bytes));
        return node;
    }
}
