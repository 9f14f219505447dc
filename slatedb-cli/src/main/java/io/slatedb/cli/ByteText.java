package io.slatedb.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Keys and values as the data commands take and print them. Arguments are UTF-8 text, or hex
 * (upper or lower case, no {@code 0x}) under {@code --hex}. Output is the text itself when the bytes
 * are printable UTF-8, otherwise {@code 0x} and lower-case hex; under {@code --hex} always plain hex,
 * so that it can be fed back as an argument.
 */
final class ByteText {

    private ByteText() {
    }

    /**
     * The bytes an argument names (null stays null); a bad hex string is a usage error of {@code spec}
     * naming the argument {@code what}.
     */
    static byte[] parse(CommandSpec spec, String text, boolean hex, String what) {
        if (text == null) {
            return null;
        }
        if (!hex) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), what + " is not a hex string: '" + text + "'", e);
        }
    }

    /** The text form of {@code bytes}. */
    static String format(byte[] bytes, boolean hex) {
        if (hex) {
            return HexFormat.of().formatHex(bytes);
        }
        String text = KeyText.printableUtf8(bytes);
        return text != null ? text : "0x" + HexFormat.of().formatHex(bytes);
    }

    /** {@code bytes} as a JSON string when it is valid, printable UTF-8; otherwise null (see the {@code _hex} field). */
    static String utf8OrNull(byte[] bytes) {
        return bytes == null ? null : KeyText.printableUtf8(bytes);
    }
}
