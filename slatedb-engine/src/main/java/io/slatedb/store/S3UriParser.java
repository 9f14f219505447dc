package io.slatedb.store;

import io.slatedb.DurationText;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Parses {@code s3://bucket/prefix?...} URLs into {@link S3ObjectStore.Config}; see {@link S3ObjectStore.Config#fromUri}. */
final class S3UriParser {

    static final String ENDPOINT = "endpoint";
    static final String REGION = "region";
    static final String PATH_STYLE = "path_style";
    static final String ACCESS_KEY_ID = "access_key_id";
    static final String SECRET_ACCESS_KEY = "secret_access_key";
    static final String IDLE_CONNECTION_TIMEOUT = "idle_connection_timeout";

    private static final Set<String> KNOWN = Set.of(ENDPOINT, REGION, PATH_STYLE, ACCESS_KEY_ID, SECRET_ACCESS_KEY,
            IDLE_CONNECTION_TIMEOUT);

    private S3UriParser() {
    }

    static S3ObjectStore.Config parse(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("s3")) {
            throw new IllegalArgumentException("not an s3:// URL: " + redacted(uri));
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("an s3 URL must look like s3://bucket/prefix: " + redacted(uri));
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an s3 URL must not have a fragment: " + redacted(uri));
        }
        String bucket = bucket(uri);
        Map<String, String> params = queryParameters(uri);

        S3ObjectStore.Config config = S3ObjectStore.Config.forBucket(bucket)
                .withPrefix(uri.getPath() == null ? "" : uri.getPath());
        String endpoint = params.get(ENDPOINT);
        if (endpoint != null) {
            try {
                config = config.withEndpoint(new URI(endpoint));
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("query parameter '" + ENDPOINT
                        + "' must be an absolute http or https URL, got '" + endpoint + "'", e);
            }
        }
        String region = params.get(REGION);
        if (region != null) {
            if (region.isBlank()) {
                throw new IllegalArgumentException("query parameter '" + REGION + "' must not be empty");
            }
            config = config.withRegion(region);
        }
        String pathStyle = params.get(PATH_STYLE);
        if (pathStyle != null) {
            config = config.withPathStyle(parseBoolean(pathStyle));
        }
        String accessKeyId = params.get(ACCESS_KEY_ID);
        String secretAccessKey = params.get(SECRET_ACCESS_KEY);
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("query parameters '" + ACCESS_KEY_ID + "' and '" + SECRET_ACCESS_KEY
                    + "' go together: give both or neither");
        }
        if (accessKeyId != null) {
            config = config.withCredentials(new S3ObjectStore.StaticCredentials(accessKeyId, secretAccessKey));
        }
        String idle = params.get(IDLE_CONNECTION_TIMEOUT);
        if (idle != null) {
            try {
                config = config.withIdleConnectionTimeout(DurationText.parse(idle));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query parameter '" + IDLE_CONNECTION_TIMEOUT
                        + "' must be a positive duration such as 5s, got '" + idle + "'", e);
            }
        }
        return config;
    }

    private static String bucket(URI uri) {
        // The raw authority, not getHost(): bucket names such as "my_bucket" are not valid host names,
        // and java.net.URI then leaves the host null.
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("the s3 URL names no bucket (expected s3://bucket/prefix): "
                    + redacted(uri));
        }
        if (authority.contains("@") || authority.contains(":")) {
            throw new IllegalArgumentException("the bucket of an s3 URL must be a plain name, without user or port: "
                    + redacted(uri));
        }
        return authority;
    }

    private static Map<String, String> queryParameters(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown query parameter '" + name + "' in s3 URL; known are "
                        + String.join(", ", KNOWN.stream().sorted().toList()));
            }
            if (params.put(name, value) != null) {
                throw new IllegalArgumentException("query parameter '" + name + "' is given more than once");
            }
        }
        return params;
    }

    private static boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("query parameter '" + PATH_STYLE
                    + "' must be true or false, got '" + value + "'");
        };
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** The URL without its query, which may hold a secret, for error messages. */
    private static String redacted(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query) + "?...";
    }
}
