package io.slatedb.connect.sink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector's version: the Maven artifact version, which Connect shows and checks (plugin versions). */
final class Version {
    static final String VERSION = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
