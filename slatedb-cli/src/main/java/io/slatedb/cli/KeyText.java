package io.slatedb.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Keys as text output shows them: a key that is valid UTF-8 made only of printable characters in
 * double quotes ({@code "user:42"}, with {@code "} and {@code \} escaped by a backslash), any other key
 * (or every key, when hex is forced) as {@code 0x} and lower-case hex. An absent key is {@code -}.
 */
final class KeyText {

    private KeyText() {
    }

    /** The text form of {@code key} (null: absent). */
    static String format(byte[] key, boolean forceHex) {
        if (key == null) {
            return "-";
        }
        if (!forceHex) {
            String text = printableUtf8(key);
            if (text != null) {
                return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
        }
        return "0x" + HexFormat.of().formatHex(key);
    }

    /** The key as a string when it is valid UTF-8 and every character is printable; otherwise null. */
    static String printableUtf8(byte[] key) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return text.codePoints().allMatch(KeyText::isPrintable) ? text : null;
    }

    private static boolean isPrintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                    Character.PRIVATE_USE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
