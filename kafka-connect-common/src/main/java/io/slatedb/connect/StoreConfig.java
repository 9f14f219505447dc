package io.slatedb.connect;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@value #STORE} setting both connectors take: the object store their databases live in, as a URL
 * that {@link ObjectStores#resolve} accepts ({@code file:///abs/dir}, or
 * {@code s3://bucket/prefix?region=...}, whose credentials come from the AWS default chain).
 */
public final class StoreConfig {

    /** The object store URL. */
    public static final String STORE = "slatedb.store";

    static final String STORE_DOC = "The object store holding the database(s), as a URL: file:///absolute/dir for a "
            + "local directory, or s3://bucket/prefix with optional query parameters endpoint, region and path_style "
            + "(credentials come from the AWS default credentials chain of the worker). memory:/// is accepted for "
            + "tests only: every task would see its own empty store.";

    private StoreConfig() {
    }

    /** Adds {@value #STORE} to {@code def}, in {@code group} at position {@code order}. */
    public static ConfigDef define(ConfigDef def, String group, int order) {
        return def.define(STORE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new UrlValidator(),
                ConfigDef.Importance.HIGH, STORE_DOC, group, order, ConfigDef.Width.LONG, "Object store URL");
    }

    /**
     * Opens the store {@code url} names; the caller closes it.
     *
     * @throws ConfigException naming {@value #STORE} when the URL is not a store URL
     */
    public static ObjectStore open(String url) {
        try {
            return ObjectStores.resolve(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(STORE, url, e.getMessage());
        }
    }

    /** Accepts a URL when the store it names can be opened (which needs no request to the store). */
    private static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // a missing required value is reported by ConfigDef itself
            }
            try (ObjectStore ignored = ObjectStores.resolve((String) value)) {
                // opened and closed: the URL names a supported store
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            } catch (Exception e) {
                throw new ConfigException(name, value, "the store cannot be opened: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "file:///absolute/dir or s3://bucket/prefix[?endpoint=...&region=...&path_style=true]";
        }
    }
}
