package io.slatedb.connect.sink;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one encoding of structured record data (a {@link Struct}, a {@link Map}, a {@link Collection}) as
 * bytes: compact JSON in UTF-8, the same bytes for the same data. A struct's fields come in schema order,
 * a map's entries sorted by their keys (rendered as text), no white space; byte arrays are base64 strings,
 * decimals plain numbers, dates and timestamps milliseconds since the epoch, floats and doubles as Java
 * prints them (NaN and infinities as strings).
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The JSON text of {@code value}. */
    static String encode(Object value) {
        StringBuilder out = new StringBuilder(64);
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Float || value instanceof Double) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                out.append(value);
            } else {
                string(out, value.toString());
            }
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Date d) {
            out.append(d.getTime());
        } else if (value instanceof byte[] b) {
            string(out, Base64.getEncoder().encodeToString(b));
        } else if (value instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            string(out, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Struct struct) {
            out.append('{');
            boolean first = true;
            for (Field field : struct.schema().fields()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, field.name());
                out.append(':');
                write(out, struct.get(field));
            }
            out.append('}');
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = e.getKey() instanceof String s ? s : encode(e.getKey());
                sorted.put(key, e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            throw new DataException("cannot encode a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
